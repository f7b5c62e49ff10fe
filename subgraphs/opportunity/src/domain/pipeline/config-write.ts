import { actingStorefront, Checks, fail, isUuid, ok, type Principal } from '@dcrm/kit';
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  CustomFieldDefinition,
  type CustomFieldEntity,
  type CustomFieldType,
  type ICustomFieldDefinition,
  type IOpportunityReason,
  OpportunityReason,
  type ReasonKind,
} from '../../entities/index.js';
import type { ErrorCode, Result } from '../opportunity.errors.js';

// Pipeline configuration of the acting storefront (staff with `opportunity:manage`, checked by @access):
// managed rejection/loss reasons and custom field definitions.

const f = (...path: string[]) => ['input', ...path];
const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
const KEY = /^[a-z][a-z0-9_]{0,63}$/;

export type ReasonCreateInput = { code: string; label: string; kind: ReasonKind; position?: number | null };
export type ReasonUpdateInput = { id: string; version: number; label?: string | null; active?: boolean | null; position?: number | null };

export async function rejectionReasonCreate(
  em: EntityManager,
  principal: Principal,
  input: ReasonCreateInput,
): Promise<Result<IOpportunityReason>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('FORBIDDEN', 'No storefront');
  const checks = new Checks<ErrorCode>();
  const code = input.code.trim().toUpperCase();
  if (!CODE.test(code)) checks.add('INVALID', 'Upper-case letters, digits and _ (2 to 64)', f('code'));
  checks.text(input.label, f('label'), 200);
  checks.int(input.position, f('position'), 0, 10_000);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  try {
    const reason = em.create(OpportunityReason, {
      storefrontId,
      code,
      label: input.label.trim(),
      kind: input.kind,
      active: true,
      position: input.position ?? 0,
    });
    await em.flush();
    return ok(reason);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return fail('TAKEN', `A reason ${code} exists`, f('code'));
    throw error;
  }
}

export async function rejectionReasonUpdate(
  em: EntityManager,
  principal: Principal,
  input: ReasonUpdateInput,
): Promise<Result<IOpportunityReason>> {
  const storefrontId = actingStorefront(principal);
  const reason = storefrontId && isUuid(input.id) ? await em.findOne(OpportunityReason, { id: input.id, storefrontId }) : null;
  if (!reason) return fail('NOT_FOUND', 'No such reason', f('id'));
  const checks = new Checks<ErrorCode>();
  checks.text(input.label, f('label'), 200);
  checks.int(input.position, f('position'), 0, 10_000);
  if (reason.version !== input.version)
    checks.add('CONFLICT', `The reason changed since version ${input.version}; reload it`, f('version'));
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (input.label != null) reason.label = input.label.trim();
  if (input.active != null) reason.active = input.active;
  if (input.position != null) reason.position = input.position;
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The reason changed meanwhile; reload it', f('version'));
    throw error;
  }
  return ok(reason);
}

export type CustomFieldDefineInput = {
  entity: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldType;
  options?: string[] | null;
  required?: boolean | null;
  position?: number | null;
};

/** Defines a custom field, or redefines (and reactivates) the entity's field of that key. */
export async function customFieldDefine(
  em: EntityManager,
  principal: Principal,
  input: CustomFieldDefineInput,
): Promise<Result<ICustomFieldDefinition>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('FORBIDDEN', 'No storefront');
  const checks = new Checks<ErrorCode>();
  const key = input.key.trim();
  if (!KEY.test(key)) checks.add('INVALID', 'Lower-case letters, digits and _ (at most 64), starting with a letter', f('key'));
  checks.text(input.label, f('label'), 120);
  checks.int(input.position, f('position'), 0, 10_000);
  const options = [...new Set((input.options ?? []).map((o) => o.trim()))];
  if (input.type === 'SELECT') {
    if (options.length === 0 || options.length > 50) checks.add('INVALID', 'A SELECT needs 1 to 50 options', f('options'));
    options.forEach((o, i) => {
      if (o.length === 0 || o.length > 100) checks.add('INVALID', '1 to 100 characters', f('options', String(i)));
    });
  } else if (options.length > 0) checks.add('INVALID', 'Only a SELECT has options', f('options'));
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const fields = { label: input.label.trim(), type: input.type, options, required: input.required ?? false, active: true };
  const existing = await em.findOne(CustomFieldDefinition, { storefrontId, entity: input.entity, key });
  if (existing) {
    Object.assign(existing, fields, input.position != null ? { position: input.position } : {});
    await em.flush();
    return ok(existing);
  }
  try {
    const count = await em.count(CustomFieldDefinition, { storefrontId, entity: input.entity });
    const definition = em.create(CustomFieldDefinition, {
      storefrontId,
      entity: input.entity,
      key,
      ...fields,
      position: input.position ?? count + 1,
    });
    await em.flush();
    return ok(definition);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return fail('CONFLICT', 'Defined meanwhile; try again', f('key'));
    throw error;
  }
}
