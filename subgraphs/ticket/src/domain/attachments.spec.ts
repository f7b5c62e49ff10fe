import { describe, expect, it } from 'vitest';
import { attachmentMaxBytes, decodeAttachments } from './attachments.js';

const file = (content: string, overrides: Record<string, string> = {}) => ({
  fileName: 'log.txt',
  contentType: 'text/plain',
  contentBase64: Buffer.from(content).toString('base64'),
  ...overrides,
});

describe('ticket attachments', () => {
  it('decodes files with their size and hash', () => {
    const { files, errors } = decodeAttachments([file('hello')], ['input', 'attachments']);
    expect(errors).toEqual([]);
    expect(files[0]).toMatchObject({ fileName: 'log.txt', contentType: 'text/plain', sizeBytes: 5 });
    expect(files[0].sha256).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  it('names the field at fault: names, media types, base64, size, count', () => {
    const at = (i: number, field: string) => ['input', 'attachments', String(i), field];
    const { errors } = decodeAttachments(
      [file('x', { fileName: '../etc/passwd' }), file('x', { contentType: 'text' }), file('x', { contentBase64: '***' }), file('12345')],
      ['input', 'attachments'],
      4,
    );
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['INVALID', at(0, 'fileName')],
      ['INVALID', at(1, 'contentType')],
      ['INVALID', at(2, 'contentBase64')],
      ['TOO_LARGE', at(3, 'contentBase64')],
    ]);
    const many = decodeAttachments(
      Array.from({ length: 6 }, () => file('x')),
      ['input', 'attachments'],
    );
    expect(many.errors.map((e) => e.code)).toEqual(['TOO_MANY']);
  });

  it('reads its limit from the environment, within bounds', () => {
    expect(attachmentMaxBytes({})).toBe(512 * 1024);
    expect(attachmentMaxBytes({ DCRM_TICKET_ATTACHMENT_MAX_BYTES: '1000' })).toBe(1000);
    expect(attachmentMaxBytes({ DCRM_TICKET_ATTACHMENT_MAX_BYTES: '999999999' })).toBe(10 * 1024 * 1024);
    expect(attachmentMaxBytes({ DCRM_TICKET_ATTACHMENT_MAX_BYTES: 'lots' })).toBe(512 * 1024);
  });
});
