import { dispatchNotifications } from '@dcrm/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Contract, ContractLine, type IContract, nextContractNumber } from '../entities/index.js';
import { type Actor, record, renewalDueAt, scheduleRenewal, transition } from './contract-history.js';
import { addMonths } from './penalty.js';
import type { QuoteServices } from './services.js';

const JOB: Actor = { kind: 'job', id: 'contract:renewal' };

/**
 * The old contract → RENEWED and a new ACTIVE one for the next term on the same terms, lines and fees
 * (`previousContractId` links them), with history rows on both and the new one's renewal job scheduled.
 */
export async function renewContract(
  tx: EntityManager,
  services: QuoteServices,
  old: IContract,
  actor: Actor,
  now: Date,
  reason?: string | null,
): Promise<IContract> {
  const start = old.periodEnd;
  const next = tx.create(Contract, {
    storefrontId: old.storefrontId,
    number: await nextContractNumber(tx, now),
    customerId: old.customerId,
    partnerId: old.partnerId,
    segment: old.segment,
    templateId: old.templateId,
    templateVersion: old.templateVersion,
    terms: old.terms,
    orderId: old.orderId,
    quoteId: old.quoteId,
    previousContractId: old.id,
    currencyCode: old.currencyCode,
    monthlyFeeMinor: old.monthlyFeeMinor,
    status: 'ACTIVE',
    periodStart: start,
    periodEnd: addMonths(start, old.terms.termMonths),
    approvedBy: old.approvedBy,
    approvedAt: old.approvedAt,
    internalNote: old.internalNote,
    createdBy: actor.id,
  });
  const lines = await tx.find(ContractLine, { contract: old.id }, { orderBy: { position: 'asc' } });
  for (const l of lines)
    tx.create(ContractLine, {
      contract: next,
      position: l.position,
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      monthlyFeeMinor: l.monthlyFeeMinor,
    });
  record(tx, next, 'RENEWED', null, actor, now, `Renews ${old.number}`);
  transition(tx, old, 'RENEWED', actor, now, reason ?? `Renewed by ${next.number}`);
  await scheduleRenewal(tx, services, old);
  await scheduleRenewal(tx, services, next);
  return next;
}

export type RenewalOutcome = 'RENEWED' | 'RENEWAL_DUE' | 'EXPIRED' | 'RESCHEDULED' | 'NOTHING';

/**
 * The renewal job for one contract (idempotent: it looks at the contract's state and the clock). When
 * due: AUTO_RENEW renews; RENEWAL_OFFER marks RENEWAL_DUE (the notify rule tells the customer) and looks
 * again at the end; NONE, or an offer not taken up, expires at the end. Run early (the contract changed),
 * it reschedules itself.
 */
export async function runRenewal(em: EntityManager, services: QuoteServices, contractId: string): Promise<RenewalOutcome> {
  return em.fork().transactional(async (tx) => {
    const contract = await tx.findOne(Contract, { id: contractId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const due = contract ? renewalDueAt(contract) : null;
    if (!contract || !due) return 'NOTHING';
    const now = services.clock.now();
    if (due.getTime() > now.getTime()) {
      await scheduleRenewal(tx, services, contract);
      return 'RESCHEDULED';
    }
    const ended = contract.periodEnd.getTime() <= now.getTime();
    if (contract.status === 'ACTIVE' && contract.terms.renewalPolicy === 'AUTO_RENEW') {
      await renewContract(tx, services, contract, JOB, now);
      return 'RENEWED';
    }
    if (contract.status === 'ACTIVE' && contract.terms.renewalPolicy === 'RENEWAL_OFFER' && !ended) {
      transition(tx, contract, 'RENEWAL_DUE', JOB, now, `Renewal offered ${contract.terms.noticeDays} days before the end`);
      await scheduleRenewal(tx, services, contract);
      return 'RENEWAL_DUE';
    }
    transition(tx, contract, 'EXPIRED', JOB, now, 'The period ended without renewal');
    await scheduleRenewal(tx, services, contract);
    return 'EXPIRED';
  });
}

/** Contracts whose renewal step is due by `now` (the same rule as `renewalDueAt`), oldest first. */
const DUE = `select id from "quote"."contract" where
  (status = 'ACTIVE' and period_end - make_interval(days => case when terms->>'renewalPolicy' = 'NONE' then 0
     else (terms->>'noticeDays')::int end) <= ?) or (status = 'RENEWAL_DUE' and period_end <= ?)
  order by period_end limit ?`;

/**
 * The periodic safety net: runs the renewal step of every contract that is due, whether or not its job
 * exists (contracts written by the seed or before a lost job), each in its own transaction; then sends the
 * renewal notices whose first send after commit could not reach the customer service.
 */
export async function sweepRenewals(
  em: EntityManager,
  services: QuoteServices,
  limit = 200,
): Promise<{ outcomes: Record<string, RenewalOutcome>; notifications: number }> {
  const now = services.clock.now();
  const rows = (await em.getConnection().execute(DUE, [now, now, limit])) as { id: string }[];
  const outcomes: Record<string, RenewalOutcome> = {};
  for (const { id } of rows) outcomes[id] = await runRenewal(em, services, id);
  const notifications = await dispatchNotifications(em, services.peers('customer'), 'quote');
  return { outcomes, notifications };
}
