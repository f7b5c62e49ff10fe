import {
  type BulkChecked,
  type BulkOutcome,
  type BulkProblem,
  defineBulkAction,
  failed,
  isEmail,
  isMobile,
  newId,
  normaliseEmail,
  problem,
  segmentsOf,
  succeeded,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../../entities/index.js';

/**
 * `customer.import`: new accounts in the operation's storefront. Columns: name, email, phone (E.164,
 * optional), type (INDIVIDUAL or BUSINESS, default INDIVIDUAL), storefrontId (optional; must be the
 * operation's). Duplicates — by email or phone, within the file or with an existing account — are
 * invalid rows; so are accounts in a segment the staff member does not hold. Imported accounts have no
 * password (they sign up with the email) and start ONBOARDING.
 */
export type CustomerImportRow = { name: string; email: string; mobile: string | null; type: 'INDIVIDUAL' | 'BUSINESS' };

const TYPES = new Set(['INDIVIDUAL', 'BUSINESS']);
const segmentOf = (type: CustomerImportRow['type']) => (type === 'BUSINESS' ? 'smb' : 'consumer');

function parseRow(data: Record<string, string>, storefrontId: string): { value: CustomerImportRow | null; problems: BulkProblem[] } {
  const problems: BulkProblem[] = [];
  const name = (data.name ?? '').trim();
  const email = normaliseEmail(data.email ?? '');
  const mobile = (data.phone ?? data.mobile ?? '').trim() || null;
  const type = (data.type ?? 'INDIVIDUAL').trim().toUpperCase();
  if (data.storefrontId && data.storefrontId !== storefrontId)
    problems.push(problem('OTHER_BRAND', "Rows are for this operation's storefront only", 'storefrontId'));
  if (!name) problems.push(problem('BLANK', 'Must not be blank', 'name'));
  else if (name.length > 200) problems.push(problem('TOO_LONG', 'At most 200 characters', 'name'));
  if (!isEmail(email)) problems.push(problem('INVALID', 'Not a valid email address', 'email'));
  if (mobile && !isMobile(mobile)) problems.push(problem('INVALID', 'Use the international format, e.g. +353871234567', 'phone'));
  if (!TYPES.has(type)) problems.push(problem('INVALID', 'INDIVIDUAL or BUSINESS', 'type'));
  if (problems.length) return { value: null, problems };
  return { value: { name, email, mobile, type: type as CustomerImportRow['type'] }, problems };
}

/** Emails and mobiles of the storefront already taken, among these. */
async function taken(em: EntityManager, storefrontId: string, emails: string[], mobiles: string[]) {
  const rows = (await em.execute(
    `select lower(email) as email, mobile from "customer"."customer" where storefront_id = ? and (lower(email) = any(?::text[]) or mobile = any(?::text[]))`,
    [storefrontId, `{${emails.map(pgText).join(',')}}`, `{${mobiles.map(pgText).join(',')}}`],
  )) as { email: string; mobile: string | null }[];
  return { emails: new Set(rows.map((r) => r.email)), mobiles: new Set(rows.flatMap((r) => (r.mobile ? [r.mobile] : []))) };
}

// A Postgres array literal element (MikroORM would expand a JS array into `?, ?`).
const pgText = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

export const customerImport = defineBulkAction({
  name: 'customer.import',
  module: 'customer',
  scope: 'customer:write',
  async validate(em, { principal, storefrontId }, rows): Promise<BulkChecked[]> {
    const parsed = rows.map((r) => ({ row: r.row, ...parseRow(r.data, storefrontId) }));
    const values = parsed.flatMap((p) => (p.value ? [p.value] : []));
    const existing = await taken(
      em,
      storefrontId,
      values.map((v) => v.email),
      values.flatMap((v) => (v.mobile ? [v.mobile] : [])),
    );
    const segments = principal.kind === 'staff' ? segmentsOf(principal) : ['*'];
    const seenEmails = new Set<string>();
    const seenMobiles = new Set<string>();
    return parsed.map(({ row, value, problems }) => {
      if (!value) return { row, value: null, problems };
      if (existing.emails.has(value.email)) problems.push(problem('TAKEN', 'An account with this email exists', 'email'));
      else if (seenEmails.has(value.email)) problems.push(problem('DUPLICATE', 'This email is on an earlier row', 'email'));
      if (value.mobile && existing.mobiles.has(value.mobile)) problems.push(problem('TAKEN', 'An account with this phone exists', 'phone'));
      else if (value.mobile && seenMobiles.has(value.mobile))
        problems.push(problem('DUPLICATE', 'This phone is on an earlier row', 'phone'));
      if (!segments.includes('*') && !segments.includes(segmentOf(value.type)))
        problems.push(problem('FORBIDDEN', `You do not manage the ${segmentOf(value.type)} segment`, 'type'));
      seenEmails.add(value.email);
      if (value.mobile) seenMobiles.add(value.mobile);
      return problems.length ? { row, value: null, problems } : { row, value, problems };
    });
  },
  async applyBatch(em, { storefrontId }, rows): Promise<BulkOutcome[]> {
    const values = rows.map((r) => ({ row: r.row, value: r.value as CustomerImportRow }));
    // Taken since validation (another upload, a sign-up): that row fails, the rest of the batch goes in.
    const now = await taken(
      em,
      storefrontId,
      values.map((v) => v.value.email),
      values.flatMap((v) => (v.value.mobile ? [v.value.mobile] : [])),
    );
    const outcomes: BulkOutcome[] = [];
    for (const { row, value } of values) {
      if (now.emails.has(value.email) || (value.mobile && now.mobiles.has(value.mobile))) {
        outcomes.push(failed(row, problem('TAKEN', 'An account with this email or phone was created since validation', 'email')));
        continue;
      }
      const id = newId();
      em.create(Customer, {
        id,
        storefrontId,
        type: value.type,
        name: value.name,
        email: value.email,
        mobile: value.mobile,
        passwordHash: null,
        category: value.type === 'BUSINESS' ? 'SME' : 'CONSUMER',
        segment: segmentOf(value.type),
        lifecycleStage: 'ONBOARDING',
        consents: [],
        notificationPreferences: [],
      });
      outcomes.push(succeeded(row, id));
    }
    await em.flush();
    return outcomes;
  },
});
