import { Checks, fail, ok } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IStorefront, PriceList, Storefront, type ThemeData } from '../entities/index.js';
import type { ErrorCode, Result } from './catalog.errors.js';

export type StorefrontCreateInput = { slug: string; name: string; currencyCode: string; locale: string; theme?: ThemeData };

/** A plain theme until the brand's own is set. */
export const NEUTRAL_THEME: ThemeData = {
  primaryColor: '#1f2937',
  secondaryColor: '#f3f4f6',
  accentColor: '#2563eb',
  logoUrl: '',
  fontFamily: 'system-ui, sans-serif',
};

/**
 * A new storefront with its default price list (pricing expects exactly one per storefront). No GraphQL
 * mutation creates storefronts: this is the operator's step (`dcrm bootstrap`) on an empty database.
 */
export async function storefrontCreate(em: EntityManager, input: StorefrontCreateInput): Promise<Result<IStorefront>> {
  const checks = new Checks<ErrorCode>();
  checks.slug(input.slug, ['slug']);
  checks.text(input.name, ['name'], 120);
  if (!/^[A-Z]{3}$/.test(input.currencyCode)) checks.add('INVALID', 'Use an ISO 4217 code such as EUR', ['currencyCode']);
  if (!/^[a-z]{2,3}(-[A-Z]{2})?$/.test(input.locale)) checks.add('INVALID', 'Use a locale such as en-IE', ['locale']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  try {
    const storefront = await em.transactional(async (tx) => {
      const created = tx.create(Storefront, {
        slug: input.slug,
        name: input.name.trim(),
        currencyCode: input.currencyCode,
        locale: input.locale,
        theme: input.theme ?? NEUTRAL_THEME,
      });
      tx.create(PriceList, { storefront: created, name: `${created.name} list prices`, currencyCode: created.currencyCode });
      return created;
    });
    return ok(storefront);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return fail('TAKEN', 'A storefront has this slug', ['slug']);
    throw error;
  }
}
