import { actingStorefront, fail, hasScope, isUuid, type NotifyRow, ok, type RuleInput, validateRules } from '@dcrm/kit';
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notifyPartnerSubmitter } from '../clients/partner-notify.js';
import {
  approvalsOfQuotes,
  type IQuote,
  type IQuoteApproval,
  linesOf,
  Quote,
  QuoteApproval,
  QuoteApprovalRuleSet,
} from '../entities/index.js';
import { isExpired, quoteScope } from './access.js';
import { approversFor, notifyApprovers, notifyDecided } from './approval-routing.js';
import {
  APPROVAL_FACTS,
  APPROVAL_LEVELS,
  type ApprovalLevel,
  approvalFacts,
  LEVEL_SCOPES,
  levelsNeeded,
  type StoredApprovalRule,
} from './approval-rules.js';
import type { Result } from './quote.errors.js';
import { f } from './quote-checks.js';
import { mayWrite, type WriteCtx } from './quote-context.js';
import { decisionVariables, partnerTemplate } from './quote-notify-rules.js';

type ConditionArg = { path: string; operator: string; value?: string | null; values?: string[] | null };
export type RuleArg = {
  id?: string | null;
  name?: string | null;
  match?: string | null;
  priority?: number | null;
  active?: boolean | null;
  conditions: ConditionArg[];
  level: ApprovalLevel;
};

/** The storefront's rule set (version 0 and no rules before the first set). */
export async function ruleSetOf(ctx: Pick<WriteCtx, 'em'>, storefrontId: string) {
  const set = await ctx.em.findOne(QuoteApprovalRuleSet, { storefrontId });
  return { rules: set?.rules ?? [], version: set?.version ?? 0, updatedAt: set?.updatedAt ?? null };
}

/** Replaces the acting storefront's approval rules (quote:admin), validated against the quote facts. */
export async function setApprovalRules(ctx: WriteCtx, input: { version: number; rules: RuleArg[] }) {
  const storefrontId = actingStorefront(ctx.principal);
  if (!storefrontId || !hasScope(ctx.principal, 'quote:admin')) return fail('FORBIDDEN', 'Missing scope quote:admin');
  const raw: RuleInput[] = input.rules.map((r) => ({ ...r, target: r.level }));
  const valid = validateRules(raw, { fields: APPROVAL_FACTS, outcome: 'target', targets: APPROVAL_LEVELS, maxRules: 50 });
  if (!valid.ok) return valid;
  const existing = await ctx.em.findOne(QuoteApprovalRuleSet, { storefrontId });
  if ((existing?.version ?? 0) !== input.version)
    return fail('CONFLICT', `The rules changed since version ${input.version}; reload them`, f('version'));
  const rules = valid.value as StoredApprovalRule[];
  const now = ctx.services.clock.now();
  if (existing) Object.assign(existing, { rules, updatedBy: ctx.principal.id, updatedAt: now });
  else ctx.em.create(QuoteApprovalRuleSet, { storefrontId, rules, updatedBy: ctx.principal.id, updatedAt: now });
  try {
    await ctx.em.flush();
  } catch (error) {
    if (error instanceof OptimisticLockError || error instanceof UniqueConstraintViolationException)
      return fail('CONFLICT', 'The rules changed meanwhile; reload them', f('version'));
    throw error;
  }
  return ok(await ruleSetOf(ctx, storefrontId));
}

async function saved<T>(ctx: WriteCtx, value: T): Promise<Result<T>> {
  try {
    await ctx.em.flush();
    return ok(value);
  } catch (error) {
    if (error instanceof OptimisticLockError || error instanceof UniqueConstraintViolationException)
      return fail('CONFLICT', 'The quote changed meanwhile; reload it', f('version'));
    throw error;
  }
}

async function visibleQuote(ctx: WriteCtx, id: string, version: number, status: IQuote['status']): Promise<Result<IQuote>> {
  const scope = quoteScope(ctx.principal);
  const quote = scope && isUuid(id) ? await ctx.em.findOne(Quote, { $and: [scope, { id }] }) : null;
  if (!quote) return fail('NOT_FOUND', 'No such quote', f('id'));
  if (quote.status !== status)
    return fail('INVALID_STATUS', `A ${quote.status} quote cannot be ${status === 'DRAFT' ? 'submitted' : 'decided'}`, f('id'));
  if (quote.version !== version) return fail('CONFLICT', `The quote changed since version ${version}; reload it`, f('version'));
  return ok(quote);
}

/**
 * Submits a DRAFT quote: the storefront's rules are evaluated on its facts; each level matched asks
 * its approvers (notified after commit) and the quote is SUBMITTED, or APPROVED when none matched.
 */
export async function quoteSubmit(ctx: WriteCtx, id: string, version: number): Promise<Result<IQuote>> {
  if (!mayWrite(ctx.principal)) return fail('FORBIDDEN', 'Missing scope quote:write');
  const found = await visibleQuote(ctx, id, version, 'DRAFT');
  if (!found.ok) return found;
  const quote = found.value;
  if (isExpired(quote, ctx.services.clock.now())) return fail('EXPIRED', 'The quote has expired; change its validity first', f('id'));
  const { rules } = await ruleSetOf(ctx, quote.storefrontId);
  const needed = levelsNeeded(rules as StoredApprovalRule[], approvalFacts(quote, await linesOf(ctx.em, [quote.id])));
  const asks = [];
  for (const need of needed) asks.push({ ...need, approverIds: await approversFor(ctx, quote.storefrontId, need.level) });
  for (const ask of asks)
    ctx.em.create(QuoteApproval, {
      quoteId: quote.id,
      level: ask.level,
      reasons: ask.reasons,
      approverIds: ask.approverIds,
      requestedBy: ctx.principal.id,
    });
  quote.status = asks.length ? 'SUBMITTED' : 'APPROVED';
  quote.submittedBy = ctx.principal.id;
  quote.submittedByKind = ctx.principal.kind;
  quote.updatedAt = new Date();
  const result = await saved(ctx, quote);
  if (result.ok && asks.length) await notifyApprovers(ctx, quote, asks);
  if (result.ok && !asks.length) await tellPartner(ctx, quote);
  return result;
}

/** A partner user who submitted the quote is told of the decision (customers by the notify rules). */
const tellPartner = (ctx: WriteCtx, quote: IQuote) =>
  notifyPartnerSubmitter(ctx.services.peers, quote, partnerTemplate(quote.status), decisionVariables(quote as unknown as NotifyRow));

const rank = (a: IQuoteApproval) => APPROVAL_LEVELS.indexOf(a.level as ApprovalLevel);

/** The approvals of quote revisions (one statement for all), MANAGER before FINANCE before DIRECTOR. */
export const approvalsOfRevisions = async (em: EntityManager, quoteIds: readonly string[]): Promise<IQuoteApproval[]> =>
  (await approvalsOfQuotes(em, quoteIds)).sort((a, b) => rank(a) - rank(b));

/** A revision's approvals, MANAGER before FINANCE before DIRECTOR. */
export const approvalsOf = (ctx: Pick<WriteCtx, 'em'>, quoteId: string): Promise<IQuoteApproval[]> =>
  approvalsOfRevisions(ctx.em, [quoteId]);

export type DecisionArgs = { id: string; version: number; level?: ApprovalLevel | null; comment?: string | null };

/** Approves or rejects one level of a SUBMITTED quote, by staff holding the level's scope (not the submitter). */
export async function quoteDecide(ctx: WriteCtx, input: DecisionArgs, decision: 'APPROVED' | 'REJECTED'): Promise<Result<IQuote>> {
  const comment = input.comment?.trim() || null;
  if (decision === 'REJECTED' && !comment) return fail('REQUIRED', 'Say why the quote is rejected', f('comment'));
  if (comment && comment.length > 2000) return fail('TOO_LONG', 'At most 2000 characters', f('comment'));
  const found = await visibleQuote(ctx, input.id, input.version, 'SUBMITTED');
  if (!found.ok) return found;
  const quote = found.value;
  const approvals = await approvalsOf(ctx, quote.id);
  const mine = (a: IQuoteApproval) => hasScope(ctx.principal, LEVEL_SCOPES[a.level as ApprovalLevel]);
  const approval = input.level
    ? approvals.find((a) => a.level === input.level)
    : (approvals.find((a) => a.status === 'PENDING' && mine(a)) ?? approvals.find((a) => a.status === 'PENDING'));
  if (!approval) return fail('NOT_FOUND', 'This quote needs no approval at that level', f('level'));
  if (!mine(approval)) return fail('FORBIDDEN', `Missing scope ${LEVEL_SCOPES[approval.level as ApprovalLevel]}`, f('level'));
  if (approval.status !== 'PENDING')
    return fail('ALREADY_DECIDED', `The ${approval.level} level is already ${approval.status}`, f('level'));
  if (approval.requestedBy && approval.requestedBy === ctx.principal.id)
    return fail('FORBIDDEN', 'You cannot decide a quote you submitted', f('id'));
  Object.assign(approval, { status: decision, decidedBy: ctx.principal.id, comment, decidedAt: ctx.services.clock.now() });
  const done = decision === 'REJECTED' || approvals.every((a) => a.status === 'APPROVED');
  if (done) quote.status = decision;
  quote.updatedAt = new Date();
  const result = await saved(ctx, quote);
  // Staff submitters are told here; customers by the quote's notify rules (quote-notify-rules.ts).
  const staffSubmitter = quote.submittedByKind !== 'customer' && quote.submittedByKind !== 'partner';
  if (result.ok && done && staffSubmitter) await notifyDecided(ctx, quote, approval.requestedBy ?? null, decision, comment);
  if (result.ok && done) await tellPartner(ctx, quote);
  return result;
}
