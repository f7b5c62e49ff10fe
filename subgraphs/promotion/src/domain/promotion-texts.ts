import {
  actingStorefront,
  Checks,
  canonicalLocale,
  fail,
  isUuid,
  localeChain,
  ok,
  type Principal,
  pickText,
  removeTranslations,
  translationLoader,
  writeTranslations,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IPromotion, PromotionRow } from '../entities/index.js';
import type { EvaluationResult } from './evaluation.js';
import type { ErrorCode, Result } from './promotion.errors.js';

/**
 * Promotion texts per locale: names and descriptions in the translation table, messages in the
 * promotion's own per-locale templates. Shoppers see them in the request's language (the router's
 * request context, carried on by the cart's call), else the storefront's locale the cart sends.
 */

/** The discounts' names in the request's language: one statement for every cart evaluated. */
export async function translateDiscountNames(
  em: EntityManager,
  principal: Principal,
  storefrontLocale: string | null | undefined,
  results: EvaluationResult[],
): Promise<EvaluationResult[]> {
  const chain = localeChain(principal.locale, storefrontLocale);
  const ids = [...new Set(results.flatMap((r) => r.discounts.map((d) => d.promotionId)))];
  if (chain.length === 0 || ids.length === 0) return results;
  const loaded = await translationLoader(em, 'promotion', 'promotion', chain).loadMany(ids);
  const texts = new Map(ids.map((id, i) => [id, i]));
  return results.map((r) => ({
    ...r,
    discounts: r.discounts.map((d) => {
      const found = loaded[texts.get(d.promotionId) ?? -1];
      return found instanceof Error || !found ? d : { ...d, name: pickText(found.texts, chain, 'name', d.name) };
    }),
  }));
}

export type PromotionTextsInput = { promotionId: string; locale: string; name?: string | null; description?: string | null };

const LIMITS = { name: 255, description: 2000 } as const;

/** A promotion of the caller's brand (unknown and other brands' alike: NOT_FOUND) and the canonical locale. */
async function target(em: EntityManager, principal: Principal, input: { promotionId: string; locale: string }, checks: Checks<ErrorCode>) {
  const locale = canonicalLocale(input.locale);
  if (!locale) checks.add('INVALID', 'Use a BCP 47 locale such as fr or de-CH', ['input', 'locale']);
  const storefrontId = actingStorefront(principal);
  const promotion =
    storefrontId && isUuid(input.promotionId) ? await em.findOne(PromotionRow, { id: input.promotionId, storefrontId }) : null;
  return { locale, promotion };
}

export async function promotionTranslationsSet(
  em: EntityManager,
  principal: Principal,
  input: PromotionTextsInput,
): Promise<Result<IPromotion>> {
  const checks = new Checks<ErrorCode>();
  for (const field of ['name', 'description'] as const) {
    const value = input[field];
    if (value != null && value.length > LIMITS[field]) checks.add('TOO_LONG', `At most ${LIMITS[field]} characters`, ['input', field]);
  }
  return em.transactional(async (tx) => {
    const { locale, promotion } = await target(tx, principal, input, checks);
    if (!checks.ok || !locale) return { ok: false, errors: checks.errors };
    if (!promotion) return fail('NOT_FOUND', 'No such promotion', ['input', 'promotionId']);
    await writeTranslations(tx, {
      subject: 'promotion',
      subjectId: promotion.id,
      locale,
      storefrontId: promotion.storefrontId,
      fields: { name: input.name ?? undefined, description: input.description ?? undefined },
    });
    return ok(promotion);
  });
}

export async function promotionTranslationsRemove(
  em: EntityManager,
  principal: Principal,
  input: { promotionId: string; locale: string },
): Promise<Result<IPromotion>> {
  const checks = new Checks<ErrorCode>();
  return em.transactional(async (tx) => {
    const { locale, promotion } = await target(tx, principal, input, checks);
    if (!checks.ok || !locale) return { ok: false, errors: checks.errors };
    if (!promotion) return fail('NOT_FOUND', 'No such promotion', ['input', 'promotionId']);
    await removeTranslations(tx, 'promotion', promotion.id, locale);
    return ok(promotion);
  });
}
