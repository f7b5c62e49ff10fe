import { describe, expect, it } from 'vitest';
import { parseBulkContent } from './bulk.js';

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
