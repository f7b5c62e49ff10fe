/** Shared shapes of real-time event decisioning (ingestion → hot context → rules → arbitration → channel → record). */
import type { DecisionProfile } from '@dcrm/kit';

/** The built-in event types a CSP's mediation, charging and network systems send; staff declare more (`eventTypeDefine`). */
export const BUILT_IN_EVENT_TYPES = [
  'DATA_USAGE',
  'BALANCE_LOW',
  'RECHARGE',
  'ROAMING_ENTERED',
  'SESSION_ENDED',
  'APP_USAGE',
  'TICKET_RESOLVED',
  // The platform's own events (the bus, `bus-events.ts`), decided like external ones.
  'PRODUCT_VIEWED',
  'CART_ABANDONED',
  'ORDER_PLACED',
  // A customer's answer to an offer (`responses.ts`): seen, accepted, dismissed.
  'OFFER_SEEN',
  'OFFER_ACCEPTED',
  'OFFER_DISMISSED',
] as const;

/** Where a decision's action goes: the live subscription, or a notification by consent and preference. */
export const DECISION_CHANNELS = ['LIVE', 'PUSH', 'SMS', 'EMAIL', 'INBOX'] as const;
export type DecisionChannel = (typeof DECISION_CHANNELS)[number];

/** Who the event is about: exactly one of the account id, the MSISDN (E.164) or the email. */
export type Identity = { accountId?: string | null; msisdn?: string | null; email?: string | null };

/** One external event as sent (mutation input or stream entry), before validation. */
export type ExternalEvent = {
  producer: string;
  eventId: string;
  identity: Identity;
  type: string;
  occurredAt: string | null;
  payload: unknown;
};

/** A valid event of a brand: the customer still to be resolved, the payload checked against its type's schema. */
export type ValidEvent = {
  storefrontId: string;
  producer: string;
  eventId: string;
  identity: Identity;
  type: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
  /** The type's measure, summed in the hot context (e.g. DATA_USAGE `usedShare`, RECHARGE `amount`); 0 when none. */
  measure: number;
};

/** What decisioning knows of the account (cached with a TTL; never read from the database on the decision path): kit's hot-copy profile. */
export type Profile = DecisionProfile;

/** Per-customer features from the hot context, right after this event was counted. */
export type Features = {
  /** Count and sum of each event type per hour bucket (epoch hours): `count(type, hours)` reads them. */
  buckets: Map<string, { count: number; sum: number }>;
  plan: string | null;
};

export type Outcome = 'ACTION' | 'NO_ACTION';
export type IngestStatus = 'ACCEPTED' | 'DUPLICATE' | 'REJECTED';

/** A reason recorded with a decision: a rule that matched or not, why it lost, why the winner won. */
export type Reason = { ruleId: string | null; code: string; message: string };

/** One event's result, as the mutation answers it and the stream consumer counts it. */
export type IngestResult = {
  eventId: string;
  status: IngestStatus;
  decisionId: string | null;
  outcome: Outcome | null;
  reasons: { code: string; message: string; field?: string[] }[];
};
