import { fail, forbidden, hasScope, isUuid, ok, type Principal, type Result } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { visibleProducts } from '../clients/catalog.js';
import { type IOpportunity, Opportunity, OpportunityLine } from '../entities/index.js';
import { SCOPES, salesScope } from './access.js';
import type { OpportunityServices } from './services.js';

/** An opportunity the caller may change (staff with `opportunity:write` in its brand and segment, its partner), or null. */
export async function writableOpportunity(em: EntityManager, principal: Principal, id: string): Promise<IOpportunity | null> {
  if (principal.kind === 'staff' && !hasScope(principal, SCOPES.write)) throw forbidden(`Missing scope ${SCOPES.write}`);
  const scope = salesScope(principal, SCOPES.write);
  return scope && isUuid(id) ? em.findOne(Opportunity, { $and: [scope, { id }] }) : null;
}

const MAX_LINES = 100;

/** `opportunityLineAdd`: a product the caller's catalog shows, 1 to 999 of it, on an opportunity not yet ordered. */
export async function opportunityLineAdd(
  em: EntityManager,
  services: OpportunityServices,
  principal: Principal,
  input: { opportunityId: string; productId: string; quantity: number },
): Promise<Result<IOpportunity>> {
  const opportunity = await writableOpportunity(em, principal, input.opportunityId);
  if (!opportunity) return fail('NOT_FOUND', 'No such opportunity', ['input', 'opportunityId']);
  if (opportunity.orderId) return fail('CONVERTED', 'The opportunity was ordered; its lines no longer change', ['input', 'opportunityId']);
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > 999)
    return fail('INVALID', 'Quantity from 1 to 999', ['input', 'quantity']);
  const [product] = isUuid(input.productId) ? await visibleProducts(services.peers, principal, [input.productId]) : [null];
  if (!product) return fail('NOT_FOUND', 'No such product', ['input', 'productId']);
  if ((await em.count(OpportunityLine, { opportunity: opportunity.id })) >= MAX_LINES)
    return fail('INVALID', `At most ${MAX_LINES} lines`, ['input', 'productId']);
  await em.transactional(async (tx) => {
    tx.create(OpportunityLine, { opportunity: opportunity.id, productId: input.productId, quantity: input.quantity });
  });
  return ok(opportunity);
}

/** `opportunityLineRemove`: a line of an opportunity the caller may change, not yet ordered. */
export async function opportunityLineRemove(em: EntityManager, principal: Principal, lineId: string): Promise<Result<IOpportunity>> {
  const line = isUuid(lineId) ? await em.findOne(OpportunityLine, { id: lineId }) : null;
  const opportunity = line ? await writableOpportunity(em, principal, line.opportunity.id) : null;
  if (!line || !opportunity) return fail('NOT_FOUND', 'No such line', ['input', 'lineId']);
  if (opportunity.orderId) return fail('CONVERTED', 'The opportunity was ordered; its lines no longer change', ['input', 'lineId']);
  await em.transactional(async (tx) => {
    tx.remove(line);
  });
  return ok(opportunity);
}
