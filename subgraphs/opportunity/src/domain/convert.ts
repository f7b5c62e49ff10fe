import {
  fail,
  forbidden,
  hasScope,
  isServiceUnavailable,
  isUuid,
  loggerFor,
  ok,
  type Principal,
  placeSaleOrder,
  relaySaleRefusal,
  type SaleOrderRequest,
} from '@dcrm/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, Opportunity, OpportunityLine } from '../entities/index.js';
import { SCOPES, salesScope } from './access.js';
import type { Result } from './opportunity.errors.js';
import type { OpportunityServices } from './services.js';

/** An opportunity the caller may change (staff with `opportunity:write` in its brand and segment, its partner), or null. */
async function writableOpportunity(em: EntityManager, principal: Principal, id: string): Promise<IOpportunity | null> {
  if (principal.kind === 'staff' && !hasScope(principal, SCOPES.write)) throw forbidden(`Missing scope ${SCOPES.write}`);
  const scope = salesScope(principal, SCOPES.write);
  return scope && isUuid(id) ? em.findOne(Opportunity, { $and: [scope, { id }] }) : null;
}

// WON is reached only through `opportunityTransition`, whose default transitions into NEGOTIATION and
// WON carry the APPROVALS_DONE guard (domain/pipeline/defaults.ts, domain/work/approvals.ts): requiring
// WON here therefore also requires the opportunity's approvals to have been granted.
const won = (o: IOpportunity) => o.status === 'WON' || o.stage.toUpperCase() === 'WON';

/**
 * `opportunityConvert`: a WON opportunity of an existing account becomes an order through the cart
 * (a service call, outside any transaction; the cart prices the lines as the account pays). The cart's
 * key is the opportunity's own (`opportunity:<id>`), so retries and racing calls — whatever key the
 * client sends — make one order; the first conversion's key is kept, and a converted opportunity answers
 * its order again without asking the cart.
 */
export async function opportunityConvert(
  em: EntityManager,
  services: OpportunityServices,
  principal: Principal,
  id: string,
  idempotencyKey: string,
): Promise<Result<IOpportunity>> {
  const key = idempotencyKey.trim();
  if (key.length < 8 || key.length > 200) return fail('INVALID', 'Use 8 to 200 characters, e.g. a UUID', ['idempotencyKey']);
  const opportunity = await writableOpportunity(em, principal, id);
  if (!opportunity) return fail('NOT_FOUND', 'No such opportunity', ['id']);
  if (opportunity.orderId) return ok(opportunity);
  if (!won(opportunity)) return fail('NOT_WON', `Only a won opportunity is ordered; this one is ${opportunity.stage}`, ['id']);
  if (!opportunity.customerId)
    return fail('NO_CUSTOMER', 'The opportunity is for a prospect: link it to a customer account before ordering', ['id']);
  // The pipeline's lines (set by opportunityCreate/Update): only product and quantity go to the cart,
  // which prices them as the account pays now; the lines' priced snapshot is never sent.
  const lines = await em.find(OpportunityLine, { opportunityId: opportunity.id }, { orderBy: { position: 'asc', id: 'asc' } });
  if (lines.length === 0) return fail('EMPTY', 'Add the products sold (opportunityUpdate lines) before ordering', ['id']);
  const placed = await askCart(services, opportunity, {
    customerId: opportunity.customerId,
    lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
    source: { kind: 'OPPORTUNITY', id: opportunity.id },
    idempotencyKey: `opportunity:${opportunity.id}`,
    actedBy: principal.id as string,
  });
  if (!placed.ok) return placed;
  return ok(await recordOrder(em, opportunity.id, placed.value, key));
}

async function askCart(services: OpportunityServices, opportunity: IOpportunity, request: SaleOrderRequest): Promise<Result<string>> {
  try {
    const answer = await placeSaleOrder(services.peers, 'opportunity', opportunity.storefrontId, request);
    if ('orderId' in answer) return ok(answer.orderId);
    const [problem] = answer.refused;
    if (problem?.code === 'IDEMPOTENCY_KEY_REUSED')
      return fail('CONFLICT', 'The opportunity was ordered with other lines meanwhile; reload it', ['id']);
    return { ok: false, errors: answer.refused.map((e) => relaySaleRefusal(e, ['id'])) };
  } catch (error) {
    if (!isServiceUnavailable(error)) loggerFor('opportunity').error({ err: error }, 'cart call failed');
    return fail('SERVICE_UNAVAILABLE', 'The cart service cannot be reached right now; nothing was ordered, try again shortly', ['id']);
  }
}

/** The order on the opportunity, once: a racing conversion that got the same order finds it set. */
async function recordOrder(em: EntityManager, id: string, orderId: string, key: string): Promise<IOpportunity> {
  return em.transactional(async (tx) => {
    const row = await tx.findOneOrFail(Opportunity, { id }, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row.orderId) {
      row.orderId = orderId;
      row.conversionKey = key;
    }
    return row;
  });
}
