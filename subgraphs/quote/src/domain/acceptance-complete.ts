import {
  EVENTS,
  enqueueEvent,
  fail,
  isServiceUnavailable,
  loggerFor,
  type NotifyRow,
  newId,
  ok,
  placeSaleOrder,
  publishCommitted,
  type QuoteAcceptedEvent,
  relaySaleRefusal,
} from '@dcrm/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notifyPartnerSubmitter } from '../clients/partner-notify.js';
import {
  ContractTemplate,
  type IQuote,
  type IQuoteAcceptance,
  type IQuoteLine,
  linesOf,
  Quote,
  QuoteAcceptance,
} from '../entities/index.js';
import { contractLines, saleLines } from './acceptance-lines.js';
import { createContractFromAcceptance } from './contracts.js';
import type { Result } from './quote.errors.js';
import { decisionVariables } from './quote-notify-rules.js';
import type { QuoteServices } from './services.js';

const log = loggerFor('quote-acceptance');

type Placed = { orderId: string } | { refused: Result<never> } | { unavailable: true };

/** The order through the cart, as the quote service of the quote's brand, at the agreed prices (one order per revision). */
async function placeOrder(services: QuoteServices, quote: IQuote, acceptance: IQuoteAcceptance, lines: IQuoteLine[]): Promise<Placed> {
  try {
    const answer = await placeSaleOrder(services.peers, 'quote', quote.storefrontId, {
      customerId: quote.customerId as string,
      lines: saleLines(lines),
      source: { kind: 'QUOTE', id: quote.id },
      idempotencyKey: acceptance.orderKey,
      actedBy: acceptance.actorId,
    });
    if ('orderId' in answer) return answer;
    const errors = answer.refused.map((e) => relaySaleRefusal(e, ['id']));
    return {
      refused: { ok: false, errors: errors.length ? errors : [{ code: 'REFUSED', message: 'The order was refused', field: ['id'] }] },
    };
  } catch (error) {
    if (!isServiceUnavailable(error)) log.error({ err: error }, 'cart call failed');
    return { unavailable: true };
  }
}

/**
 * Completes a begun acceptance: the order (the cart answers the same order for the same key, so a retry
 * after a crash finds it), then in one transaction the contract (when the quote names a template and has
 * monthly lines), the acceptance DONE, the quote ACCEPTED and `quote.accepted` in the outbox, published
 * after commit. A refused order ends the attempt (the quote stays APPROVED); an unreachable cart leaves
 * it begun, for a retry or the periodic sweep.
 */
export async function completeAcceptance(em: EntityManager, services: QuoteServices, begun: IQuoteAcceptance): Promise<Result<IQuote>> {
  const quote = await em.findOneOrFail(Quote, { id: begun.quoteId });
  const lines = await linesOf(em, [quote.id]);
  const placed = await placeOrder(services, quote, begun, lines);
  if ('unavailable' in placed)
    return fail('SERVICE_UNAVAILABLE', 'The order service cannot be reached; the acceptance is kept and completes on retry (same key)', [
      'id',
    ]);
  if ('refused' in placed) {
    await em.transactional(async (tx) => {
      await tx.nativeDelete(QuoteAcceptance, { quoteId: quote.id, status: 'PENDING' });
    });
    return placed.refused;
  }
  const now = services.clock.now();
  const done = await em.transactional(async (tx) => {
    const row = await tx.findOneOrFail(Quote, { id: quote.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    const acceptance = await tx.findOneOrFail(QuoteAcceptance, { quoteId: quote.id }, { refresh: true });
    if (acceptance.status === 'DONE') return { quote: row, event: null };
    const contract = await contractFor(tx, row, lines, acceptance, placed.orderId, now);
    Object.assign(acceptance, { status: 'DONE', orderId: placed.orderId, contractId: contract?.id ?? null, acceptedAt: now });
    row.status = 'ACCEPTED';
    row.updatedAt = now;
    const event: QuoteAcceptedEvent = {
      eventId: newId(),
      quoteId: row.id,
      quoteNumber: row.number,
      revision: row.revision,
      storefrontId: row.storefrontId,
      customerId: row.customerId as string,
      orderId: placed.orderId,
      contractId: contract?.id ?? null,
      acceptedBy: { kind: acceptance.actorKind, id: acceptance.actorId },
      dueNow: row.totals.dueNow,
      monthly: row.totals.monthly,
      currencyCode: row.currencyCode,
      at: now.toISOString(),
    };
    await enqueueEvent(tx, 'quote', { id: event.eventId, type: EVENTS.quoteAccepted, payload: event, at: now });
    return { quote: row, event };
  });
  if (done.event) {
    await publishCommitted(em, services.bus, [{ id: done.event.eventId, type: EVENTS.quoteAccepted, payload: done.event }], now);
    await notifyPartnerSubmitter(
      services.peers,
      done.quote,
      'quote.customerAccepted',
      decisionVariables(done.quote as unknown as NotifyRow),
    );
  }
  return ok(done.quote);
}

/** The contract of an accepted quote whose plans are sold on a template: its monthly lines at the agreed fees, waiting for approval. */
async function contractFor(
  tx: EntityManager,
  quote: IQuote,
  lines: IQuoteLine[],
  acceptance: IQuoteAcceptance,
  orderId: string,
  now: Date,
) {
  const template = quote.contractTemplateId
    ? await tx.findOne(ContractTemplate, { id: quote.contractTemplateId, storefrontId: quote.storefrontId })
    : null;
  const monthly = contractLines(lines);
  if (!template || !monthly) return null;
  const contract = await createContractFromAcceptance(tx, {
    storefrontId: quote.storefrontId,
    customerId: quote.customerId as string,
    partnerId: quote.partnerId ?? null,
    segment: quote.segment,
    template,
    lines: monthly.lines,
    monthlyFeeMinor: monthly.monthlyFeeMinor,
    currencyCode: quote.currencyCode,
    periodStart: now,
    orderId,
    quoteId: quote.id,
    actor: { kind: acceptance.actorKind, id: acceptance.actorId },
    now,
  });
  await tx.flush();
  return contract;
}

/** Acceptances begun more than a minute ago and never completed (a crash, an unreachable cart): completed now, oldest first. */
export async function sweepAcceptances(em: EntityManager, services: QuoteServices, limit = 50): Promise<number> {
  const before = new Date(services.clock.now().getTime() - 60_000);
  const pending = await em
    .fork()
    .find(QuoteAcceptance, { status: 'PENDING', startedAt: { $lt: before } }, { orderBy: { startedAt: 'asc' }, limit });
  let completed = 0;
  for (const acceptance of pending) {
    const result = await completeAcceptance(em.fork() as EntityManager, services, acceptance);
    if (result.ok) completed += 1;
  }
  return completed;
}
