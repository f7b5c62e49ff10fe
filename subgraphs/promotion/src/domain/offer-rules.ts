import { actingStorefront, Checks, fail, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOfferRule, OfferRule, type OfferTemplate, PromotionRow } from '../entities/index.js';
import type { ErrorCode, Result } from './promotion.errors.js';
import { checkScore, checkTemplate } from './template-checks.js';

type RuleFields = {
  name?: string | null;
  threshold?: number | null;
  windowMinutes?: number | null;
  cooldownMinutes?: number | null;
  template?: OfferTemplate | null;
  promotionId?: string | null;
  offerTtlHours?: number | null;
  score?: number | null;
  active?: boolean | null;
};
export type OfferRuleCreateInput = RuleFields & { name: string; event: IOfferRule['event']; template: OfferTemplate };
export type OfferRuleUpdateInput = RuleFields & { id: string; version: number };

const field = (name: string) => ['input', name];

async function check(em: EntityManager, storefrontId: string, input: RuleFields): Promise<Checks<ErrorCode>> {
  const checks = new Checks<ErrorCode>();
  checks.text(input.name, field('name'), 200);
  checks.int(input.threshold, field('threshold'), 1, 100);
  checks.int(input.windowMinutes, field('windowMinutes'), 1, 60 * 24 * 90);
  checks.int(input.cooldownMinutes, field('cooldownMinutes'), 0, 60 * 24 * 365);
  checks.int(input.offerTtlHours, field('offerTtlHours'), 1, 24 * 365);
  checkScore(checks, input.score, field('score'));
  checkTemplate(checks, input.template, field('template'));
  if (input.promotionId && checks.uuid(input.promotionId, field('promotionId'))) {
    if (!(await em.count(PromotionRow, { id: input.promotionId, storefrontId })))
      checks.add('NOT_FOUND', 'No such promotion', field('promotionId'));
  }
  return checks;
}

const defined = <T extends object>(values: T) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null));

export async function offerRuleCreate(em: EntityManager, principal: Principal, input: OfferRuleCreateInput): Promise<Result<IOfferRule>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('NO_STOREFRONT', 'Sign in to a storefront first');
  const checks = await check(em, storefrontId, input);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const rule = em.create(OfferRule, {
    ...defined(input),
    name: input.name.trim(),
    event: input.event,
    template: input.template,
    storefrontId,
  });
  await em.flush();
  return ok(rule);
}

export async function offerRuleUpdate(em: EntityManager, principal: Principal, input: OfferRuleUpdateInput): Promise<Result<IOfferRule>> {
  const storefrontId = actingStorefront(principal);
  const rule = storefrontId ? await em.findOne(OfferRule, { id: input.id, storefrontId }) : null;
  if (!rule) return fail('NOT_FOUND', 'No such rule', field('id'));
  if (rule.version !== input.version)
    return fail('CONFLICT', `The rule changed since version ${input.version}; reload it`, field('version'));
  const checks = await check(em, storefrontId as string, input);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const { id: _id, version: _version, ...changes } = input;
  em.assign(rule, defined(changes));
  if (changes.name) rule.name = changes.name.trim();
  await em.flush();
  return ok(rule);
}
