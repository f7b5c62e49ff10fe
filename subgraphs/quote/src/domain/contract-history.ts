import { DEFAULT_JOB_SCHEMA, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContractEvent, type ContractStatus, type IContract } from '../entities/index.js';
import { ACTION_OF } from './contract-lifecycle.js';
import type { QuoteServices } from './services.js';

export type Actor = { kind: string; id: string | null };

export const actorOf = (principal: Principal): Actor => ({ kind: principal.kind, id: principal.id });

/** The renewal job's task name (graphile-worker identifiers allow `:`) and its key, one per contract. */
export const RENEWAL_TASK = 'contract:renewal';
export const RENEWAL_SWEEP_TASK = 'contract:renewal-sweep';
export const renewalJobKey = (contractId: string) => `contract:${contractId}:renewal`;

const DAY = 86_400_000;

/** Moves a contract to `to` and records it in its history (the caller has checked the transition). */
export function transition(
  tx: EntityManager,
  contract: IContract,
  to: ContractStatus,
  actor: Actor,
  at: Date,
  reason?: string | null,
): void {
  const from = contract.status;
  contract.status = to;
  record(tx, contract, ACTION_OF[to] ?? to, from, actor, at, reason);
}

/** One history row. */
export function record(
  tx: EntityManager,
  contract: IContract,
  action: string,
  from: ContractStatus | null,
  actor: Actor,
  at: Date,
  reason?: string | null,
): void {
  tx.create(ContractEvent, {
    contract,
    at,
    action,
    fromStatus: from,
    toStatus: contract.status,
    actorKind: actor.kind,
    actorId: actor.id,
    reason: reason ?? null,
  });
}

/**
 * When the renewal job should next look at a contract: ACTIVE — `noticeDays` before the end (AUTO_RENEW,
 * RENEWAL_OFFER) or at the end (NONE); RENEWAL_DUE — at the end; otherwise never.
 */
export function renewalDueAt(contract: Pick<IContract, 'status' | 'periodEnd' | 'terms'>): Date | null {
  const end = contract.periodEnd.getTime();
  if (contract.status === 'RENEWAL_DUE') return new Date(end);
  if (contract.status !== 'ACTIVE') return null;
  return contract.terms.renewalPolicy === 'NONE' ? new Date(end) : new Date(end - contract.terms.noticeDays * DAY);
}

/** (Re)schedules the contract's renewal job in the caller's transaction, or removes it once nothing is due. */
export async function scheduleRenewal(tx: EntityManager, services: QuoteServices, contract: IContract): Promise<void> {
  const runAt = renewalDueAt(contract);
  const key = renewalJobKey(contract.id);
  if (runAt) await services.addJob(tx, RENEWAL_TASK, { contractId: contract.id }, { runAt, jobKey: key });
  else await tx.execute(`select "${DEFAULT_JOB_SCHEMA}".remove_job(?)`, [key]);
}
