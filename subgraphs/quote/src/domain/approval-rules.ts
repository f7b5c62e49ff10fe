import { evaluateRules, explainMatch, type FactFields, type Rule, type TotalsData } from '@dcrm/kit';
import type { DiscountType } from '../entities/quote.entity.js';

/**
 * Quote approval rules as data (pure: no I/O). A storefront's rules read the facts of a quote revision
 * and each matching rule names the approver level it needs; every level matched must approve. Money
 * facts are decimals in the quote's currency (computed in minor units), percentages to two decimals.
 */
export const APPROVAL_LEVELS = ['MANAGER', 'FINANCE', 'DIRECTOR'] as const;
export type ApprovalLevel = (typeof APPROVAL_LEVELS)[number];

/** The staff scope that decides each level. */
export const LEVEL_SCOPES: Record<ApprovalLevel, string> = {
  MANAGER: 'quote:approve',
  FINANCE: 'finance:approve',
  DIRECTOR: 'quote:admin',
};

/** Who sets a storefront's approval rules. */
export const QUOTE_ADMIN = 'quote:admin';

/** What a rule may read about a quote revision. */
export const APPROVAL_FACTS: FactFields = {
  maxLineDiscountPercent: 'number',
  quoteDiscountPercent: 'number',
  totalDueNow: 'number',
  monthlyTotal: 'number',
  segment: 'string',
  lineCount: 'number',
  prospect: 'boolean',
  promoCodes: 'stringList',
};

export type StoredApprovalRule = Rule & { target: ApprovalLevel };

export type FactLine = {
  quantity: number;
  discountType?: DiscountType | null;
  discountValue?: string | null;
  recurringPrice?: string | null;
  oneOffPrice?: string | null;
};

export type FactQuote = {
  segment: string;
  customerId?: string | null;
  promoCodes?: string[] | null;
  totals: TotalsData;
};

const cents = (amount: string | null | undefined): number => {
  if (!amount) return 0;
  const negative = amount.trim().startsWith('-');
  const [whole, fraction = ''] = amount.trim().replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(`${fraction}00`.slice(0, 2));
  return negative ? -value : value;
};
const decimal = (minor: number): number => minor / 100;
/** part / whole as a percentage rounded to two decimals (0 when whole is 0). */
const percent = (part: number, whole: number): number => (whole > 0 ? Math.round((part * 10_000) / whole) / 100 : 0);

/** The percentage a line's own discount takes off its gross (one-off + monthly, all units). */
export function lineDiscountPercent(line: FactLine): number {
  if (!line.discountType || !line.discountValue) return 0;
  if (line.discountType === 'PERCENT') return Number(line.discountValue);
  const gross = (cents(line.recurringPrice) + cents(line.oneOffPrice)) * line.quantity;
  return Math.min(100, percent(cents(line.discountValue), gross));
}

/** The facts the approval rules read about a quote revision. */
export function approvalFacts(quote: FactQuote, lines: readonly FactLine[]) {
  const t = quote.totals;
  const gross = cents(t.subtotalOneOff) + cents(t.subtotalRecurring);
  const off = cents(t.discounts) + cents(t.recurringDiscounts);
  return {
    maxLineDiscountPercent: lines.reduce((max, l) => Math.max(max, lineDiscountPercent(l)), 0),
    quoteDiscountPercent: percent(off, gross),
    totalDueNow: decimal(cents(t.dueNow)),
    monthlyTotal: decimal(cents(t.monthly)),
    segment: quote.segment,
    lineCount: lines.length,
    prospect: !quote.customerId,
    promoCodes: quote.promoCodes ?? [],
  };
}

export type LevelNeeded = { level: ApprovalLevel; reasons: string[] };

/** The levels the rules ask for (in the order first matched), each with the matched rules explained. */
export function levelsNeeded(rules: readonly StoredApprovalRule[], facts: ReturnType<typeof approvalFacts>): LevelNeeded[] {
  const byLevel = new Map<ApprovalLevel, string[]>();
  for (const match of evaluateRules(rules, facts, { mode: 'all' }).matches) {
    const level = match.target as ApprovalLevel;
    byLevel.set(level, [...(byLevel.get(level) ?? []), explainMatch(match)]);
  }
  return [...byLevel].map(([level, reasons]) => ({ level, reasons }));
}
