import {
  Checks,
  type EventBus,
  fail,
  MAX_ALLOWED_ORIGINS,
  mayActOn,
  normalizeOrigin,
  ok,
  type Principal,
  STOREFRONT_ORIGINS_CHANGED,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IStorefront, Storefront } from '../entities/index.js';
import type { ErrorCode, Result } from './catalog.errors.js';

export type StorefrontOriginsSetInput = { storefrontId: string; origins: string[] };

/** The origins as canonical `scheme://host[:port]`, or a userError per entry that is not one. */
export function checkOrigins(origins: readonly string[], checks: Checks<ErrorCode>, field: string[]): string[] {
  if (origins.length > MAX_ALLOWED_ORIGINS) checks.add('TOO_MANY', `At most ${MAX_ALLOWED_ORIGINS} origins`, field);
  const canonical = origins.map((value, i) => {
    const origin = normalizeOrigin(value);
    if (!origin) checks.add('INVALID', 'Use an origin: http(s)://host[:port], no path and no wildcard', [...field, String(i)]);
    return origin ?? '';
  });
  const valid = canonical.filter(Boolean);
  if (new Set(valid).size !== valid.length) checks.add('DUPLICATE', 'Contains duplicates', field);
  return canonical;
}

/**
 * Replaces a storefront's allowed browser origins, then tells every router (their CORS cache). Only a
 * storefront the caller may act on: another brand's answers like an unknown one.
 */
export async function storefrontOriginsSet(
  em: EntityManager,
  bus: EventBus,
  principal: Principal,
  input: StorefrontOriginsSetInput,
): Promise<Result<IStorefront>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.storefrontId, ['input', 'storefrontId']);
  const origins = checkOrigins(input.origins, checks, ['input', 'origins']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const storefront = mayActOn(principal, input.storefrontId) ? await em.findOne(Storefront, { id: input.storefrontId }) : null;
  if (!storefront) return fail('NOT_FOUND', 'No such storefront', ['input', 'storefrontId']);
  storefront.allowedOrigins = origins;
  await em.flush();
  await bus.publish(STOREFRONT_ORIGINS_CHANGED, { storefrontId: storefront.id });
  return ok(storefront);
}

/** Every storefront that lists origins, with them (the router's CORS allow-list). */
export async function storefrontOrigins(em: EntityManager): Promise<{ storefrontId: string; origins: string[] }[]> {
  const rows = await em.execute(
    `select id, allowed_origins from "catalog"."storefront" where cardinality(allowed_origins) > 0 order by id`,
  );
  return rows.map((r) => ({ storefrontId: r.id as string, origins: r.allowed_origins as string[] }));
}
