import { describe, expect, it } from 'vitest';
import { type BulkChecked, flagRepeatedRows, parseBulkContent } from './bulk.js';

describe('parseBulkContent', () => {
  it('reads CSV with quotes, doubled quotes, CRLF and empty fields; numbers rows from 1 without the header', () => {
    const parsed = parseBulkContent('CSV', '\uFEFFname, email ,note\r\n"Doe, Jane",jane@example.com,"said ""hi"""\r\nBob,,\r\n\r\n');
    expect(parsed).toEqual({
      ok: true,
      rows: [
        { row: 1, data: { name: 'Doe, Jane', email: 'jane@example.com', note: 'said "hi"' } },
        { row: 2, data: { name: 'Bob' } },
      ],
    });
  });

  it('reads JSON lines: flat objects, scalars as text, blank lines skipped', () => {
    expect(parseBulkContent('JSONL', '{"name":"A","age":3,"vip":true}\n\n{"name":"B","x":null}')).toEqual({
      ok: true,
      rows: [
        { row: 1, data: { name: 'A', age: '3', vip: 'true' } },
        { row: 2, data: { name: 'B' } },
      ],
    });
  });

  it('refuses the whole upload when it is malformed, empty, too large or too long', () => {
    const code = (format: 'CSV' | 'JSONL', content: string) => {
      const parsed = parseBulkContent(format, content, { maxBytes: 100, maxRows: 2 });
      return parsed.ok ? null : parsed.errors.map((e) => e.code);
    };
    expect(code('CSV', 'a,b\n"open')).toEqual(['MALFORMED']);
    expect(code('CSV', 'a,a\n1,2')).toEqual(['MALFORMED']);
    expect(code('CSV', 'a,,b\n1,2,3')).toEqual(['MALFORMED']);
    expect(code('JSONL', '{"a":{"nested":1}}')).toEqual(['MALFORMED']);
    expect(code('JSONL', 'not json')).toEqual(['MALFORMED']);
    expect(code('CSV', 'a\n')).toEqual(['EMPTY']);
    expect(code('CSV', 'a\n1\n2\n3')).toEqual(['TOO_MANY_ROWS']);
    expect(code('CSV', `a\n${'x'.repeat(101)}`)).toEqual(['TOO_LARGE']);
  });
});

describe('flagRepeatedRows', () => {
  const valid = (row: number, ...keys: [string, string][]): BulkChecked => ({
    row,
    value: { row },
    problems: [],
    keys: keys.map(([reason, value]) => ({ reason, value, field: reason.toLowerCase() })),
  });

  it('keeps the first row of a key and makes later ones DUPLICATE naming it, in row order whatever order the calls answered', () => {
    // Rows 10 and 9,000 came from different validation calls (answers in any order).
    const checked = [
      valid(9_000, ['EMAIL', 'a@x'], ['MOBILE', '+1']),
      valid(11, ['EMAIL', 'b@x']),
      valid(10, ['EMAIL', 'a@x'], ['MOBILE', '+1']),
    ];
    const out = flagRepeatedRows(checked);
    expect(out.map((c) => c.row)).toEqual([10, 11, 9_000]);
    expect(out[0]).toEqual({ row: 10, value: { row: 10 }, problems: [] });
    expect(out[2]).toEqual({
      row: 9_000,
      value: null,
      problems: [{ field: 'email', code: 'DUPLICATE', message: 'Same as row 10 (EMAIL, MOBILE)' }],
    });
  });

  it('compares reason and value together; invalid rows claim no key; rows without keys pass through', () => {
    const invalid: BulkChecked = { row: 1, value: null, problems: [{ field: 'x', code: 'INVALID', message: 'x' }], keys: [] };
    const out = flagRepeatedRows([
      invalid,
      valid(2, ['EMAIL', 'same']),
      valid(3, ['MOBILE', 'same']),
      { row: 4, value: { a: 1 }, problems: [] },
      valid(5, ['MOBILE', 'same'], ['EMAIL', 'other']),
    ]);
    expect(out.map((c) => c.problems.map((p) => p.message))).toEqual([['x'], [], [], [], ['Same as row 3 (MOBILE)']]);
    expect(out[4].problems[0].field).toBe('mobile');
  });
});
