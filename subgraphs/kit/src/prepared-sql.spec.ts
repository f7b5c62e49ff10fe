// @ts-expect-error node-postgres' own conversion, untyped: the reference the literal must equal.
import utils from 'pg/lib/utils.js';
import { describe, expect, it } from 'vitest';
import { textArrayLiteral, toPrepared } from './prepared-sql.js';

describe('textArrayLiteral', () => {
  it('is the literal node-postgres sends for an array of texts, byte for byte', () => {
    const arrays = [
      [],
      ['0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', null, undefined],
      ['', 'NULL', 'null', ' a b ', 'x,y', '{braces}', 'quo"te', 'back\\slash', '\\"', 'é ✓ 😀', 'line\nbreak'],
    ];
    for (const values of arrays)
      expect(textArrayLiteral(values)).toBe((utils as { prepareValue: (v: unknown) => string }).prepareValue(values));
  });

  it('leaves arrays of anything but texts to node-postgres', () => {
    expect(textArrayLiteral(['a', 1])).toBeNull();
    expect(textArrayLiteral([new Date(0)])).toBeNull();
    expect(textArrayLiteral([['a']])).toBeNull();
  });
});

describe('toPrepared', () => {
  it('numbers the placeholders in order', () => {
    const p = toPrepared('select * from t where a = ? and b = ? limit ?', ['x', null, 25]);
    expect(p.text).toBe('select * from t where a = $1 and b = $2 limit $3');
    expect(p.values).toEqual(['x', null, 25]);
  });

  it('binds an array given to `in (?)` as one array parameter, whatever its length', () => {
    const one = toPrepared('select 1 from t where s in (?) and id = ?', [['ACTIVE'], 'a']);
    const two = toPrepared('select 1 from t where s in (?) and id = ?', [['ACTIVE', 'DRAFT'], 'b']);
    expect(one.text).toBe('select 1 from t where s = any($1) and id = $2');
    expect(two.text).toBe(one.text);
    expect(two.name).toBe(one.name);
    expect(two.values).toEqual([['ACTIVE', 'DRAFT'], 'b']);
  });

  it('binds an array given to `array[?]` as the array itself', () => {
    expect(toPrepared('select array[?]::text[] as chain', [['fr', 'de']]).text).toBe('select $1::text[] as chain');
  });

  it('keeps a scalar given to `in (?)` a scalar', () => {
    expect(toPrepared('select 1 from t where s in (?)', ['ACTIVE']).text).toBe('select 1 from t where s in ($1)');
  });

  it('leaves question marks inside quoted literals and identifiers alone', () => {
    const p = toPrepared(`select '?' as "why?", ? as x`, [1]);
    expect(p.text).toBe(`select '?' as "why?", $1 as x`);
  });

  it('names a statement by its text', () => {
    expect(toPrepared('select ?', [1]).name).toBe(toPrepared('select ?', [2]).name);
    expect(toPrepared('select ?', [1]).name).not.toBe(toPrepared('select ?, 1', [1]).name);
    expect(toPrepared('select ?', [1]).name.length).toBeLessThanOrEqual(63);
  });

  it('refuses arrays outside `in (?)` and a placeholder count that does not match', () => {
    expect(() => toPrepared('select ?::text[]', [['a']])).toThrow(/array/);
    expect(() => toPrepared('select ?, ?', [1])).toThrow(/placeholders/);
    expect(() => toPrepared('select ?', [1, 2])).toThrow(/parameters/);
  });
});
