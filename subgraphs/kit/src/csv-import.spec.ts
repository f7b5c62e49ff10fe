import { describe, expect, it } from 'vitest';
import { problem } from './bulk.js';
import { parseCsvImport, toBulkChecked, toBulkRows } from './csv-import.js';

const codes = (result: ReturnType<typeof parseCsvImport>) => (result.ok ? null : result.errors.map((e) => e.code));

describe('parseCsvImport', () => {
  const columns = { firstName: ['first name', 'prénom'], email: ['e-mail', 'mail'], mobile: 'phone' };

  it('maps headers, reads BOM, quotes, doubled quotes, line breaks in quotes and CRLF; trims and skips blanks', () => {
    const csv =
      '\uFEFFFirst_Name,E-Mail,Phone,Notes\r\n"Doe, Jane", jane@x.ie ,"087 ""mobile""",ignored\r\n"Multi\nline",,,\r\n,,,\r\n\r\nBob,bob@x.ie,,\r\n';
    const result = parseCsvImport(csv, { columns });
    expect(result).toEqual({
      ok: true,
      value: {
        total: 3,
        valid: 3,
        invalid: 0,
        fields: ['firstName', 'email', 'mobile'],
        rows: [
          {
            index: 1,
            line: 2,
            values: { firstName: 'Doe, Jane', email: 'jane@x.ie', mobile: '087 "mobile"' },
            value: { firstName: 'Doe, Jane', email: 'jane@x.ie', mobile: '087 "mobile"' },
            errors: [],
          },
          { index: 2, line: 4, values: { firstName: 'Multi\nline' }, value: { firstName: 'Multi\nline' }, errors: [] },
          {
            index: 3,
            line: 7,
            values: { firstName: 'Bob', email: 'bob@x.ie' },
            value: { firstName: 'Bob', email: 'bob@x.ie' },
            errors: [],
          },
        ],
      },
    });
  });

  it('runs the validator on structurally sound rows; required, too long and extra fields are row problems', () => {
    const result = parseCsvImport('email,name\na@x.ie,A\n,B\nc@x.ie,C,extra\nbad,D\ne@x.ie,EEEEEEE', {
      required: ['email'],
      maxField: 6,
      validate: (values) =>
        values.email.includes('@') ? { value: { email: values.email.toUpperCase() } } : [problem('INVALID', 'Not an email', 'email')],
    });
    if (!result.ok) throw new Error('refused');
    expect(result.value).toMatchObject({ total: 5, valid: 1, invalid: 4 });
    expect(result.value.rows.map((r) => [r.index, r.value, r.errors.map((e) => `${e.field}:${e.code}`)])).toEqual([
      [1, { email: 'A@X.IE' }, []],
      [2, null, ['email:REQUIRED']],
      [3, null, ['null:EXTRA_FIELDS']],
      [4, null, ['email:INVALID']],
      [5, null, ['name:TOO_LONG']],
    ]);
    expect(toBulkChecked(result.value)[0]).toEqual({ row: 1, value: { email: 'A@X.IE' }, problems: [] });
    expect(toBulkRows(result.value)[1]).toEqual({ row: 2, data: { name: 'B' } });
  });

  it('refuses the whole file: too large, malformed (with the line), empty, too many rows, column problems', () => {
    expect(codes(parseCsvImport(`a\n${'x'.repeat(101)}`, { maxBytes: 100 }))).toEqual(['TOO_LARGE']);
    const open = parseCsvImport('a,b\n1,2\n"open,3');
    expect(open.ok ? null : open.errors[0]).toEqual({
      code: 'MALFORMED',
      message: 'A quoted field is not closed at line 3',
      field: ['input', 'content'],
    });
    expect(codes(parseCsvImport('a,"b"x\n1,2'))).toEqual(['MALFORMED']);
    expect(codes(parseCsvImport(''))).toEqual(['EMPTY']);
    expect(codes(parseCsvImport('a,b\n,\n'))).toEqual(['EMPTY']);
    expect(codes(parseCsvImport('a\n1\n2\n3', { maxRows: 2 }))).toEqual(['TOO_MANY_ROWS']);
    expect(codes(parseCsvImport('a,,b\n1,2,3'))).toEqual(['MALFORMED']);
    expect(codes(parseCsvImport('mail,e-mail\n1,2', { columns }))).toEqual(['DUPLICATE_COLUMN']);
    expect(codes(parseCsvImport('mail\n1', { columns, required: ['firstName'] }))).toEqual(['MISSING_COLUMN']);
    expect(codes(parseCsvImport('mail,shoe size\n1,2', { columns, unknownColumns: 'error' }))).toEqual(['UNKNOWN_COLUMN']);
    expect(parseCsvImport('a;b\n1;2', { delimiter: ';' })).toMatchObject({ ok: true, value: { rows: [{ values: { a: '1', b: '2' } }] } });
  });

  it('parses and validates a generated 10,000-row CSV quickly', () => {
    const lines = ['First Name,Last Name,E-mail,Mobile,Plan'];
    for (let i = 0; i < 10_000; i++)
      lines.push(`"Person, ${i}",Näme${i},p${i}@example.com,087${String(1_000_000 + i).slice(-7)},${i % 7 === 0 ? '' : 'plan-x'}`);
    const csv = lines.join('\r\n');
    const started = performance.now();
    const result = parseCsvImport(csv, {
      columns: { firstName: 'first name', lastName: 'last name', email: 'email', mobile: 'mobile', plan: 'plan' },
      required: ['firstName', 'email'],
      validate: (values) => (values.plan ? [] : [problem('REQUIRED', 'Choose a plan', 'plan')]),
    });
    const elapsed = performance.now() - started;
    if (!result.ok) throw new Error('refused');
    expect(result.value).toMatchObject({ total: 10_000, valid: 8_571, invalid: 1_429 });
    expect(result.value.rows[9_999]).toMatchObject({
      index: 10_000,
      line: 10_001,
      values: { firstName: 'Person, 9999', lastName: 'Näme9999' },
    });
    expect(elapsed).toBeLessThan(2_000);
  });
});
