import { Checks, fail, hasScope, isUuid, ok, type Principal } from '@dcrm/kit';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Contract, type ContractStatus, type IContract } from '../entities/index.js';
import { contractScope, staffServesSegment } from './contract-access.js';
import { actorOf, scheduleRenewal, transition } from './contract-history.js';
import { canTransition } from './contract-lifecycle.js';
import { renewContract } from './contract-renewal.js';
import { type TerminationCharge, terminationCharge } from './penalty.js';
import type { ErrorCode, Result } from './quote.errors.js';
import type { QuoteServices } from './services.js';

export type ActionInput = { id: string; version: number; reason?: string | null };
type Guard = (contract: IContract, now: Date, checks: Checks<ErrorCode>) => void;

const f = (...path: string[]) => ['input', ...path];

/** The contract the staff member may change (their brand and segments), at the version they read. */
async function guarded(tx: EntityManager, principal: Principal, input: ActionInput, to: ContractStatus, checks: Checks<ErrorCode>) {
  const scope = contractScope(principal);
  const contract = scope && isUuid(input.id) ? await tx.findOne(Contract, { $and: [scope, { id: input.id }] }) : null;
  if (!contract || !staffServesSegment(principal, contract.segment)) {
    checks.add('NOT_FOUND', 'No such contract', f('id'));
    return null;
  }
  if (!canTransition(contract.status, to)) checks.add('INVALID_TRANSITION', `A ${contract.status} contract cannot become ${to}`, f('id'));
  if (contract.version !== input.version)
    checks.add('CONFLICT', `The contract changed since version ${input.version}; reload it`, f('version'));
  return contract;
}

async function commit(tx: EntityManager, contract: IContract): Promise<Result<IContract>> {
  try {
    await tx.flush();
    return ok(contract);
  } catch (error) {
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The contract changed meanwhile; reload it', f('version'));
    throw error;
  }
}

/** A guarded transition with its history row and the renewal job rescheduled, in one transaction. */
function act(to: ContractStatus, guard?: Guard, apply?: (contract: IContract, now: Date) => void) {
  return (em: EntityManager, principal: Principal, services: QuoteServices, input: ActionInput): Promise<Result<IContract>> =>
    em.transactional(async (tx) => {
      const checks = new Checks<ErrorCode>();
      checks.text(input.reason, f('reason'), 1000, false);
      const now = services.clock.now();
      const contract = await guarded(tx, principal, input, to, checks);
      if (contract) guard?.(contract, now, checks);
      if (!contract || !checks.ok) return { ok: false, errors: checks.errors } as Result<IContract>;
      apply?.(contract, now);
      transition(tx, contract, to, actorOf(principal), now, input.reason);
      await scheduleRenewal(tx, services, contract);
      return commit(tx, contract);
    });
}

/** DRAFT → PENDING_APPROVAL. */
export const contractSubmit = act('PENDING_APPROVAL');

/** PENDING_APPROVAL → ACTIVE, only by staff holding the template's approval scope; the renewal job is scheduled. */
export function contractApprove(em: EntityManager, principal: Principal, services: QuoteServices, input: ActionInput) {
  return act(
    'ACTIVE',
    (contract, _now, checks) => {
      if (!hasScope(principal, contract.terms.approvalScope))
        checks.add('NOT_AUTHORISED', `Approving needs ${contract.terms.approvalScope}`, f('id'));
    },
    (contract, now) => {
      contract.approvedBy = principal.id;
      contract.approvedAt = now;
    },
  )(em, principal, services, input);
}

/** Withdrawn before its period starts. */
export const contractCancel = act(
  'CANCELLED',
  (contract, now, checks) => {
    if (contract.status === 'ACTIVE' && contract.periodStart.getTime() <= now.getTime())
      checks.add('STARTED', 'The contract has started: terminate it instead', f('id'));
  },
  (contract, now) => {
    contract.terminatedAt = now;
  },
);

/** What terminating `contract` at `at` would charge (the same arithmetic `contractTerminate` applies). */
export const chargeFor = (contract: IContract, at: Date): TerminationCharge =>
  terminationCharge(contract.terms.terminationRule, { start: contract.periodStart, end: contract.periodEnd }, contract.monthlyFeeMinor, at);

/** Ends an ACTIVE or RENEWAL_DUE contract at `at` (now or later, before its end), recording the charge. */
export function contractTerminate(
  em: EntityManager,
  principal: Principal,
  services: QuoteServices,
  input: ActionInput & { at?: Date | null },
): Promise<Result<IContract>> {
  const at = input.at ?? services.clock.now();
  return act(
    'TERMINATED',
    (contract, now, checks) => {
      if (!input.reason?.trim()) checks.add('BLANK', 'Give a reason', f('reason'));
      if (at.getTime() < now.getTime() - 60_000) checks.add('IN_PAST', 'Terminate now or later', f('at'));
      if (at.getTime() < contract.periodStart.getTime())
        checks.add('NOT_STARTED', 'The contract has not started: cancel it instead', f('at'));
      if (at.getTime() >= contract.periodEnd.getTime()) checks.add('AFTER_END', 'The contract ends before then', f('at'));
    },
    (contract) => {
      contract.terminatedAt = at;
      contract.terminationReason = input.reason?.trim() ?? null;
      contract.terminationChargeMinor = chargeFor(contract, at).chargeMinor;
    },
  )(em, principal, services, input);
}

/** RENEWAL_DUE → RENEWED with a new ACTIVE contract for the next term (the customer took up the offer). */
export function contractRenew(
  em: EntityManager,
  principal: Principal,
  services: QuoteServices,
  input: ActionInput,
): Promise<Result<IContract>> {
  return em.transactional(async (tx) => {
    const checks = new Checks<ErrorCode>();
    const contract = await guarded(tx, principal, input, 'RENEWED', checks);
    if (contract && contract.status !== 'RENEWAL_DUE') checks.add('NOT_DUE', 'Only a contract due for renewal is renewed by hand', f('id'));
    if (!contract || !checks.ok) return { ok: false, errors: checks.errors } as Result<IContract>;
    const next = await renewContract(tx, services, contract, actorOf(principal), services.clock.now(), input.reason);
    const saved = await commit(tx, contract);
    return saved.ok ? ok(next) : saved;
  });
}
