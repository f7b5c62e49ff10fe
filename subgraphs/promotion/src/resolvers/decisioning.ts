import { fail, fromMinor, isUuid, parsePage, payload, toConnection } from '@dcrm/kit';
import { DEAD_LETTER_SORT, deadLettersOf } from '../domain/decisioning/dead-letters-read.js';
import { DECISION_SORT, decisionCursor, decisionKpis, decisionRulesOf, decisionsPage } from '../domain/decisioning/decisions-read.js';
import { eventTypeDefine, eventTypesOf } from '../domain/decisioning/event-types-write.js';
import { eventsIngest, MAX_INGEST_BATCH } from '../domain/decisioning/ingest.js';
import { decisionRuleCreate, decisionRuleUpdate } from '../domain/decisioning/rules-write.js';
import { decisionChannelRates, decisionSettingsOf, decisionSettingsSet } from '../domain/decisioning/settings.js';
import type { PromotionResolvers } from './context.js';

const notFound = (field: string[]) => fail('NOT_FOUND', 'No such rule', field);

export const decisioningResolvers: PromotionResolvers = {
  Query: {
    decisions: async (_, args, ctx) => {
      const page = parsePage(args, DECISION_SORT, 2);
      const rows = await decisionsPage(ctx.em, ctx.principal, args.filter ?? {}, page);
      return toConnection(rows, page, DECISION_SORT, decisionCursor);
    },
    decisionRules: (_, __, ctx) => decisionRulesOf(ctx.em, ctx.principal),
    eventTypes: (_, __, ctx) => eventTypesOf(ctx.em, ctx.principal),
    decisionKpis: (_, args, ctx) => decisionKpis(ctx.em, ctx.principal, args.from ?? null, args.to ?? null, ctx.loaders.now),
    decisionSettings: (_, __, ctx) => decisionSettingsOf(ctx.em, ctx.services, ctx.principal),
    decisionChannelRates: (_, args, ctx) => decisionChannelRates(ctx.services, ctx.principal, args.segment ?? null),
    decisionDeadLetters: (_, args, ctx) =>
      deadLettersOf(
        ctx.services,
        ctx.principal,
        args.reason ?? null,
        parsePage({ first: args.first, after: args.after }, DEAD_LETTER_SORT, 1),
      ),
  },
  Mutation: {
    eventsIngest: async (_, { events }, ctx) => {
      const decisioning = ctx.services.decisioning;
      if (!decisioning) throw new Error('decisioning is not running');
      if (events.length > MAX_INGEST_BATCH)
        return {
          results: [],
          userErrors: [{ code: 'TOO_MANY', message: `At most ${MAX_INGEST_BATCH} events per call`, field: ['events'] }],
        };
      return { results: await eventsIngest(decisioning, ctx.principal, events), userErrors: [] };
    },
    eventTypeDefine: async (_, { input }, ctx) => payload('eventType', await eventTypeDefine(ctx.em, ctx.services, ctx.principal, input)),
    decisionRuleCreate: async (_, { input }, ctx) =>
      payload('decisionRule', await decisionRuleCreate(ctx.em, ctx.services, ctx.principal, input)),
    decisionRuleUpdate: async (_, { input }, ctx) =>
      payload(
        'decisionRule',
        isUuid(input.id) ? await decisionRuleUpdate(ctx.em, ctx.services, ctx.principal, input) : notFound(['input', 'id']),
      ),
    decisionSettingsSet: async (_, { input }, ctx) =>
      payload('decisionSettings', await decisionSettingsSet(ctx.em, ctx.services, ctx.principal, input)),
  },
  DecisionRule: {
    // Staff only, per `@lookup` in the SDL; the loader keeps to the caller's storefront.
    __resolveReference: (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.decisionRule.load(ref.id) : null),
    score: (r) => Number(r.score),
  },
  DecisionAction: {
    promotion: (a, _, ctx) => (a.promotionId ? ctx.loaders.promotion.load(a.promotionId) : null),
    product: (a) => (a.productId ? { __typename: 'Product', id: a.productId } : null),
    offerTtlHours: (a) => a.offerTtlHours ?? 48,
    cost: (a) => fromMinor(a.costMinor ?? 0),
  },
  Decision: {
    customer: (d) => ({ __typename: 'Customer', id: d.customerId }),
    rule: (d, _, ctx) => (d.ruleId ? ctx.loaders.decisionRule.load(d.ruleId) : null),
    offer: (d, _, ctx) => (d.offerId ? ctx.loaders.offer.load(d.offerId) : null),
  },
  DecisionRuleKpi: {
    rule: (k, _, ctx) => (k.ruleId ? ctx.loaders.decisionRule.load(k.ruleId) : null),
  },
};
