import { type Checks, isEmail, isMobile, isUuid, normaliseEmail, type Peers } from '@dcrm/kit';
import { priceProducts } from '../../clients/pricing.js';
import type { OpportunityAddress, OpportunityContact, OpportunityCredit } from '../../entities/index.js';
import type { ErrorCode } from '../opportunity.errors.js';
import { isIsoDate } from './custom-fields.js';
import { isDecimal, type PricedLine } from './values.js';

// The commercial details of an opportunity input: contact, address, credit, budget, close date, lines.

type Text = string | null | undefined;
export type ContactInput = { name?: Text; email?: Text; mobile?: Text; role?: Text };
export type AddressInput = { line1?: Text; line2?: Text; city?: Text; region?: Text; postcode?: Text; country?: Text };
export type CreditInput = { check?: OpportunityCredit['check'] | null; score?: number | null; limit?: string | null };
export type BudgetInput = { amount: string; currencyCode?: string | null };
export type LineInput = { productId: string; quantity?: number | null };

const MAX_LINES = 50;
const clean = (v: Text, max: number, checks: Checks<ErrorCode>, field: string[]): string | null => {
  if (v == null) return null;
  checks.text(v, field, max, false);
  return v.trim() || null;
};

export function contactOf(input: ContactInput, checks: Checks<ErrorCode>, field: string[]): OpportunityContact {
  if (input.email != null && !isEmail(normaliseEmail(input.email))) checks.add('INVALID', 'Not a valid email address', [...field, 'email']);
  if (input.mobile != null && !isMobile(input.mobile.trim()))
    checks.add('INVALID', 'Use the international format, e.g. +353871234567', [...field, 'mobile']);
  return {
    name: clean(input.name, 200, checks, [...field, 'name']),
    email: input.email == null ? null : normaliseEmail(input.email),
    mobile: input.mobile?.trim() || null,
    role: clean(input.role, 100, checks, [...field, 'role']),
  };
}

export function addressOf(input: AddressInput, checks: Checks<ErrorCode>, field: string[]): OpportunityAddress {
  const country = input.country?.trim().toUpperCase() || null;
  if (country && !/^[A-Z]{2}$/.test(country)) checks.add('INVALID', 'An ISO 3166-1 alpha-2 code', [...field, 'country']);
  return {
    line1: clean(input.line1, 200, checks, [...field, 'line1']),
    line2: clean(input.line2, 200, checks, [...field, 'line2']),
    city: clean(input.city, 100, checks, [...field, 'city']),
    region: clean(input.region, 100, checks, [...field, 'region']),
    postcode: clean(input.postcode, 20, checks, [...field, 'postcode']),
    country,
  };
}

export function creditOf(input: CreditInput, checks: Checks<ErrorCode>, field: string[]): OpportunityCredit {
  checks.int(input.score, [...field, 'score'], 0, 1000);
  if (input.limit != null && (!isDecimal(input.limit) || input.limit.trim().startsWith('-')))
    checks.add('INVALID', 'A decimal amount, at least 0', [...field, 'limit']);
  return { check: input.check ?? 'NOT_STARTED', score: input.score ?? null, limit: input.limit?.trim() ?? null };
}

export function budgetOf(input: BudgetInput, checks: Checks<ErrorCode>, field: string[]): { amount: string; currency: string | null } {
  if (!isDecimal(input.amount) || input.amount.trim().startsWith('-'))
    checks.add('INVALID', 'A decimal amount, at least 0', [...field, 'amount']);
  const currency = input.currencyCode?.trim().toUpperCase() || null;
  if (currency && !/^[A-Z]{3}$/.test(currency)) checks.add('INVALID', 'An ISO 4217 code', [...field, 'currencyCode']);
  return { amount: input.amount.trim(), currency };
}

export function closeDateOf(value: string, checks: Checks<ErrorCode>, field: string[]): string {
  if (!isIsoDate(value.trim())) checks.add('INVALID', 'Use a date as YYYY-MM-DD', field);
  return value.trim();
}

export type LineDraft = PricedLine & { productId: string; name: string; kind: string; quantity: number };

/**
 * The lines priced by the catalog for the opportunity's storefront and segment (before any
 * transaction). Unknown, inactive or unpriced products are errors on their line.
 */
export async function priceLines(
  peers: Peers,
  storefrontId: string,
  segment: string,
  lines: LineInput[],
  checks: Checks<ErrorCode>,
  field: string[],
): Promise<LineDraft[]> {
  if (lines.length > MAX_LINES) checks.add('TOO_MANY', `At most ${MAX_LINES} lines`, field);
  const ids: string[] = [];
  lines.forEach((l, i) => {
    checks.int(l.quantity ?? 1, [...field, String(i), 'quantity'], 1, 10_000);
    if (isUuid(l.productId)) ids.push(l.productId);
    else checks.add('INVALID', 'Not a valid id', [...field, String(i), 'productId']);
  });
  if (!checks.ok || lines.length === 0) return [];
  const unique = [...new Set(ids)];
  const priced = new Map((await priceProducts(peers, storefrontId, segment, unique)).map((p, i) => [unique[i], p]));
  const drafts: LineDraft[] = [];
  const currencies = new Set<string>();
  for (const [i, l] of lines.entries()) {
    const product = priced.get(l.productId);
    const at = [...field, String(i), 'productId'];
    if (product?.status !== 'ACTIVE') checks.add('NOT_FOUND', 'No such active product in this storefront', at);
    else if (product.oneOff == null && product.monthly == null) checks.add('NOT_PRICED', `${product.name} has no price here`, at);
    else {
      if (product.currency) currencies.add(product.currency);
      drafts.push({ ...product, productId: product.id, quantity: l.quantity ?? 1 });
    }
  }
  if (currencies.size > 1) checks.add('CURRENCY_MISMATCH', 'The products are priced in different currencies', field);
  return drafts;
}
