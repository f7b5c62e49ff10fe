import { actingStorefront, Checks, fail, fromMinor, isUuid, ok, type Principal, toMinor } from '@dcrm/kit';
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContractTemplate, type IContractTemplate, type RenewalPolicy, templatesOf } from '../entities/index.js';
import { APPROVAL_SCOPES, CONTRACT_APPROVE } from './contract-access.js';
import type { TerminationRule, TerminationRuleKind } from './penalty.js';
import type { ErrorCode, Result } from './quote.errors.js';

export type RuleInput = { kind: TerminationRuleKind; percent?: string | null; amount?: string | null; stepMonths?: number | null };
export type TemplateFields = {
  name?: string | null;
  termMonths?: number | null;
  renewalPolicy?: RenewalPolicy | null;
  noticeDays?: number | null;
  terminationRule?: RuleInput | null;
  approvalScope?: string | null;
  active?: boolean | null;
};

const f = (...path: string[]) => ['input', ...path];
const DECIMAL = /^\d{1,10}(\.\d{1,2})?$/;

/** A rule input as stored (basis points, minor units), or null with the problems added to `checks`. */
export function parseRule(input: RuleInput, checks: Checks<ErrorCode>): TerminationRule | null {
  const at = (field: string) => f('terminationRule', field);
  const decimal = (value: string | null | undefined, field: string): number | null => {
    if (value == null || !DECIMAL.test(value)) {
      checks.add('INVALID', 'Use a non-negative decimal with at most two fraction digits', at(field));
      return null;
    }
    return toMinor(value);
  };
  switch (input.kind) {
    case 'NONE':
      return { kind: 'NONE' };
    case 'REMAINING_MONTHS': {
      const percentBp = decimal(input.percent, 'percent');
      if (percentBp != null && percentBp > 10_000) checks.add('OUT_OF_RANGE', 'At most 100', at('percent'));
      return percentBp == null ? null : { kind: 'REMAINING_MONTHS', percentBp };
    }
    case 'FIXED': {
      const amountMinor = decimal(input.amount, 'amount');
      return amountMinor == null ? null : { kind: 'FIXED', amountMinor };
    }
    case 'DECLINING': {
      const amountMinor = decimal(input.amount, 'amount');
      const stepMonths = input.stepMonths ?? 1;
      checks.int(stepMonths, at('stepMonths'), 1, 120);
      return amountMinor == null ? null : { kind: 'DECLINING', amountMinor, stepMonths };
    }
  }
}

/** A stored rule as GraphQL shows it: decimals for the percentage and the amount. */
export function ruleView(rule: TerminationRule) {
  return {
    kind: rule.kind,
    percent: rule.kind === 'REMAINING_MONTHS' ? fromMinor(rule.percentBp) : null,
    amount: rule.kind === 'FIXED' || rule.kind === 'DECLINING' ? fromMinor(rule.amountMinor) : null,
    stepMonths: rule.kind === 'DECLINING' ? rule.stepMonths : null,
  };
}

function check(fields: TemplateFields, checks: Checks<ErrorCode>): TerminationRule | null {
  checks.text(fields.name, f('name'), 120);
  checks.int(fields.termMonths, f('termMonths'), 1, 120);
  checks.int(fields.noticeDays, f('noticeDays'), 0, 365);
  if (fields.approvalScope != null && !(APPROVAL_SCOPES as readonly string[]).includes(fields.approvalScope))
    checks.add('INVALID', `Use one of ${APPROVAL_SCOPES.join(', ')}`, f('approvalScope'));
  return fields.terminationRule ? parseRule(fields.terminationRule, checks) : null;
}

async function save(tx: EntityManager, template: IContractTemplate): Promise<Result<IContractTemplate>> {
  try {
    await tx.flush();
    return ok(template);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return fail('TAKEN', 'A template has this name', f('name'));
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The template changed meanwhile; reload it', f('version'));
    throw error;
  }
}

/** A new template of the caller's storefront. */
export async function contractTemplateCreate(
  em: EntityManager,
  principal: Principal,
  input: TemplateFields & { name: string; termMonths: number; renewalPolicy: RenewalPolicy; terminationRule: RuleInput },
): Promise<Result<IContractTemplate>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('FORBIDDEN', 'No storefront to act on');
  const checks = new Checks<ErrorCode>();
  const rule = check(input, checks);
  if (!checks.ok || !rule) return { ok: false, errors: checks.errors };
  return em.transactional((tx) =>
    save(
      tx,
      tx.create(ContractTemplate, {
        storefrontId,
        name: input.name.trim(),
        termMonths: input.termMonths,
        renewalPolicy: input.renewalPolicy,
        noticeDays: input.noticeDays ?? 30,
        terminationRule: rule,
        approvalScope: input.approvalScope ?? CONTRACT_APPROVE,
      }),
    ),
  );
}

/** Changes a template at the version read (the version goes up; contracts keep the terms they were made on). */
export async function contractTemplateUpdate(
  em: EntityManager,
  principal: Principal,
  input: TemplateFields & { id: string; version: number },
): Promise<Result<IContractTemplate>> {
  const storefrontId = actingStorefront(principal);
  const checks = new Checks<ErrorCode>();
  const rule = check(input, checks);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const template = storefrontId && isUuid(input.id) ? await tx.findOne(ContractTemplate, { id: input.id, storefrontId }) : null;
    if (!template) return fail('NOT_FOUND', 'No such template', f('id'));
    if (template.version !== input.version)
      return fail('CONFLICT', `The template changed since version ${input.version}; reload it`, f('version'));
    if (input.name != null) template.name = input.name.trim();
    if (input.termMonths != null) template.termMonths = input.termMonths;
    if (input.renewalPolicy != null) template.renewalPolicy = input.renewalPolicy;
    if (input.noticeDays != null) template.noticeDays = input.noticeDays;
    if (rule) template.terminationRule = rule;
    if (input.approvalScope != null) template.approvalScope = input.approvalScope;
    if (input.active != null) template.active = input.active;
    return save(tx, template);
  });
}

/** The caller's storefront's templates. */
export function listTemplates(em: EntityManager, principal: Principal, includeInactive: boolean): Promise<IContractTemplate[]> {
  const storefrontId = actingStorefront(principal);
  return storefrontId ? templatesOf(em, storefrontId, includeInactive) : Promise.resolve([]);
}
