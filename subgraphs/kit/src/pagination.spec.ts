import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, parsePage, toConnection } from './pagination.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return null;
};

describe('cursors', () => {
  it('round-trip the sort key', () => {
    expect(decodeCursor(encodeCursor('NAME', ['apple', 'id-1']), 'NAME', 2)).toEqual(['apple', 'id-1']);
  });

  it('reject malformed, foreign-sort and wrong-arity cursors as BAD_USER_INPUT', () => {
    expect(codeOf(() => decodeCursor('%%%not-base64', 'NAME', 2))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor(Buffer.from('{"a":1}').toString('base64url'), 'NAME', 2))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor(encodeCursor('PRICE_ASC', ['1', 'x']), 'NAME', 2))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor(encodeCursor('NAME', ['x']), 'NAME', 2))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor(Buffer.from(JSON.stringify(['NAME', { $gt: 1 }, 'x'])).toString('base64url'), 'NAME', 2))).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('parsePage', () => {
  it('defaults to 20 and caps first at 100', () => {
    expect(parsePage({}, 'NAME', 2)).toEqual({ limit: 20, after: null });
    expect(parsePage({ first: 100 }, 'NAME', 2).limit).toBe(100);
    expect(codeOf(() => parsePage({ first: 101 }, 'NAME', 2))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parsePage({ first: -1 }, 'NAME', 2))).toBe('BAD_USER_INPUT');
  });
});

describe('toConnection', () => {
  it('uses the extra row to tell whether there is a next page', () => {
    const page = { limit: 2, after: null };
    const rows = [{ k: 'a' }, { k: 'b' }, { k: 'c' }];
    const connection = toConnection(rows, page, 'NAME', (r) => [r.k]);
    expect(connection.nodes).toEqual([{ k: 'a' }, { k: 'b' }]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(decodeCursor(connection.pageInfo.endCursor as string, 'NAME', 1)).toEqual(['b']);
    const last = toConnection(rows.slice(0, 2), { limit: 2, after: ['x'] }, 'NAME', (r) => [r.k]);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});
