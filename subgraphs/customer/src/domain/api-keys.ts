import {
  API_KEY_CHANGED,
  API_KEY_REVOKED,
  Checks,
  type Connection,
  cursorDate,
  cursorId,
  fail,
  keysetOrderBy,
  keysetWhere,
  type OrmKey,
  ok,
  type PageArgs,
  type Principal,
  parsePage,
  randomToken,
  sha256Hex,
  toConnection,
} from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey, type IApiKey } from '../entities/index.js';
import type { ErrorCode, Result } from './customer.errors.js';
import type { CustomerServices } from './services.js';

export type KeyKind = 'PUBLIC' | 'PRIVATE';
/** A key's own query cost bucket (the router's defaults when null). */
export type CostBudget = { maximumAvailable: number; restoreRate: number };
export type ApiKeyGrant = {
  keyId: string;
  kind: KeyKind;
  storefrontId: string;
  partnerId: string | null;
  scopes: string[];
  costBudget: CostBudget | null;
};
export type CreatedKey = { apiKey: IApiKey; secret: string };

/** What a private key may be granted; partners may grant their keys only the partner-safe ones. */
export const PRIVATE_KEY_SCOPES = ['customer:lookup', 'customer:read', 'events:write', 'interaction:write', 'nps:read', 'ticket:create'];
const PARTNER_KEY_SCOPES = ['customer:read', 'interaction:write'];

const newSecret = (kind: KeyKind) => randomToken(kind === 'PUBLIC' ? 'dcrm_pk' : 'dcrm_sk');

/** Keys a principal manages: staff their storefront's, partners their own. */
function managed(principal: Principal): FilterQuery<IApiKey> {
  if (principal.kind === 'partner')
    return { partnerId: principal.partnerId ?? '00000000-0000-0000-0000-000000000000', storefrontId: principal.storefrontId ?? undefined };
  return { storefrontId: principal.storefrontId ?? '00000000-0000-0000-0000-000000000000' };
}

export async function verifyApiKey(em: EntityManager, key: string): Promise<ApiKeyGrant | null> {
  if (key.length < 16 || key.length > 200) return null;
  const found = await em.findOne(ApiKey, { hash: sha256Hex(key), revokedAt: null });
  return found
    ? {
        keyId: found.id,
        kind: found.kind,
        storefrontId: found.storefrontId,
        partnerId: found.partnerId ?? null,
        scopes: found.scopes,
        costBudget: costBudgetOf(found),
      }
    : null;
}

export const costBudgetOf = (key: IApiKey): CostBudget | null =>
  key.costBucketSize && key.costRestoreRate ? { maximumAvailable: key.costBucketSize, restoreRate: key.costRestoreRate } : null;

/** Budgets a key may be given: large enough for one real query, restored no faster than the bucket holds. */
function checkBudget(checks: Checks<ErrorCode>, budget: CostBudget | null | undefined, field: string[]): void {
  if (!budget) return;
  checks.int(budget.maximumAvailable, [...field, 'maximumAvailable'], 10, 1_000_000);
  checks.int(budget.restoreRate, [...field, 'restoreRate'], 1, Math.max(1, Math.min(budget.maximumAvailable, 1_000_000)));
}

const budgetColumns = (budget: CostBudget | null | undefined) => ({
  costBucketSize: budget?.maximumAvailable ?? null,
  costRestoreRate: budget?.restoreRate ?? null,
});

const NEWEST: OrmKey[] = [
  { field: 'createdAt', dir: 'desc', parse: cursorDate },
  { field: 'id', dir: 'desc', parse: cursorId },
];

/** One page of the keys the principal manages, newest first. */
export async function listApiKeys(em: EntityManager, principal: Principal, args: PageArgs): Promise<Connection<IApiKey>> {
  const page = parsePage(args, 'NEWEST', 2);
  const rows = await em.find(
    ApiKey,
    { $and: [managed(principal), keysetWhere(NEWEST, page) as FilterQuery<IApiKey>] },
    {
      orderBy: keysetOrderBy(NEWEST, page),
      limit: page.limit + 1,
    },
  );
  return toConnection(rows, page, 'NEWEST', (k) => [k.createdAt.toISOString(), k.id]);
}

export type ApiKeyCreateInput = { kind: KeyKind; name: string; scopes?: string[] | null; costBudget?: CostBudget | null };

export async function apiKeyCreate(em: EntityManager, principal: Principal, input: ApiKeyCreateInput): Promise<Result<CreatedKey>> {
  const checks = new Checks<ErrorCode>();
  checks.text(input.name, ['input', 'name'], 120);
  const scopes = [...new Set(input.scopes ?? [])];
  const allowed = principal.kind === 'partner' ? PARTNER_KEY_SCOPES : PRIVATE_KEY_SCOPES;
  if (principal.kind === 'partner' && input.kind === 'PUBLIC') checks.add('INVALID', 'Partners create PRIVATE keys', ['input', 'kind']);
  if (input.kind === 'PUBLIC' && scopes.length) checks.add('INVALID', 'Public keys have no scopes', ['input', 'scopes']);
  for (const [i, scope] of scopes.entries()) {
    if (!allowed.includes(scope))
      checks.add('INVALID', `Unknown or not allowed scope; allowed: ${allowed.join(', ')}`, ['input', 'scopes', String(i)]);
  }
  if (!principal.storefrontId) checks.add('INVALID', 'No storefront in scope', ['input']);
  // A partner sizing its own key's budget would be no limit at all.
  if (input.costBudget && principal.kind !== 'staff') checks.add('FORBIDDEN', 'Only staff set cost budgets', ['input', 'costBudget']);
  checkBudget(checks, input.costBudget, ['input', 'costBudget']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return ok(
    await insertKey(em, {
      kind: input.kind,
      name: input.name.trim(),
      storefrontId: principal.storefrontId as string,
      partnerId: principal.kind === 'partner' ? principal.partnerId : null,
      scopes,
      ...budgetColumns(input.costBudget),
    }),
  );
}

async function insertKey(
  em: EntityManager,
  fields: {
    kind: KeyKind;
    name: string;
    storefrontId: string;
    partnerId: string | null;
    scopes: string[];
    costBucketSize: number | null;
    costRestoreRate: number | null;
  },
): Promise<CreatedKey> {
  const secret = newSecret(fields.kind);
  const apiKey = em.create(ApiKey, { ...fields, prefix: secret.slice(0, 16), hash: sha256Hex(secret) });
  await em.flush();
  return { apiKey, secret };
}

async function findManaged(em: EntityManager, principal: Principal, id: string): Promise<IApiKey | null> {
  const checks = new Checks<ErrorCode>();
  if (!checks.uuid(id, ['input', 'id'])) return null;
  return em.findOne(ApiKey, { $and: [managed(principal), { id, revokedAt: null }] });
}

export async function apiKeyRevoke(
  em: EntityManager,
  services: CustomerServices,
  principal: Principal,
  id: string,
): Promise<Result<IApiKey>> {
  const key = await findManaged(em, principal, id);
  if (!key) return fail('NOT_FOUND', 'No such active key', ['input', 'id']);
  key.revokedAt = new Date();
  await em.flush();
  await services.bus.publish(API_KEY_REVOKED, { keyId: key.id });
  return ok(key);
}

/** A new secret with the same grants; the old secret stops working now. */
export async function apiKeyRotate(
  em: EntityManager,
  services: CustomerServices,
  principal: Principal,
  id: string,
): Promise<Result<CreatedKey>> {
  const key = await findManaged(em, principal, id);
  if (!key) return fail('NOT_FOUND', 'No such active key', ['input', 'id']);
  const created = await em.transactional(async (tx) => {
    await tx.nativeUpdate(ApiKey, { id: key.id }, { revokedAt: new Date() });
    return insertKey(tx as EntityManager, {
      kind: key.kind,
      name: key.name,
      storefrontId: key.storefrontId,
      partnerId: key.partnerId ?? null,
      scopes: key.scopes,
      costBucketSize: key.costBucketSize ?? null,
      costRestoreRate: key.costRestoreRate ?? null,
    });
  });
  await services.bus.publish(API_KEY_REVOKED, { keyId: key.id });
  return ok(created);
}

export type ApiKeyCostBudgetSetInput = { id: string; costBudget?: CostBudget | null };

/** A key's own cost budget, or none (the router's defaults); routers pick it up when they next verify the key. */
export async function apiKeyCostBudgetSet(
  em: EntityManager,
  services: CustomerServices,
  principal: Principal,
  input: ApiKeyCostBudgetSetInput,
): Promise<Result<IApiKey>> {
  const checks = new Checks<ErrorCode>();
  checkBudget(checks, input.costBudget, ['input', 'costBudget']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const key = await findManaged(em, principal, input.id);
  if (!key) return fail('NOT_FOUND', 'No such active key', ['input', 'id']);
  Object.assign(key, budgetColumns(input.costBudget));
  await em.flush();
  // Routers cache verified keys: drop the cached grant so the new budget applies at once.
  await services.bus.publish(API_KEY_CHANGED, { keyId: key.id });
  return ok(key);
}
