import { isEmail, isUuid, normaliseEmail, normalisePhone } from '@dcrm/kit';
import { forgetOldest } from './bounded.js';
import { schemaError } from './event-types.js';
import type { TypeCatalog } from './rule-cache.js';
import type { ExternalEvent, Identity, ValidEvent } from './types.js';

export type Rejection = { code: string; message: string; field?: string[] };

const PRODUCER = /^[A-Za-z0-9._:-]{1,100}$/;
/** Events further in the future than this are a producer's clock error; older than the longest window, a moment long gone. */
const FUTURE_MS = 5 * 60_000;
const STALE_MS = 7 * 24 * 3_600_000;
/** A payload this large is no network event: refused before its schema runs. */
export const MAX_PAYLOAD_CHARS = 8_192;

/**
 * MSISDNs as parsed (E.164, or null when invalid), per process: parsing is the costliest check (~14 µs),
 * and subscribers repeat. Sized for a base of a million subscribers, whose recent half carries most of the
 * traffic: emptied whole at 100,000, the cache answered only one event in seven of such a stream.
 */
const parsedMsisdns = new Map<string, string | null>();
const MAX_PARSED = 400_000;

function e164Of(msisdn: string): string | null {
  let e164 = parsedMsisdns.get(msisdn);
  if (e164 === undefined) {
    // E.164 as it is sent (kit's contact-match parser), with or without the leading + of mediation records.
    e164 = normalisePhone(msisdn.startsWith('+') ? msisdn : `+${msisdn}`);
    if (parsedMsisdns.size >= MAX_PARSED) forgetOldest(parsedMsisdns, MAX_PARSED / 10);
    // The number as sent when it is already E.164 (the usual case): one string kept, not two.
    parsedMsisdns.set(msisdn, e164 === msisdn ? msisdn : e164);
  }
  return e164;
}

function identityOf(raw: Identity): Identity | Rejection {
  const given = [raw.accountId, raw.msisdn, raw.email].filter((v) => v != null && v !== '').length;
  if (given !== 1) return { code: 'INVALID_IDENTITY', message: 'Give exactly one of accountId, msisdn or email', field: ['identity'] };
  if (raw.accountId)
    return isUuid(raw.accountId)
      ? { accountId: raw.accountId }
      : { code: 'INVALID_IDENTITY', message: 'accountId is not an id', field: ['identity', 'accountId'] };
  if (raw.msisdn) {
    const e164 = e164Of(raw.msisdn);
    return e164 ? { msisdn: e164 } : { code: 'INVALID_IDENTITY', message: 'msisdn is not an E.164 number', field: ['identity', 'msisdn'] };
  }
  const email = normaliseEmail(raw.email as string);
  return isEmail(email) ? { email } : { code: 'INVALID_IDENTITY', message: 'email is not an email address', field: ['identity', 'email'] };
}

/**
 * Checks one external event of a brand, all or nothing: producer and event id, exactly one identity,
 * a known type (built-in, or declared by the brand's staff), a time neither in the future nor older
 * than a week, and a payload its type's JSON Schema accepts. The first problem is the rejection.
 */
export function validateEvent(storefrontId: string, raw: ExternalEvent, types: TypeCatalog, nowMs: number): ValidEvent | Rejection {
  if (typeof raw.producer !== 'string' || !PRODUCER.test(raw.producer))
    return { code: 'INVALID_PRODUCER', message: 'producer: 1–100 letters, digits and . _ : -', field: ['producer'] };
  if (typeof raw.eventId !== 'string' || raw.eventId.length === 0 || raw.eventId.length > 200)
    return { code: 'INVALID_EVENT_ID', message: 'eventId: 1–200 characters', field: ['eventId'] };
  const identity = identityOf(raw.identity ?? {});
  if ('code' in identity) return identity;
  const spec = types.spec(storefrontId, raw.type);
  if (!spec) return { code: 'UNKNOWN_TYPE', message: `Unknown event type ${String(raw.type).slice(0, 50)}`, field: ['type'] };
  const occurredAt = raw.occurredAt ? new Date(raw.occurredAt) : new Date(nowMs);
  if (Number.isNaN(occurredAt.getTime())) return { code: 'INVALID_TIME', message: 'occurredAt is not a date-time', field: ['occurredAt'] };
  if (occurredAt.getTime() > nowMs + FUTURE_MS)
    return { code: 'INVALID_TIME', message: 'occurredAt is in the future', field: ['occurredAt'] };
  if (occurredAt.getTime() < nowMs - STALE_MS)
    return { code: 'STALE', message: 'occurredAt is more than 7 days ago', field: ['occurredAt'] };
  const payload = raw.payload ?? {};
  if (typeof payload !== 'object' || Array.isArray(payload))
    return { code: 'INVALID_PAYLOAD', message: 'payload must be an object', field: ['payload'] };
  if (!spec.validate(payload)) return { code: 'INVALID_PAYLOAD', message: schemaError(spec.validate), field: ['payload'] };
  const record = payload as Record<string, unknown>;
  const measured = spec.measure ? record[spec.measure] : undefined;
  return {
    storefrontId,
    producer: raw.producer,
    eventId: raw.eventId,
    identity,
    type: raw.type,
    occurredAt,
    payload: record,
    measure: typeof measured === 'number' && Number.isFinite(measured) ? measured : 0,
  };
}
