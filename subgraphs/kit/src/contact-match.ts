import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import { normaliseEmail } from './validate.js';

/**
 * Contact normalisation and duplicate matching on the brochure's parameters (name, mobile, email,
 * address, plan/offer of interest). Pure.
 *
 * Keys (`contactKeys`), each null when the input is blank or unusable:
 * - email: trimmed and lower-cased, nothing else (no Gmail dot or plus folding: those are different
 *   mailboxes elsewhere, and folding would merge people who are not the same).
 * - mobile: E.164 (`+353871234567`) through libphonenumber-js; national numbers read with the
 *   storefront's country (`defaultCountry`, ISO 3166 alpha-2); null when not a valid number.
 * - name: first + last (or `name`), accents removed (NFKD), lower-case, punctuation dropped, words
 *   sorted, so "Dóe, Jane" and "jane  DOE" share a key. Initials are not expanded.
 * - address: the same text folding over line1, line2, city, region, postal code (spaces removed),
 *   country; no abbreviation expansion ("St" ≠ "Street").
 * - interests: plan/offer/product ids, trimmed and lower-cased, sorted, unique.
 *
 * Reasons and scores (DUPLICATE_WEIGHTS): EMAIL 90, MOBILE 85, NAME_AND_ADDRESS 75, NAME_AND_INTEREST 60;
 * a match scores its strongest reason plus 5 per further reason, at most 100.
 *
 * Storing keys for SQL: keep `email_key`, `mobile_key`, `name_key`, `address_key` (text) and
 * `interest_keys` (text[]) beside the row, written from `contactKeys` on every create/update, with
 * indexes on (storefront_id, email_key), (storefront_id, mobile_key), (storefront_id, name_key). Then
 * fetch candidates with `where storefront_id = $1 and (email_key = $2 or mobile_key = $3 or name_key = $4)`
 * (skip null keys) and pass the rows as `{ id, keys }` to `findDuplicates`, which decides and explains.
 */

export type ContactAddress = {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
};

export type ContactFields = {
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  mobile?: string | null;
  address?: string | ContactAddress | null;
  /** Plan / offer / product ids the contact is interested in. */
  interests?: string | readonly string[] | null;
};

export type ContactKeys = { email: string | null; mobile: string | null; name: string | null; address: string | null; interests: string[] };

export type DuplicateReason = 'EMAIL' | 'MOBILE' | 'NAME_AND_ADDRESS' | 'NAME_AND_INTEREST';

export const DUPLICATE_WEIGHTS: Readonly<Record<DuplicateReason, number>> = {
  EMAIL: 90,
  MOBILE: 85,
  NAME_AND_ADDRESS: 75,
  NAME_AND_INTEREST: 60,
};

export type ContactMatchOptions = {
  /** The storefront's country (ISO 3166 alpha-2), for national phone numbers. */
  defaultCountry?: string | null;
  /** Matches below this score are dropped (default 0: every reason counts). */
  minScore?: number;
};

/** An existing contact: its fields, or its stored keys (then the fields are not read). */
export type ExistingContact = ContactFields & { id: string; keys?: ContactKeys };

export type DuplicateMatch = { id: string; score: number; reasons: DuplicateReason[] };

const blankToNull = (value: string): string | null => (value === '' ? null : value);

/** Accents off (NFKD), lower-case, anything but letters and digits becomes a space, spaces collapsed. */
export function foldText(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const folded = raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return blankToNull(folded);
}

/** E.164, or null when the text is not a valid phone number (national numbers need `defaultCountry`). */
export function normalisePhone(raw: string | null | undefined, defaultCountry?: string | null): string | null {
  if (raw == null || raw.trim() === '') return null;
  const country = defaultCountry?.toUpperCase();
  const options = country && isSupportedCountry(country) ? { defaultCountry: country as CountryCode } : undefined;
  const parsed = parsePhoneNumberFromString(raw.trim().replace(/^00/, '+'), options);
  return parsed?.isValid() ? parsed.number : null;
}

/** Trimmed and lower-cased; null when blank. */
export const emailKey = (raw: string | null | undefined): string | null => (raw == null ? null : blankToNull(normaliseEmail(raw)));

/** Folded words in sorted order: "Dóe, Jane" → "doe jane". */
export function nameKey(contact: Pick<ContactFields, 'name' | 'firstName' | 'lastName'>): string | null {
  const full = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.name;
  const folded = foldText(full);
  return folded ? folded.split(' ').sort().join(' ') : null;
}

export function addressKey(address: string | ContactAddress | null | undefined): string | null {
  if (address == null) return null;
  if (typeof address === 'string') return foldText(address);
  const postal = address.postalCode?.replace(/\s+/g, '');
  return foldText([address.line1, address.line2, address.city, address.region, postal, address.country].filter(Boolean).join(' '));
}

export function interestKeys(interests: string | readonly string[] | null | undefined): string[] {
  const list = interests == null ? [] : typeof interests === 'string' ? [interests] : interests;
  return [...new Set(list.map((i) => i.trim().toLowerCase()).filter(Boolean))].sort();
}

/** Every normalised key of a contact, e.g. to store in indexed columns. */
export function contactKeys(contact: ContactFields, options: Pick<ContactMatchOptions, 'defaultCountry'> = {}): ContactKeys {
  return {
    email: emailKey(contact.email),
    mobile: normalisePhone(contact.mobile, options.defaultCountry),
    name: nameKey(contact),
    address: addressKey(contact.address),
    interests: interestKeys(contact.interests),
  };
}

/** Why two contacts look like the same person (strongest first). */
export function duplicateReasons(a: ContactKeys, b: ContactKeys): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  if (a.email && a.email === b.email) reasons.push('EMAIL');
  if (a.mobile && a.mobile === b.mobile) reasons.push('MOBILE');
  const sameName = a.name !== null && a.name === b.name;
  if (sameName && a.address && a.address === b.address) reasons.push('NAME_AND_ADDRESS');
  if (sameName && a.interests.some((i) => b.interests.includes(i))) reasons.push('NAME_AND_INTEREST');
  return reasons;
}

/** The strongest reason's weight plus 5 per further reason, at most 100; 0 without reasons. */
export function duplicateScore(reasons: readonly DuplicateReason[]): number {
  if (reasons.length === 0) return 0;
  const top = Math.max(...reasons.map((r) => DUPLICATE_WEIGHTS[r]));
  return Math.min(100, top + 5 * (reasons.length - 1));
}

/**
 * An in-memory index of contacts by key, for matching many candidates (an import's rows against each
 * other and against stored rows) without comparing every pair.
 */
export function contactIndex(options: ContactMatchOptions = {}) {
  const entries = new Map<string, ContactKeys>();
  const buckets = new Map<string, Set<string>>();
  const bucketKeys = (keys: ContactKeys) =>
    [keys.email && `e:${keys.email}`, keys.mobile && `m:${keys.mobile}`, keys.name && `n:${keys.name}`].filter((k): k is string => !!k);

  const findByKeys = (keys: ContactKeys, exceptId?: string): DuplicateMatch[] => {
    const ids = new Set(bucketKeys(keys).flatMap((key) => [...(buckets.get(key) ?? [])]));
    const matches: DuplicateMatch[] = [];
    for (const id of ids) {
      if (id === exceptId) continue;
      const reasons = duplicateReasons(keys, entries.get(id) as ContactKeys);
      const score = duplicateScore(reasons);
      if (reasons.length && score >= (options.minScore ?? 0)) matches.push({ id, score, reasons });
    }
    return matches.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  };

  return {
    /** Adds a contact (replacing one with the same id); answers its keys. */
    add(contact: ExistingContact): ContactKeys {
      const previous = entries.get(contact.id);
      if (previous) for (const key of bucketKeys(previous)) buckets.get(key)?.delete(contact.id);
      const keys = contact.keys ?? contactKeys(contact, options);
      entries.set(contact.id, keys);
      for (const key of bucketKeys(keys)) {
        let ids = buckets.get(key);
        if (!ids) buckets.set(key, (ids = new Set()));
        ids.add(contact.id);
      }
      return keys;
    },
    /** Indexed contacts that match the candidate, best first (score desc, then id); `exceptId` leaves one out. */
    find(candidate: ContactFields, exceptId?: string): DuplicateMatch[] {
      return findByKeys(contactKeys(candidate, options), exceptId);
    },
    /** As `find`, for a candidate already normalised (e.g. the keys `add` answered). */
    findByKeys,
  };
}

export type ContactIndex = ReturnType<typeof contactIndex>;

/** Existing contacts that look like the candidate, with a score and the reasons, best first. */
export function findDuplicates(
  candidate: ContactFields,
  existing: readonly ExistingContact[],
  options: ContactMatchOptions = {},
): DuplicateMatch[] {
  const index = contactIndex(options);
  for (const contact of existing) index.add(contact);
  return index.find(candidate);
}
