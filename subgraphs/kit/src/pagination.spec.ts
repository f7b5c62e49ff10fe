import { describe, expect, it } from 'vitest';
import {
  type Connection,
  decodeCursor,
  encodeCursor,
  keysetOrderBy,
  keysetSql,
  keysetWhere,
  type Page,
  type PageArgs,
  pageList,
  pageSize,
  parsePage,
  toConnection,
} from './pagination.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return null;
};
const messageOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
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
    expect(codeOf(() => parsePage({ last: 2, before: 'junk!' }, 'NAME', 2))).toBe('BAD_USER_INPUT');
  });
});

describe('parsePage', () => {
  it('defaults to 20 forward and refuses more than 100 either way, naming the maximum', () => {
    expect(parsePage({}, 'NAME', 2)).toEqual({ limit: 20, after: null, before: null, backward: false });
    expect(parsePage({ first: 100 }, 'NAME', 2).limit).toBe(100);
    expect(parsePage({ last: 100 }, 'NAME', 2)).toMatchObject({ limit: 100, backward: true });
    expect(codeOf(() => parsePage({ first: 101 }, 'NAME', 2))).toBe('BAD_USER_INPUT');
    expect(messageOf(() => parsePage({ first: 101 }, 'NAME', 2))).toContain('100');
    expect(codeOf(() => parsePage({ last: 1000 }, 'NAME', 2))).toBe('BAD_USER_INPUT');
    expect(messageOf(() => parsePage({ last: 1000 }, 'NAME', 2))).toMatch(/last .*100/);
    expect(codeOf(() => parsePage({ first: -1 }, 'NAME', 2))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parsePage({ last: 1.5 }, 'NAME', 2))).toBe('BAD_USER_INPUT');
  });

  it('refuses first and last together', () => {
    expect(codeOf(() => parsePage({ first: 2, last: 2 }, 'NAME', 2))).toBe('BAD_USER_INPUT');
  });

  it('takes a per-field default and maximum', () => {
    expect(parsePage({}, 'ROWS', 1, { defaultSize: 50, max: 500 }).limit).toBe(50);
    expect(codeOf(() => parsePage({ first: 501 }, 'ROWS', 1, { defaultSize: 50, max: 500 }))).toBe('BAD_USER_INPUT');
    expect(pageSize(undefined, 10, 'first')).toBe(10);
    expect(messageOf(() => pageSize(1000, 10, 'first'))).toContain('between 0 and 100');
  });
});

// An in-memory keyset pager over numbers 1..n: the maths every SQL and ORM query follows.
function pageOf(items: number[], args: PageArgs): Connection<number> {
  const page = parsePage(args, 'N', 1);
  let rows = items.filter(
    (n) => (page.after === null || n > Number(page.after[0])) && (page.before === null || n < Number(page.before[0])),
  );
  rows = page.backward ? rows.reverse() : rows;
  return toConnection(rows.slice(0, page.limit + 1), page, 'N', (n) => [n]);
}

function walk(items: number[], size: number, backward: boolean): { pages: number[][]; infos: Connection<number>['pageInfo'][] } {
  const pages: number[][] = [];
  const infos: Connection<number>['pageInfo'][] = [];
  let cursor: string | null = null;
  for (;;) {
    const c: Connection<number> = pageOf(items, backward ? { last: size, before: cursor } : { first: size, after: cursor });
    pages.push(c.nodes);
    infos.push(c.pageInfo);
    const more = backward ? c.pageInfo.hasPreviousPage : c.pageInfo.hasNextPage;
    if (!more) break;
    cursor = backward ? c.pageInfo.startCursor : c.pageInfo.endCursor;
  }
  return { pages, infos };
}

describe('toConnection', () => {
  const items = Array.from({ length: 7 }, (_, i) => i + 1);

  it('pages forward with the extra row telling whether there is a next page', () => {
    const { pages, infos } = walk(items, 3, false);
    expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(infos.map((i) => [i.hasPreviousPage, i.hasNextPage])).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
  });

  it('pages backward from the end: the same items, each page in sort order', () => {
    const { pages, infos } = walk(items, 3, true);
    expect(pages).toEqual([[5, 6, 7], [2, 3, 4], [1]]);
    expect(pages.flat().sort()).toEqual(items);
    expect(infos.map((i) => [i.hasPreviousPage, i.hasNextPage])).toEqual([
      [true, false],
      [true, true],
      [false, true],
    ]);
    expect(decodeCursor(infos[0].startCursor as string, 'N', 1)).toEqual([5]);
    expect(decodeCursor(infos[0].endCursor as string, 'N', 1)).toEqual([7]);
  });

  it('bounds a window by both cursors', () => {
    const c = pageOf(items, { after: encodeCursor('N', [2]), before: encodeCursor('N', [6]), last: 2 });
    expect(c.nodes).toEqual([4, 5]);
    expect(c.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const f = pageOf(items, { after: encodeCursor('N', [2]), before: encodeCursor('N', [6]), first: 5 });
    expect(f.nodes).toEqual([3, 4, 5]);
    expect(f.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it('gives null cursors for an empty page', () => {
    expect(pageOf([], { last: 3 }).pageInfo).toEqual({ hasPreviousPage: false, hasNextPage: false, startCursor: null, endCursor: null });
  });
});

describe('keyset queries', () => {
  const ID1 = '0190a0a0-0000-7000-8000-000000000001';
  const ID2 = '0190a0a0-0000-7000-8000-000000000002';
  const back: Page = { limit: 2, after: null, before: ['b', ID2], backward: true };

  it('reverse the ORDER BY and the comparison when reading backward', () => {
    const params: unknown[] = [];
    const sql = keysetSql(
      [
        { expr: 'lower(p.name)', dir: 'asc', cast: 'text' },
        { expr: 'p.id', dir: 'asc', cast: 'uuid' },
      ],
      back,
      params,
    );
    expect(sql).toEqual({
      conditions: ['(lower(p.name), p.id) < (cast(? as text), cast(? as uuid))'],
      orderBy: 'lower(p.name) desc, p.id desc',
    });
    expect(params).toEqual(['b', ID2]);
  });

  it('expand mixed directions into a lexicographic OR', () => {
    const params: unknown[] = [];
    const page: Page = { limit: 2, after: [5, ID1], before: null, backward: false };
    const sql = keysetSql(
      [
        { expr: 'priority', dir: 'desc', cast: 'int' },
        { expr: 'id', dir: 'asc', cast: 'uuid' },
      ],
      page,
      params,
    );
    expect(sql.conditions).toEqual(['((priority < cast(? as int)) or (priority = cast(? as int) and id > cast(? as uuid)))']);
    expect(params).toEqual([5, 5, ID1]);
    expect(sql.orderBy).toBe('priority desc, id asc');
  });

  it('build the same window as ORM filters', () => {
    const keys = [
      { field: 'priority', dir: 'desc' as const },
      { field: 'id', dir: 'asc' as const },
    ];
    expect(keysetWhere(keys, back)).toEqual({ $or: [{ priority: { $gt: 'b' } }, { priority: 'b', id: { $lt: ID2 } }] });
    expect(keysetOrderBy(keys, back)).toEqual([{ priority: 'asc' }, { id: 'desc' }]);
    expect(keysetWhere([{ field: 'id', dir: 'desc' }], { ...back, after: ['x'], before: ['a'] })).toEqual({
      $and: [{ id: { $lt: 'x' } }, { id: { $gt: 'a' } }],
    });
    expect(keysetWhere(keys, { ...back, before: null })).toEqual({});
  });

  it('refuse a tampered cursor value as BAD_USER_INPUT before it reaches the database', () => {
    const tampered: Page = { limit: 2, after: ['not-an-id'], before: null, backward: false };
    expect(codeOf(() => keysetSql([{ expr: 'id', dir: 'desc', cast: 'uuid' }], tampered, []))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => keysetSql([{ expr: 'n', dir: 'asc', cast: 'int' }], { ...tampered, after: ['x'] }, []))).toBe('BAD_USER_INPUT');
  });
});

describe('pageList', () => {
  const rows = ['a', 'b', 'c', 'd', 'e'];
  const key = (r: string) => [r];

  it('pages an in-memory list both ways by its keys', () => {
    const first = pageList(rows, parsePage({ first: 2 }, 'L', 1), 'L', key);
    expect(first.nodes).toEqual(['a', 'b']);
    expect(pageList(rows, parsePage({ first: 2, after: first.pageInfo.endCursor }, 'L', 1), 'L', key).nodes).toEqual(['c', 'd']);
    const last = pageList(rows, parsePage({ last: 2 }, 'L', 1), 'L', key);
    expect(last.nodes).toEqual(['d', 'e']);
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    expect(pageList(rows, parsePage({ last: 2, before: last.pageInfo.startCursor }, 'L', 1), 'L', key).nodes).toEqual(['b', 'c']);
  });

  it('refuses a cursor that matches no row', () => {
    expect(codeOf(() => pageList(rows, parsePage({ after: encodeCursor('L', ['zz']) }, 'L', 1), 'L', key))).toBe('BAD_USER_INPUT');
  });
});
