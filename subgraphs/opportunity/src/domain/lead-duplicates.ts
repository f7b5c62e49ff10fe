import { type ContactKeys, contactIndex, contactKeys, type DuplicateMatch, isMobile } from '@dcrm/kit';
import type { ILead } from '../entities/index.js';
import type { UserError } from './opportunity.errors.js';

/**
 * Duplicate detection for leads with kit contact-match.ts: a lead's normalised keys (name, E.164
 * mobile, e-mail, address, plan/offer interests) live in indexed columns, written on every change
 * (lead-derive.ts); candidates are the storefront's leads sharing an e-mail, mobile or name key
 * (one query for any number of leads), and `contactIndex` decides and explains. Merged leads are
 * never candidates.
 */

type Keyed = Pick<ILead, 'firstName' | 'lastName' | 'email' | 'mobile' | 'address' | 'productIds'>;

export function leadKeys(lead: Keyed, defaultCountry?: string | null): ContactKeys {
  const a = lead.address;
  const keys = contactKeys(
    {
      firstName: lead.firstName,
      lastName: lead.lastName,
      email: lead.email,
      mobile: lead.mobile,
      address: a ? { line1: a.line1, line2: a.line2, city: a.city, region: a.region, postalCode: a.postcode, country: a.country } : null,
      interests: lead.productIds ?? [],
    },
    { defaultCountry },
  );
  // A stored mobile is already E.164; keep it as the key even where the numbering plan does not know the range (test numbers).
  return keys.mobile || !lead.mobile || !isMobile(lead.mobile) ? keys : { ...keys, mobile: lead.mobile };
}

/** The keys as the lead's columns hold them. */
export const keysToColumns = (keys: ContactKeys) => ({
  emailKey: keys.email,
  mobileKey: keys.mobile,
  nameKey: keys.name,
  addressKey: keys.address,
  interestKeys: keys.interests,
});

export type StoredKeys = { id: string; keys: ContactKeys };

type Row = {
  id: string;
  email_key: string | null;
  mobile_key: string | null;
  name_key: string | null;
  address_key: string | null;
  interest_keys: string[] | null;
};

/** Runs SQL in the caller's transaction (`em.getConnection().execute(…, 'all', ctx)` or `em.execute`). */
export type Sql = (query: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const toStored = (r: Row): StoredKeys => ({
  id: r.id,
  keys: { email: r.email_key, mobile: r.mobile_key, name: r.name_key, address: r.address_key, interests: r.interest_keys ?? [] },
});

/**
 * The storefront's leads (not MERGED) sharing an e-mail, mobile or name key with any of `keys`; `extra`
 * narrows them further (e.g. to the caller's visible rows, as SQL with its params).
 */
export async function candidateLeads(
  sql: Sql,
  storefrontId: string,
  keys: readonly ContactKeys[],
  extra?: { where: string; params: unknown[] },
): Promise<StoredKeys[]> {
  const uniq = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v))];
  const parts: string[] = [];
  const params: unknown[] = [storefrontId];
  for (const [column, values] of [
    ['email_key', uniq(keys.map((k) => k.email))],
    ['mobile_key', uniq(keys.map((k) => k.mobile))],
    ['name_key', uniq(keys.map((k) => k.name))],
  ] as const) {
    if (!values.length) continue;
    parts.push(`"${column}" in (?)`);
    params.push(values);
  }
  if (!parts.length) return [];
  const rows = (await sql(
    `select id, email_key, mobile_key, name_key, address_key, interest_keys from "opportunity"."lead"
     where storefront_id = ? and status <> 'MERGED' and (${parts.join(' or ')})${extra ? ` and (${extra.where})` : ''}
     order by id limit 5000`,
    [...params, ...(extra?.params ?? [])],
  )) as Row[];
  return rows.map(toStored);
}

/** Matches of each lead among the candidates (itself left out), best first. */
export function matchAll(leads: readonly StoredKeys[], candidates: readonly StoredKeys[]): Map<string, DuplicateMatch[]> {
  const index = contactIndex();
  for (const c of candidates) index.add(c);
  return new Map(leads.map((l) => [l.id, index.findByKeys(l.keys, l.id)]));
}

/** `LeadPayload` as resolvers return it: its `duplicates` are resolved from the lead (lead-quality resolvers). */
export type LeadPayloadView = { lead: ILead | null; userErrors: UserError[] };
