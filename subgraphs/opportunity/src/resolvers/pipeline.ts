import { actingStorefront, forbidden, hasScope, type Principal, pageArgs } from '@dcrm/kit';
import { SCOPES } from '../domain/access.js';
import { rejectionAnalysis } from '../domain/pipeline/analysis.js';
import { customFieldViews } from '../domain/pipeline/custom-fields.js';
import type { IOpportunity, IPipelineStage, TmfOpportunityStatus, TransitionField } from '../entities/index.js';
import { CustomFieldDefinition, OpportunityReason } from '../entities/index.js';
import type { TransitionField as GqlTransitionField, SalesOpportunityTmfStatus } from '../generated/resolvers.js';
import type { OpportunityContext, OpportunityResolvers } from './context.js';

const TMF: Record<TmfOpportunityStatus, SalesOpportunityTmfStatus> = {
  acknowledged: 'ACKNOWLEDGED',
  inProgress: 'IN_PROGRESS',
  pending: 'PENDING',
  accepted: 'ACCEPTED',
  rejected: 'REJECTED',
  cancelled: 'CANCELLED',
};
// When a storefront's stage rows do not name the opportunity's stage.
const TMF_BY_STATUS: Record<string, SalesOpportunityTmfStatus> = {
  OPEN: 'IN_PROGRESS',
  WON: 'ACCEPTED',
  LOST: 'REJECTED',
  REJECTED: 'REJECTED',
  CANCELLED: 'CANCELLED',
};
const FIELDS: Record<TransitionField, GqlTransitionField> = { reasonCode: 'REASON_CODE', competitor: 'COMPETITOR', note: 'NOTE' };

/** Pipeline configuration is readable by those who read opportunities: staff with `opportunity:read`, partners. */
function configStorefront(principal: Principal): string | null {
  if (principal.kind === 'staff' && !hasScope(principal, SCOPES.read)) throw forbidden(`Missing scope ${SCOPES.read}`);
  return actingStorefront(principal);
}

const stageOf = async (o: IOpportunity, ctx: OpportunityContext): Promise<IPipelineStage | undefined> =>
  (await ctx.loaders.stages.load(o.storefrontId)).find((s) => s.code === o.stage);

const dateOnly = (value: unknown): string | null =>
  value == null ? null : value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);

/** The pipeline as data (stages, transitions, reasons, custom fields), rejection analysis, and the opportunity's pipeline fields. */
export const pipelineResolvers: OpportunityResolvers = {
  Query: {
    pipelineStages: async (_, __, ctx) => {
      const storefrontId = configStorefront(ctx.principal);
      return storefrontId ? ctx.loaders.stages.load(storefrontId) : [];
    },
    rejectionReasons: async (_, { kind, includeInactive }, ctx) => {
      const storefrontId = configStorefront(ctx.principal);
      if (!storefrontId) return [];
      return ctx.em.find(
        OpportunityReason,
        { storefrontId, ...(kind ? { kind } : {}), ...(includeInactive ? {} : { active: true }) },
        { orderBy: { kind: 'asc', position: 'asc', code: 'asc' } },
      );
    },
    customFieldDefinitions: async (_, { entity }, ctx) => {
      const storefrontId = configStorefront(ctx.principal);
      if (!storefrontId) return [];
      return ctx.em.find(CustomFieldDefinition, { storefrontId, entity, active: true }, { orderBy: { position: 'asc', key: 'asc' } });
    },
    opportunityRejectionAnalysis: (_, { from, to, groupBy, period }, ctx) =>
      rejectionAnalysis(ctx.em, ctx.principal, { from: new Date(from), to: new Date(to), groupBy, period }),
  },
  PipelineStage: {
    tmfStatus: (s) => TMF[s.tmfStatus],
    transitions: async (s, _, ctx) => (await ctx.loaders.transitions.load(s.storefrontId)).filter((t) => t.fromCode === s.code),
  },
  StageTransition: {
    from: (t) => t.fromCode,
    to: (t) => t.toCode,
    requiredFields: (t) => t.requiredFields.map((f) => FIELDS[f]),
  },
  OpportunityHistoryEntry: {
    actor: (h) => `${h.actorKind}:${h.actorId ?? ''}`,
  },
  OpportunityLine: {
    unitOneOff: (l) => l.oneOff ?? null,
    unitMonthly: (l) => l.monthly ?? null,
    currencyCode: (l) => l.currency ?? null,
  },
  Opportunity: {
    tmfStatus: async (o, _, ctx) => {
      const stage = await stageOf(o, ctx);
      return stage ? TMF[stage.tmfStatus] : TMF_BY_STATUS[o.status];
    },
    lines: (o, _, ctx) => ctx.loaders.lines.load(o.id),
    history: (o, args, ctx) => ctx.loaders.history.load({ parent: o.id, ...pageArgs(args) }),
    estimatedValue: (o) => ({
      oneOff: o.estimatedOneOff,
      monthly: o.estimatedMonthly,
      firstYear: o.estimatedFirstYear,
      currency: o.estimatedCurrency ?? null,
    }),
    budget: (o) => (o.budgetAmount != null && o.budgetCurrency ? { amount: o.budgetAmount, currencyCode: o.budgetCurrency } : null),
    closeDate: (o) => dateOnly(o.closeDate),
    customFields: async (o, _, ctx) => {
      const definitions = (await ctx.loaders.customFieldDefinitions.load(o.storefrontId)).filter((d) => d.entity === 'OPPORTUNITY');
      return customFieldViews(definitions, o.customFields ?? {});
    },
  },
  Lead: {
    opportunity: async (l, _, ctx) => (await ctx.loaders.leadOpportunity.load(l.id))[0] ?? null,
  },
};
