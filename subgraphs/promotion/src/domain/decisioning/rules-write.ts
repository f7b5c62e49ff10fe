import { actingStorefront, Checks, fail, ok, type Principal, toMinor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type DecisionAction,
  type DecisionCondition,
  DecisionRule,
  EventTypeRow,
  type IDecisionRule,
  PromotionRow,
} from '../../entities/index.js';
import type { ErrorCode, Result } from '../promotion.errors.js';
import type { PromotionServices } from '../services.js';
import { checkScore, checkTemplate } from '../template-checks.js';
import { isBuiltIn } from './event-types.js';
import { amountMinor } from './money.js';
import { DECISION_RULES_CHANGED } from './rule-cache.js';
import { MAX_WINDOW_HOURS } from './store.js';
import { DECISION_CHANNELS } from './types.js';

/** A rule's action as written: its cost per action as a Decimal string in the brand's currency (absent: 0). */
type ActionInput = Omit<DecisionAction, 'costMinor'> & { cost?: string | null };

type RuleFields = {
  name?: string | null;
  conditions?: DecisionCondition[] | null;
  action?: ActionInput | null;
  channels?: string[] | null;
  priority?: number | null;
  score?: number | null;
  cooldownMinutes?: number | null;
  dailyCap?: number | null;
  channelDailyCap?: number | null;
  budget?: number | null;
  active?: boolean | null;
};
export type DecisionRuleCreateInput = RuleFields & { name: string; eventType: string; action: ActionInput };
export type DecisionRuleUpdateInput = RuleFields & { id: string; version: number };

const field = (...path: string[]) => ['input', ...path];
const MAX_CONDITIONS = 20;

function checkCondition(checks: Checks<ErrorCode>, c: DecisionCondition, at: string[]): void {
  const numeric = ['GT', 'GTE', 'LT', 'LTE'].includes(c.op);
  if (c.subject === 'PAYLOAD' && !c.key) checks.add('REQUIRED', 'PAYLOAD conditions name a key', [...at, 'key']);
  checks.text(c.key, [...at, 'key'], 100, false);
  if (c.subject === 'COUNT' || c.subject === 'SUM') {
    checks.int(c.windowHours, [...at, 'windowHours'], 1, MAX_WINDOW_HOURS);
    if (c.op === 'IN' || c.op === 'NOT_IN') checks.add('INVALID', 'Counts and sums compare with numbers', [...at, 'op']);
  }
  if ((numeric || (c.op === 'EQ' && !c.values?.length)) && (c.number == null || !Number.isFinite(c.number)))
    checks.add('REQUIRED', `${c.op} needs a number`, [...at, 'number']);
  if ((c.op === 'IN' || c.op === 'NOT_IN') && !c.values?.length) checks.add('REQUIRED', `${c.op} needs values`, [...at, 'values']);
  if ((c.values?.length ?? 0) > 100) checks.add('TOO_MANY', 'At most 100 values', [...at, 'values']);
}

async function check(em: EntityManager, storefrontId: string, input: RuleFields & { eventType?: string }): Promise<Checks<ErrorCode>> {
  const checks = new Checks<ErrorCode>();
  checks.text(input.name, field('name'), 200);
  if (
    input.eventType !== undefined &&
    !isBuiltIn(input.eventType) &&
    !(await em.count(EventTypeRow, { storefrontId, name: input.eventType }))
  )
    checks.add('NOT_FOUND', 'No such event type (declare it with eventTypeDefine)', field('eventType'));
  if ((input.conditions?.length ?? 0) > MAX_CONDITIONS) checks.add('TOO_MANY', `At most ${MAX_CONDITIONS} conditions`, field('conditions'));
  for (const [i, c] of (input.conditions ?? []).entries()) checkCondition(checks, c, field('conditions', String(i)));
  for (const [i, ch] of (input.channels ?? []).entries())
    if (!(DECISION_CHANNELS as readonly string[]).includes(ch)) checks.add('INVALID', 'Unknown channel', field('channels', String(i)));
  if (input.channels && input.channels.length === 0) checks.add('REQUIRED', 'At least one channel', field('channels'));
  checks.int(input.priority, field('priority'), -1000, 1000);
  checkScore(checks, input.score, field('score'));
  checks.int(input.cooldownMinutes, field('cooldownMinutes'), 0, 60 * 24 * 365);
  checks.int(input.dailyCap, field('dailyCap'), 1, 100);
  checks.int(input.channelDailyCap, field('channelDailyCap'), 1, 100);
  checks.int(input.budget, field('budget'), 0, 100_000_000);
  const action = input.action;
  if (action) {
    checkTemplate(checks, action.template, field('action', 'template'));
    checks.int(action.offerTtlHours, field('action', 'offerTtlHours'), 1, 24 * 365);
    if (action.kind === 'PROMOTION' && !action.promotionId)
      checks.add('REQUIRED', 'PROMOTION actions name a promotion', field('action', 'promotionId'));
    if (action.promotionId && checks.uuid(action.promotionId, field('action', 'promotionId'))) {
      if (!(await em.count(PromotionRow, { id: action.promotionId, storefrontId })))
        checks.add('NOT_FOUND', 'No such promotion', field('action', 'promotionId'));
    }
    checks.uuid(action.productId, field('action', 'productId'));
    amountMinor(checks, action.cost, field('action', 'cost'));
  }
  return checks;
}

const defined = <T extends object>(values: T) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && (v !== null || false)));

const tidyAction = (a: ActionInput): DecisionAction => ({
  kind: a.kind,
  template: a.template,
  promotionId: a.promotionId ?? null,
  productId: a.productId ?? null,
  offerTtlHours: a.offerTtlHours ?? 48,
  costMinor: a.cost == null ? 0 : toMinor(a.cost),
});

async function changed(services: PromotionServices, storefrontId: string) {
  services.decisioning?.rules.forget(storefrontId);
  await services.bus.publish(DECISION_RULES_CHANGED, { storefrontId }).catch(() => {});
}

export async function decisionRuleCreate(
  em: EntityManager,
  services: PromotionServices,
  principal: Principal,
  input: DecisionRuleCreateInput,
): Promise<Result<IDecisionRule>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('NO_STOREFRONT', 'Sign in to a storefront first');
  const checks = await check(em, storefrontId, input);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const rule = em.create(DecisionRule, {
    ...defined(input),
    name: input.name.trim(),
    eventType: input.eventType,
    conditions: input.conditions ?? [],
    action: tidyAction(input.action),
    channels: input.channels ?? [...DECISION_CHANNELS],
    budget: input.budget ?? null,
    storefrontId,
  });
  await em.flush();
  await changed(services, storefrontId);
  return ok(rule);
}

export async function decisionRuleUpdate(
  em: EntityManager,
  services: PromotionServices,
  principal: Principal,
  input: DecisionRuleUpdateInput,
): Promise<Result<IDecisionRule>> {
  const storefrontId = actingStorefront(principal);
  const rule = storefrontId ? await em.findOne(DecisionRule, { id: input.id, storefrontId }) : null;
  if (!rule || !storefrontId) return fail('NOT_FOUND', 'No such rule', field('id'));
  if (rule.version !== input.version)
    return fail('CONFLICT', `The rule changed since version ${input.version}; reload it`, field('version'));
  const checks = await check(em, storefrontId, input);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const { id: _id, version: _version, action, ...changes } = input;
  em.assign(rule, defined(changes));
  if (action) rule.action = tidyAction(action);
  if (changes.name) rule.name = changes.name.trim();
  if (input.budget === null) rule.budget = null;
  await em.flush();
  await changed(services, storefrontId);
  return ok(rule);
}
