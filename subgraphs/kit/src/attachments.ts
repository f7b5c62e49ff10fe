import { createHash } from 'node:crypto';
import type { UserError } from './errors.js';

const DEFAULT_MAX = 512 * 1024;

/**
 * Files uploaded as base64 in GraphQL input and kept in PostgreSQL (ticket, quote): checks and decoding.
 * At most this many bytes per file, from the environment variable `name` (default 512 KiB, never above
 * 10 MiB). A GraphQL request is at most 1 MB and base64 adds a third, so larger files need that limit raised too.
 */
export function attachmentLimit(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[name] ?? DEFAULT_MAX);
  return Number.isInteger(value) && value > 0 ? Math.min(value, 10 * 1024 * 1024) : DEFAULT_MAX;
}

export const MAX_ATTACHMENTS = 5;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export type AttachmentInput = { fileName: string; contentType: string; contentBase64: string };
export type DecodedAttachment = { fileName: string; contentType: string; content: Buffer; sizeBytes: number; sha256: string };

/** The codes `decodeAttachments` reports. */
export type AttachmentErrorCode = 'TOO_MANY' | 'INVALID' | 'TOO_LARGE';

/** Decodes and checks uploaded files: names, media types, base64, size. Errors name the input field at fault. */
export function decodeAttachments(
  inputs: readonly AttachmentInput[] | null | undefined,
  field: string[],
  maxBytes: number,
): { files: DecodedAttachment[]; errors: UserError<AttachmentErrorCode>[] } {
  const files: DecodedAttachment[] = [];
  const errors: UserError<AttachmentErrorCode>[] = [];
  const list = inputs ?? [];
  if (list.length > MAX_ATTACHMENTS) {
    return { files, errors: [{ code: 'TOO_MANY', message: `At most ${MAX_ATTACHMENTS} attachments`, field }] };
  }
  list.forEach((input, i) => {
    const at = [...field, String(i)];
    const fileName = input.fileName.trim();
    if (!fileName || fileName.length > 255 || /[/\\]/.test(fileName) || [...fileName].some((c) => c.charCodeAt(0) < 32)) {
      errors.push({ code: 'INVALID', message: 'A file name of 1 to 255 characters, without slashes', field: [...at, 'fileName'] });
    }
    if (!MEDIA_TYPE.test(input.contentType))
      errors.push({ code: 'INVALID', message: 'A media type such as image/png', field: [...at, 'contentType'] });
    const encoded = input.contentBase64.replace(/\s/g, '');
    if (!BASE64.test(encoded) || encoded.length % 4 === 1) {
      errors.push({ code: 'INVALID', message: 'Content must be base64', field: [...at, 'contentBase64'] });
      return;
    }
    // Checked before decoding: a huge upload is refused without being decoded.
    if (Math.floor((encoded.length * 3) / 4) > maxBytes + 2) {
      errors.push({ code: 'TOO_LARGE', message: `At most ${maxBytes} bytes per file`, field: [...at, 'contentBase64'] });
      return;
    }
    const content = Buffer.from(encoded, 'base64');
    if (content.length > maxBytes) {
      errors.push({ code: 'TOO_LARGE', message: `At most ${maxBytes} bytes per file`, field: [...at, 'contentBase64'] });
      return;
    }
    files.push({
      fileName,
      contentType: input.contentType.toLowerCase(),
      content,
      sizeBytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
  });
  return { files, errors };
}
