import { type Checks, isEmail, isUuid, normaliseEmail } from '@dcrm/kit';
import type { LeadAddress, LeadRating } from '../entities/index.js';
import type { ErrorCode } from './opportunity.errors.js';

/** What capture, create and update share: a lead's own fields as a client sends them (absent: unchanged, null: cleared). */
export type LeadFieldsInput = {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  email?: string | null;
  mobile?: string | null;
  address?: LeadAddress | null;
  productIds?: string[] | null;
  description?: string | null;
  source?: string | null;
  campaignId?: string | null;
  rating?: LeadRating | null;
  category?: string | null;
  budget?: { amount: string; currencyCode: string } | null;
  ownerStaffId?: string | null;
};

/** The entity's columns those fields become, normalised; only the keys the input had. */
export type LeadFields = Partial<{
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  email: string | null;
  mobile: string | null;
  address: LeadAddress | null;
  productIds: string[];
  description: string | null;
  source: string | null;
  campaignId: string | null;
  rating: LeadRating | null;
  category: string | null;
  budgetAmount: string | null;
  budgetCurrency: string | null;
  ownerStaffId: string | null;
}>;

export const MAX_PRODUCTS = 20;
const E164 = /^\+[1-9]\d{6,14}$/;
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const CATEGORY = /^[A-Za-z0-9_-]{1,64}$/;

/** A mobile number as typed (spaces, dashes, dots, brackets, a leading 00) → E.164 candidate. */
export function normaliseMobile(raw: string): string {
  const compact = raw.trim().replace(/[\s\-().]/g, '');
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

const trimmed = (value: string | null | undefined): string | null | undefined =>
  value === undefined ? undefined : value === null ? null : value.trim() || null;

/** Checks and normalises the fields present in `input`; problems go to `checks` under `input.<field>`. */
export function leadFields(input: LeadFieldsInput, checks: Checks<ErrorCode>): LeadFields {
  const f = (...path: string[]) => ['input', ...path];
  const out: LeadFields = {};
  for (const [key, max] of [
    ['firstName', 100],
    ['lastName', 100],
    ['company', 200],
    ['description', 2000],
    ['source', 200],
  ] as const) {
    if (input[key] === undefined) continue;
    const value = trimmed(input[key]);
    if (value && value.length > max) checks.add('TOO_LONG', `At most ${max} characters`, f(key));
    out[key] = value ?? null;
  }
  if (input.email !== undefined) {
    const email = input.email === null ? null : normaliseEmail(input.email) || null;
    if (email && !isEmail(email)) checks.add('INVALID', 'Not a valid email address', f('email'));
    out.email = email;
  }
  if (input.mobile !== undefined) {
    const mobile = input.mobile === null ? null : normaliseMobile(input.mobile) || null;
    if (mobile && !E164.test(mobile)) checks.add('INVALID', 'Use the international format, e.g. +353871234567', f('mobile'));
    out.mobile = mobile;
  }
  if (input.address !== undefined) out.address = input.address === null ? null : address(input.address, checks);
  if (input.productIds !== undefined) {
    const ids = input.productIds ?? [];
    checks.uuids(ids, f('productIds'), MAX_PRODUCTS);
    out.productIds = ids;
  }
  for (const key of ['campaignId', 'ownerStaffId'] as const) {
    if (input[key] === undefined) continue;
    if (input[key] !== null && !isUuid(input[key])) checks.add('INVALID', 'Not a valid id', f(key));
    out[key] = input[key] ?? null;
  }
  if (input.rating !== undefined) out.rating = input.rating;
  if (input.category !== undefined) {
    const category = trimmed(input.category);
    if (category && !CATEGORY.test(category)) checks.add('INVALID', 'Letters, digits, _ and - (at most 64)', f('category'));
    out.category = category ?? null;
  }
  if (input.budget !== undefined) {
    const budget = input.budget;
    if (budget && !AMOUNT.test(budget.amount)) checks.add('INVALID', 'A positive amount with at most 2 decimals', f('budget', 'amount'));
    if (budget && !/^[A-Z]{3}$/.test(budget.currencyCode)) checks.add('INVALID', 'An ISO 4217 code', f('budget', 'currencyCode'));
    out.budgetAmount = budget?.amount ?? null;
    out.budgetCurrency = budget?.currencyCode ?? null;
  }
  return out;
}

function address(input: LeadAddress, checks: Checks<ErrorCode>): LeadAddress {
  const out: LeadAddress = {};
  for (const key of ['line1', 'line2', 'city', 'region', 'postcode'] as const) {
    const value = trimmed(input[key]);
    if (value && value.length > 200) checks.add('TOO_LONG', 'At most 200 characters', ['input', 'address', key]);
    out[key] = value ?? null;
  }
  const country = trimmed(input.country)?.toUpperCase() ?? null;
  if (country && !/^[A-Z]{2}$/.test(country)) checks.add('INVALID', 'An ISO 3166-1 alpha-2 code', ['input', 'address', 'country']);
  out.country = country;
  return out;
}

/** A lead must be reachable: an email or a mobile, once the input is applied to what it had. */
export function checkReachable(checks: Checks<ErrorCode>, lead: { email?: string | null; mobile?: string | null }): void {
  if (!lead.email && !lead.mobile) checks.add('REQUIRED', 'Give an email or a mobile number', ['input', 'email']);
}
