import type { Incoming } from './decide.js';

/** An event as the fields of an event-stream entry (stream.ts), e.g. to set it aside as a dead letter that can be XADDed back. */
export function entryFields(item: Incoming): string[] {
  const { raw } = item;
  const fields = ['storefront', item.storefrontId, 'producer', String(raw.producer ?? ''), 'id', String(raw.eventId ?? '')];
  fields.push('type', String(raw.type ?? ''));
  if (raw.identity?.accountId) fields.push('account', raw.identity.accountId);
  if (raw.identity?.msisdn) fields.push('msisdn', raw.identity.msisdn);
  if (raw.identity?.email) fields.push('email', raw.identity.email);
  if (raw.occurredAt) fields.push('at', raw.occurredAt);
  fields.push('payload', JSON.stringify(raw.payload ?? {}));
  return fields;
}
