import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { OfferTemplate } from './campaign.entity.js';

export const DECISION_SUBJECTS = ['PAYLOAD', 'COUNT', 'SUM', 'SEGMENT', 'PLAN', 'HOUR'] as const;
export const DECISION_OPS = ['GT', 'GTE', 'LT', 'LTE', 'EQ', 'IN', 'NOT_IN'] as const;
export const DECISION_ACTIONS = ['OFFER', 'PROMOTION', 'MESSAGE'] as const;

/**
 * One condition of a decision rule, over the event (PAYLOAD `key`), the hot context (COUNT or SUM of
 * `eventType` over the last `windowHours`), the profile (SEGMENT, PLAN) or the time (HOUR, 0–23 UTC).
 */
export type DecisionCondition = {
  subject: (typeof DECISION_SUBJECTS)[number];
  op: (typeof DECISION_OPS)[number];
  key?: string | null;
  eventType?: string | null;
  windowHours?: number | null;
  number?: number | null;
  values?: string[] | null;
};

/** What a winning rule does: an offer (optionally about a product), an offer carrying a promotion, or a message only. */
export type DecisionAction = {
  kind: (typeof DECISION_ACTIONS)[number];
  template: OfferTemplate;
  promotionId?: string | null;
  productId?: string | null;
  offerTtlHours?: number | null;
  /** What one action costs the brand, in minor units of its currency (counted against its daily budget); absent: 0. */
  costMinor?: number | null;
};

export const EventTypeRow = defineEntity({
  name: 'EventTypeRow',
  tableName: 'event_type',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    name: p.string(),
    description: p.string().nullable(),
    payloadSchema: p.json<Record<string, unknown>>(),
    createdAt: columns.createdAt(),
    version: columns.version(),
  },
});
export type IEventType = InferEntity<typeof EventTypeRow>;

export const DecisionRule = defineEntity({
  name: 'DecisionRule',
  tableName: 'decision_rule',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    name: p.string(),
    eventType: p.string(),
    conditions: p.json<DecisionCondition[]>(),
    action: p.json<DecisionAction>(),
    channels: p.json<string[]>(),
    priority: p.integer().default(0),
    score: p.double().default(50),
    cooldownMinutes: p.integer().default(1440),
    dailyCap: p.integer().default(3),
    channelDailyCap: p.integer().default(2),
    budget: p.integer().nullable(),
    active: p.boolean().default(true),
    createdAt: columns.createdAt(),
    version: columns.version(),
  },
});
export type IDecisionRule = InferEntity<typeof DecisionRule>;

/** One decision per external event (written in batches by the recorder, read by staff). */
export const Decision = defineEntity({
  name: 'Decision',
  tableName: 'decision',
  properties: {
    id: p.uuid().primary(),
    storefrontId: p.uuid(),
    producer: p.string(),
    eventId: p.string(),
    eventType: p.string(),
    customerId: p.uuid(),
    segment: p.string(),
    partnerId: p.uuid().nullable(),
    occurredAt: p.datetime(),
    outcome: p.enum(['ACTION', 'NO_ACTION'] as const),
    ruleId: p.uuid().nullable(),
    actionKind: p.string().nullable(),
    channel: p.string().nullable(),
    offerId: p.uuid().nullable(),
    reasons: p.json<{ ruleId: string | null; code: string; message: string }[]>(),
    decidedAt: p.datetime(),
  },
});
export type IDecision = InferEntity<typeof Decision>;

/** A brand's decisioning settings (one row per storefront; none: the defaults). */
export const DecisionSettingsRow = defineEntity({
  name: 'DecisionSettingsRow',
  tableName: 'decision_settings',
  properties: {
    storefrontId: p.uuid().primary(),
    dailyActionCap: p.integer().nullable(),
    /** The brand's spend per UTC day on decision actions, minor units of its currency; null: no limit. */
    dailyBudgetMinor: p.integer().nullable(),
    channelMinSample: p.integer().default(20),
    updatedAt: p.datetime(),
    version: columns.version(),
  },
});
export type IDecisionSettings = InferEntity<typeof DecisionSettingsRow>;

/** The same shapes under names that do not clash with the generated GraphQL types (codegen mappers). */
export type DecisionActionData = DecisionAction;
export type DecisionConditionData = DecisionCondition;
