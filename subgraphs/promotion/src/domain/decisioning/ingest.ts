import { badInput, type Principal } from '@dcrm/kit';
import { type Decisioning, decideBatch } from './decide.js';
import type { ExternalEvent, IngestResult } from './types.js';

/** Events per `eventsIngest` call; more go through the stream. */
export const MAX_INGEST_BATCH = 100;

export type ExternalEventInput = {
  producer: string;
  eventId: string;
  identity: { accountId?: string | null; msisdn?: string | null; email?: string | null };
  type: string;
  occurredAt?: Date | string | null;
  payload?: string | null;
};

/** A payload sent as JSON text, parsed; `undefined` when it is no JSON (a rejection). */
function parsePayload(text: string | null | undefined): unknown {
  if (text == null || text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The low-volume path: a private key of one brand (scope `events:write`, checked by `@access`) sends
 * up to MAX_INGEST_BATCH events; each is decided or refused on its own, and the answer says which.
 */
export async function eventsIngest(d: Decisioning, principal: Principal, events: ExternalEventInput[]): Promise<IngestResult[]> {
  if (events.length > MAX_INGEST_BATCH) throw badInput(`At most ${MAX_INGEST_BATCH} events per call; use the stream for more`, 'events');
  const storefrontId = principal.storefrontId;
  if (!storefrontId) throw badInput('The key belongs to no storefront');
  const incoming = events.map((e) => {
    const payload = parsePayload(e.payload);
    const raw: ExternalEvent = {
      producer: e.producer,
      eventId: e.eventId,
      identity: e.identity ?? {},
      type: e.type,
      occurredAt: e.occurredAt ? new Date(e.occurredAt).toISOString() : null,
      payload: payload === undefined ? 'not json' : payload,
    };
    return { storefrontId, raw, takeover: false };
  });
  return decideBatch(d, 'MUTATION', incoming);
}
