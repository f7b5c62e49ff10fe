import { describe, expect, it } from 'vitest';
import { byId, groupedBy, thenNow } from './loaders.js';

const rows = (ids: readonly string[]) => Promise.resolve(ids.map((id) => ({ id, source: 'loaded' })));

describe('KnownLoader', () => {
  it('answers a primed key with the plain value, and an unknown key with the loaded one', async () => {
    const loader = byId(rows, (r) => r.id);
    loader.prime('a', { id: 'a', source: 'primed' });
    expect(loader.now('a')).toEqual({ id: 'a', source: 'primed' });
    const b = loader.now('b');
    expect(b).toBeInstanceOf(Promise);
    expect(await b).toEqual({ id: 'b', source: 'loaded' });
  });

  it('keeps what load answers when a key is primed after being asked, as DataLoader does', async () => {
    const loader = byId(rows, (r) => r.id);
    const asked = loader.load('a');
    loader.prime('a', { id: 'a', source: 'primed' });
    const now = loader.now('a');
    expect(now).toBeInstanceOf(Promise);
    expect(await now).toEqual({ id: 'a', source: 'loaded' });
    expect(await asked).toEqual({ id: 'a', source: 'loaded' });
  });

  it('keeps the first primed value, and forgets it when cleared', async () => {
    const loader = groupedBy(
      (keys) => Promise.resolve(keys.map((key) => ({ key, n: 0 }))),
      (r) => r.key,
    );
    loader.prime('a', [{ key: 'a', n: 1 }]);
    loader.prime('a', [{ key: 'a', n: 2 }]);
    expect(loader.now('a')).toEqual([{ key: 'a', n: 1 }]);
    expect(await loader.load('a')).toEqual([{ key: 'a', n: 1 }]);
    loader.clear('a');
    expect(await loader.now('a')).toEqual([{ key: 'a', n: 0 }]);
    loader.prime('b', [{ key: 'b', n: 3 }]);
    loader.clearAll();
    expect(loader.now('b')).toBeInstanceOf(Promise);
  });

  it('thenNow maps a plain value plainly and a promise through then', async () => {
    expect(thenNow(2, (n) => n * 2)).toBe(4);
    const later = thenNow(Promise.resolve(2), (n) => n * 2);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(4);
  });
});
