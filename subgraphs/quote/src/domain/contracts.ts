import { actingStorefront, Checks, fail, isUuid, ok, type Principal, toMinor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { accountFor } from '../clients/accounts.js';
import { monthlyPrices } from '../clients/contract-lookups.js';
import {
  Contract,
  ContractLine,
  type ContractPageOptions,
  ContractTemplate,
  type ContractTerms,
  contractsIn,
  contractsPage,
  type IContract,
  type IContractTemplate,
  nextContractNumber,
} from '../entities/index.js';
import { contractReadScope, contractScope, staffServesSegment } from './contract-access.js';
import { type Actor, actorOf, record, transition } from './contract-history.js';
import { addMonths } from './penalty.js';
import { pricingPrincipal } from './pricing-principal.js';
import type { ErrorCode, Result } from './quote.errors.js';
import type { QuoteServices } from './services.js';

/** A contract the caller may see, or null. */
export async function findContract(em: EntityManager, principal: Principal, id: string): Promise<IContract | null> {
  const scope = contractReadScope(principal);
  return scope && isUuid(id) ? ((await contractsIn(em, scope, [id]))[0] ?? null) : null;
}

/** The contracts of `ids` the caller may see (`_entities`, loaders). */
export async function visibleContracts(em: EntityManager, principal: Principal, ids: readonly string[]): Promise<IContract[]> {
  const scope = contractScope(principal);
  const valid = ids.filter(isUuid);
  return scope && valid.length ? contractsIn(em, scope, valid) : [];
}

/** A page of the contracts the caller may see, newest first. `strict`: staff without contract:read get FORBIDDEN rather than nothing. */
export async function listContracts(
  em: EntityManager,
  principal: Principal,
  options: ContractPageOptions,
  strict = true,
): Promise<IContract[]> {
  const scope = strict ? contractReadScope(principal) : contractScope(principal);
  return scope ? contractsPage(em, scope, options) : [];
}

export const termsOf = (t: IContractTemplate): ContractTerms => ({
  templateName: t.name,
  termMonths: t.termMonths,
  renewalPolicy: t.renewalPolicy,
  noticeDays: t.noticeDays,
  terminationRule: t.terminationRule,
  approvalScope: t.approvalScope,
});

/** What the acceptance flow (or staff) binds: priced lines are the server's (catalog or accepted quote), never a client's. */
export type ContractDraft = {
  storefrontId: string;
  customerId: string;
  partnerId: string | null;
  segment: string;
  template: IContractTemplate;
  lines: { productId: string; name: string; quantity: number; monthlyFeeMinor: number }[];
  /** The whole contract's monthly fee when it is not the sum of the lines' (an accepted quote's discounts, exact); default the sum. */
  monthlyFeeMinor?: number;
  currencyCode: string;
  periodStart: Date;
  orderId?: string | null;
  quoteId?: string | null;
  internalNote?: string | null;
  draft?: boolean;
};

/**
 * Writes a contract with its lines and first history row in the caller's transaction: PENDING_APPROVAL
 * (or DRAFT), its period `termMonths` from `periodStart`. The acceptance flow calls this with the accepted
 * quote's priced lines (`actor`: who accepted, recorded in the history); nothing is scheduled until it is approved.
 */
export async function createContractFromAcceptance(
  tx: EntityManager,
  draft: ContractDraft & { actor: Actor; now: Date },
): Promise<IContract> {
  const { actor, now } = draft;
  const contract = tx.create(Contract, {
    storefrontId: draft.storefrontId,
    number: await nextContractNumber(tx, now),
    customerId: draft.customerId,
    partnerId: draft.partnerId,
    segment: draft.segment,
    templateId: draft.template.id,
    templateVersion: draft.template.version,
    terms: termsOf(draft.template),
    orderId: draft.orderId ?? null,
    quoteId: draft.quoteId ?? null,
    currencyCode: draft.currencyCode,
    monthlyFeeMinor: draft.monthlyFeeMinor ?? draft.lines.reduce((sum, l) => sum + l.monthlyFeeMinor * l.quantity, 0),
    status: 'DRAFT',
    periodStart: draft.periodStart,
    periodEnd: addMonths(draft.periodStart, draft.template.termMonths),
    internalNote: draft.internalNote ?? null,
    createdBy: actor.id,
  });
  for (const [position, l] of draft.lines.entries()) tx.create(ContractLine, { contract, position, ...l });
  record(tx, contract, 'CREATED', null, actor, now);
  if (!draft.draft) transition(tx, contract, 'PENDING_APPROVAL', actor, now);
  return contract;
}

export type ContractCreateInput = {
  customerId: string;
  templateId: string;
  products: { productId: string; quantity: number }[];
  periodStart?: Date | null;
  orderId?: string | null;
  internalNote?: string | null;
  draft?: boolean | null;
};

const f = (...path: string[]) => ['input', ...path];

/** Staff create a contract for an account of their segments, priced from the catalog as them. */
export async function contractCreate(
  em: EntityManager,
  principal: Principal,
  services: QuoteServices,
  input: ContractCreateInput,
): Promise<Result<IContract>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('FORBIDDEN', 'No storefront to act on');
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.customerId, f('customerId'));
  checks.uuid(input.templateId, f('templateId'));
  checks.uuid(input.orderId, f('orderId'));
  checks.text(input.internalNote, f('internalNote'), 2000, false);
  if (!input.products.length) checks.add('BLANK', 'At least one product', f('products'));
  checks.uuids(
    input.products.map((p) => p.productId),
    f('products'),
    50,
  );
  for (const [i, p] of input.products.entries()) checks.int(p.quantity, f('products', String(i), 'quantity'), 1, 999);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  // Other subgraphs first, outside any transaction.
  const account = await accountFor(services.peers('customer'), principal, input.customerId);
  if (!account || !staffServesSegment(principal, account.segment)) return fail('NOT_FOUND', 'No such customer', f('customerId'));
  // Priced as the account pays (its negotiated list, its own segment), never as the staff member's segments.
  const prices = await monthlyPrices(
    services.peers('catalog'),
    pricingPrincipal({ storefrontId, customerId: account.id, segment: account.segment }),
    input.products.map((p) => p.productId),
  );
  const template = await em.findOne(ContractTemplate, { id: input.templateId, storefrontId });
  if (!template?.active) checks.add('NOT_FOUND', 'No such active template', f('templateId'));
  prices.forEach((price, i) => {
    if (price?.status !== 'ACTIVE') checks.add('NOT_FOUND', 'No such product on sale', f('products', String(i), 'productId'));
    else if (!price.monthly) checks.add('NOT_RECURRING', 'The product has no monthly price', f('products', String(i), 'productId'));
  });
  const currencies = new Set(prices.map((p) => p?.currencyCode).filter(Boolean));
  if (currencies.size > 1) checks.add('CURRENCY', 'Products are priced in different currencies', f('products'));
  if (!checks.ok || !template) return { ok: false, errors: checks.errors };
  const now = services.clock.now();
  const contract = await em.transactional((tx) =>
    createContractFromAcceptance(tx, {
      storefrontId,
      customerId: account.id,
      partnerId: account.partner?.id ?? null,
      segment: account.segment,
      template,
      currencyCode: [...currencies][0] as string,
      lines: input.products.map((p, i) => ({
        productId: p.productId,
        name: prices[i]?.name as string,
        quantity: p.quantity,
        monthlyFeeMinor: toMinor(prices[i]?.monthly as string),
      })),
      periodStart: input.periodStart ?? now,
      orderId: input.orderId,
      internalNote: input.internalNote,
      draft: input.draft ?? false,
      actor: actorOf(principal),
      now,
    }),
  );
  return ok(contract);
}
