import { type BulkProblem, isEmail, isUuid, normaliseEmail, normalisePhone, problem } from '@dcrm/kit';
import { LEAD_RATINGS, type LeadAddress, type LeadRating } from '../entities/index.js';

/** One `lead.import` row read: its columns (see lead-import.ts), normalised, with its problems. */
export type ImportedLead = {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  email: string | null;
  mobile: string | null;
  address: LeadAddress | null;
  productIds: string[];
  source: string | null;
  segment: string;
  rating: LeadRating | null;
  category: string | null;
  budgetAmount: string | null;
  budgetCurrency: string | null;
  description: string | null;
  campaignId: string | null;
  /** The existing account the lead is linked to (matched at validation), and that account's partner. */
  customerId?: string | null;
  partnerId?: string | null;
};

const COLUMNS = [
  'firstName',
  'lastName',
  'company',
  'email',
  'mobile',
  'line1',
  'line2',
  'city',
  'region',
  'postcode',
  'country',
  'productIds',
  'source',
  'segment',
  'rating',
  'category',
  'budget',
  'currency',
  'description',
  'campaignId',
] as const;
const fold = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');
const FIELD_OF = new Map<string, string>([...COLUMNS.map((c) => [fold(c), c] as const), ['phone', 'mobile'], ['postalcode', 'postcode']]);
const DECIMAL = /^\d{1,12}(\.\d{1,2})?$/;
const SEGMENT = /^[a-z0-9_-]{1,64}$/;

/** The row's values by field (unknown columns ignored), trimmed, empty ones left out. */
function fieldsOf(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [header, raw] of Object.entries(data)) {
    const field = FIELD_OF.get(fold(header));
    const value = raw == null ? '' : String(raw).trim();
    if (field && value) out[field] = value;
  }
  return out;
}

export function parseLeadRow(data: Record<string, unknown>): { value: ImportedLead; problems: BulkProblem[] } {
  const f = fieldsOf(data);
  const problems: BulkProblem[] = [];
  const text = (field: string, max: number) => {
    const v = f[field] ?? null;
    if (v && v.length > max) problems.push(problem('TOO_LONG', `At most ${max} characters`, field));
    return v;
  };
  const email = f.email ? normaliseEmail(f.email) : null;
  if (email && !isEmail(email)) problems.push(problem('INVALID', 'Not an e-mail address', 'email'));
  const country = f.country?.toUpperCase() ?? null;
  const mobile = f.mobile ? normalisePhone(f.mobile, country) : null;
  if (f.mobile && !mobile) problems.push(problem('INVALID', 'Not a mobile number (use +country format or give a country)', 'mobile'));
  if (!f.email && !f.mobile) problems.push(problem('REQUIRED', 'An e-mail address or a mobile number is required', 'email'));
  if (!f.firstName && !f.lastName && !f.company) problems.push(problem('REQUIRED', 'A name or a company is required', 'lastName'));
  const rating = f.rating?.toUpperCase() ?? null;
  if (rating && !(LEAD_RATINGS as readonly string[]).includes(rating)) problems.push(problem('INVALID', LEAD_RATINGS.join(', '), 'rating'));
  const segment = f.segment?.toLowerCase() ?? 'consumer';
  if (!SEGMENT.test(segment)) problems.push(problem('INVALID', 'A segment code: letters, digits, _ or -', 'segment'));
  if (f.budget && !DECIMAL.test(f.budget)) problems.push(problem('INVALID', 'A non-negative amount with at most two decimals', 'budget'));
  const currency = f.currency?.toUpperCase() ?? null;
  if (f.budget && !currency) problems.push(problem('REQUIRED', 'A budget needs its currency', 'currency'));
  if (currency && !/^[A-Z]{3}$/.test(currency)) problems.push(problem('INVALID', 'An ISO 4217 code, e.g. EUR', 'currency'));
  const productIds = [...new Set((f.productIds ?? '').split(/[;\s]+/).filter(Boolean))];
  if (productIds.length > 20 || !productIds.every(isUuid)) problems.push(problem('INVALID', 'At most 20 product ids', 'productIds'));
  if (f.campaignId && !isUuid(f.campaignId)) problems.push(problem('INVALID', 'Not a valid id', 'campaignId'));
  const address = ['line1', 'line2', 'city', 'region', 'postcode'].some((k) => f[k])
    ? {
        line1: text('line1', 200),
        line2: text('line2', 200),
        city: text('city', 100),
        region: text('region', 100),
        postcode: text('postcode', 20),
        country,
      }
    : null;
  return {
    value: {
      firstName: text('firstName', 100),
      lastName: text('lastName', 100),
      company: text('company', 200),
      email,
      mobile,
      address,
      productIds,
      source: text('source', 200),
      segment,
      rating: rating as LeadRating | null,
      category: text('category', 64),
      budgetAmount: f.budget ?? null,
      budgetCurrency: f.budget ? currency : null,
      description: text('description', 2000),
      campaignId: f.campaignId ?? null,
    },
    problems,
  };
}
