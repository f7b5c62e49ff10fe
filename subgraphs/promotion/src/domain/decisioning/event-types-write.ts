import { actingStorefront, Checks, fail, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventTypeRow } from '../../entities/index.js';
import type { ErrorCode, Result } from '../promotion.errors.js';
import type { PromotionServices } from '../services.js';
import { CUSTOM_TYPE_NAME, compileCustom, isBuiltIn } from './event-types.js';
import { DECISION_RULES_CHANGED } from './rule-cache.js';
import { BUILT_IN_EVENT_TYPES } from './types.js';

/** An event type as the API shows it. */
export type EventTypeView = { name: string; description: string | null; payloadSchema: string | null; builtIn: boolean };

export type EventTypeDefineInput = { name: string; description?: string | null; payloadSchema: string };

const MAX_SCHEMA_CHARS = 20_000;

/**
 * Declares (or redeclares) a custom event type of the acting brand. Its schema is compiled here (so a
 * broken one is refused now, not at the first event) and again once per cache load on the decision path.
 */
export async function eventTypeDefine(
  em: EntityManager,
  services: PromotionServices,
  principal: Principal,
  input: EventTypeDefineInput,
): Promise<Result<EventTypeView>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('NO_STOREFRONT', 'Sign in to a storefront first');
  const checks = new Checks<ErrorCode>();
  if (!CUSTOM_TYPE_NAME.test(input.name)) checks.add('INVALID', 'Upper-case letters, digits and _, 2–50 characters', ['input', 'name']);
  else if (isBuiltIn(input.name)) checks.add('TAKEN', 'A built-in type has that name', ['input', 'name']);
  checks.text(input.description, ['input', 'description'], 500, false);
  let schema: unknown = null;
  if (input.payloadSchema.length > MAX_SCHEMA_CHARS)
    checks.add('TOO_LONG', `At most ${MAX_SCHEMA_CHARS} characters`, ['input', 'payloadSchema']);
  else {
    try {
      schema = JSON.parse(input.payloadSchema);
    } catch {
      checks.add('INVALID', 'Not JSON', ['input', 'payloadSchema']);
    }
    if (schema !== null) {
      const compiled = compileCustom(input.name, schema);
      if ('error' in compiled) checks.add('INVALID', compiled.error, ['input', 'payloadSchema']);
    }
  }
  if (!checks.ok) return { ok: false, errors: checks.errors };
  let row = await em.findOne(EventTypeRow, { storefrontId, name: input.name });
  if (row) {
    row.payloadSchema = schema as Record<string, unknown>;
    row.description = input.description?.trim() || null;
  } else
    row = em.create(EventTypeRow, {
      storefrontId,
      name: input.name,
      description: input.description?.trim() || null,
      payloadSchema: schema as Record<string, unknown>,
    });
  await em.flush();
  await services.bus.publish(DECISION_RULES_CHANGED, { storefrontId }).catch(() => {});
  return ok(viewOf(row));
}

export const viewOf = (row: { name: string; description?: string | null; payloadSchema: unknown }): EventTypeView => ({
  name: row.name,
  description: row.description ?? null,
  payloadSchema: JSON.stringify(row.payloadSchema),
  builtIn: false,
});

/** Built-in types first, then the brand's own. */
export async function eventTypesOf(em: EntityManager, principal: Principal): Promise<EventTypeView[]> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return [];
  const own = await em.find(EventTypeRow, { storefrontId }, { orderBy: { name: 'asc' } });
  return [...BUILT_IN_EVENT_TYPES.map((name) => ({ name, description: null, payloadSchema: null, builtIn: true })), ...own.map(viewOf)];
}
