import { type AttachmentInput, attachmentLimit, type DecodedAttachment, decodeAttachments as decode } from '@dcrm/kit';
import type { UserError } from './ticket.errors.js';

export type { AttachmentInput, DecodedAttachment };

/** At most this many bytes per ticket file: `DCRM_TICKET_ATTACHMENT_MAX_BYTES` (kit `attachmentLimit`). */
export const attachmentMaxBytes = (env: NodeJS.ProcessEnv = process.env): number =>
  attachmentLimit('DCRM_TICKET_ATTACHMENT_MAX_BYTES', env);

/** Decodes and checks a ticket's uploaded files (kit `decodeAttachments`) against the ticket limit. */
export const decodeAttachments = (
  inputs: readonly AttachmentInput[] | null | undefined,
  field: string[],
  maxBytes = attachmentMaxBytes(),
): { files: DecodedAttachment[]; errors: UserError[] } => decode(inputs, field, maxBytes);
