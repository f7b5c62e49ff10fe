import { columns, type Rule } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const TASK_KINDS = ['CALL', 'MEETING', 'SITE_SURVEY', 'CREDIT_CHECK', 'BUDGET_APPROVAL', 'MANAGER_APPROVAL', 'OTHER'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_STATUSES = ['OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const DECISIONS = ['APPROVED', 'REJECTED'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Approval kinds and the scope whose holder decides them. */
export const APPROVAL_SCOPES: Partial<Record<TaskKind, string>> = {
  MANAGER_APPROVAL: 'opportunity:approve',
  BUDGET_APPROVAL: 'finance:approve',
};
export const isApproval = (kind: TaskKind): boolean => kind in APPROVAL_SCOPES;

/** A task or activity on an opportunity; approvals carry a decision. */
export const OpportunityTask = defineEntity({
  name: 'OpportunityTask',
  tableName: 'opportunity_task',
  properties: {
    id: columns.id(),
    opportunityId: p.uuid(),
    storefrontId: p.uuid(),
    kind: p.enum(TASK_KINDS),
    title: p.string(),
    assigneeStaffId: p.uuid().nullable(),
    dueAt: p.datetime().nullable(),
    status: p.enum(TASK_STATUSES).default('OPEN'),
    progress: p.integer().default(0),
    notes: p.text().nullable(),
    decision: p.enum(DECISIONS).nullable(),
    decisionComment: p.text().nullable(),
    decidedBy: p.uuid().nullable(),
    decidedAt: p.datetime().nullable(),
    createdBy: p.string().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type IOpportunityTask = InferEntity<typeof OpportunityTask>;

/** A note on an opportunity: internal (staff only) or shared with the opportunity's partner. */
export const OpportunityNote = defineEntity({
  name: 'OpportunityNote',
  tableName: 'opportunity_note',
  properties: {
    id: columns.id(),
    opportunityId: p.uuid(),
    storefrontId: p.uuid(),
    body: p.text(),
    internal: p.boolean().default(true),
    authorKind: p.string(),
    authorId: p.string().nullable(),
    createdAt: columns.createdAt(),
  },
});
export type IOpportunityNote = InferEntity<typeof OpportunityNote>;

/** A staff member an opportunity is shared with (directly, or as a member of `teamId` when shared). */
export const OpportunityShare = defineEntity({
  name: 'OpportunityShare',
  tableName: 'opportunity_share',
  properties: {
    id: columns.id(),
    opportunityId: p.uuid(),
    storefrontId: p.uuid(),
    staffId: p.uuid(),
    teamId: p.uuid().nullable(),
    canWrite: p.boolean().default(false),
    sharedBy: p.string().nullable(),
    createdAt: columns.createdAt(),
  },
});
export type IOpportunityShare = InferEntity<typeof OpportunityShare>;

/** Routing state of an opportunity: its team or partner queue, last activity, escalation of the current idle period. */
export const OpportunityRouting = defineEntity({
  name: 'OpportunityRouting',
  tableName: 'opportunity_routing',
  properties: {
    opportunityId: p.uuid().primary(),
    storefrontId: p.uuid(),
    teamId: p.uuid().nullable(),
    partnerQueueId: p.uuid().nullable(),
    ruleId: p.string().nullable(),
    lastActivityAt: p.datetime().nullable(),
    /** Escalations of the idle period that began at `idleSince` (0: none). */
    escalationLevel: p.integer().default(0),
    escalatedAt: p.datetime().nullable(),
    escalatedTo: p.uuid().nullable(),
    idleSince: p.datetime().nullable(),
    updatedAt: columns.updatedAt(),
  },
});
export type IOpportunityRouting = InferEntity<typeof OpportunityRouting>;

export const RULE_SET_KINDS = ['ASSIGNMENT', 'APPROVAL'] as const;
export type RuleSetKind = (typeof RULE_SET_KINDS)[number];

/** A storefront's routing rules as data: assignment (→ team or partner queue) or approvals (→ approval kind). */
export const RoutingRuleSet = defineEntity({
  name: 'RoutingRuleSet',
  tableName: 'routing_rule_set',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    kind: p.enum(RULE_SET_KINDS),
    rules: p.json<Rule[]>(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type IRoutingRuleSet = InferEntity<typeof RoutingRuleSet>;
