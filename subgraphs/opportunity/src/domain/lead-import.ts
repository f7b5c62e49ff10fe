import {
  type BulkChecked,
  type BulkOutcome,
  type BulkProblem,
  type ContactKeys,
  contactIndex,
  defineBulkAction,
  failed,
  newId,
  problem,
  succeeded,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Lead } from '../entities/index.js';
import { SCOPES } from './access.js';
import { duplicatesChecked } from './lead-derive.js';
import { candidateLeads, leadKeys, type Sql } from './lead-duplicates.js';
import { accountLink, leadRowKeys, matchAccounts, unknownProductProblem, unknownProducts } from './lead-import-refs.js';
import { type ImportedLead, parseLeadRow } from './lead-import-row.js';

export { type ImportedLead, parseLeadRow } from './lead-import-row.js';

/**
 * `lead.import` (run by the customer subgraph's bulk operations, channel BULK): one lead per CSV row.
 * Columns (header names compared without case, spaces, `_` or `-`): firstName, lastName, company,
 * email, mobile (E.164, or national with `country`), line1, line2, city, region, postcode, country
 * (ISO alpha-2), productIds (ids separated by `;` or spaces), source, segment, rating (HOT/WARM/COLD),
 * category, budget, currency, description, campaignId. A row needs a name or company and an e-mail or
 * mobile. As at capture, interest products must be the storefront's (else UNKNOWN_PRODUCT) and a row is
 * linked to the storefront's existing account with its e-mail (first) or mobile, which gives the lead its
 * segment and partner; the link is reported with the row (lead-import-refs.ts: one catalog and one
 * customer call per validation call). As for `leadCreate`, the uploader's segments bound it: an account of
 * another segment is not linked, and a lead of another segment is refused (FORBIDDEN). Duplicates (kit contact-match: e-mail, mobile, name with address
 * or interest) are invalid at validation: against the storefront's leads here, and against earlier rows
 * of the whole file by the orchestration, from the keys each valid row answers. Applying a batch checks
 * again (earlier batches are in the database by then), so a duplicate is never created: its row fails
 * with DUPLICATE, naming the lead it matches.
 */
const duplicateProblem = (leadId: string, reasons: readonly string[]) =>
  problem(
    'DUPLICATE',
    `Matches lead ${leadId} (${reasons.join(', ')})`,
    reasons.includes('EMAIL') ? 'email' : reasons.includes('MOBILE') ? 'mobile' : 'lastName',
  );

/**
 * Duplicates of each keyed row against the storefront's leads and (`withinRows`) earlier rows; answers
 * row → problem. Earlier rows are indexed under `row:<n>` ids so a match says which row it repeats.
 */
async function duplicatesOf(
  sql: Sql,
  storefrontId: string,
  rows: { row: number; keys: ContactKeys }[],
  withinRows: boolean,
): Promise<Map<number, BulkProblem>> {
  const index = contactIndex();
  for (const c of await candidateLeads(
    sql,
    storefrontId,
    rows.map((r) => r.keys),
  ))
    index.add(c);
  const found = new Map<number, BulkProblem>();
  for (const { row, keys } of rows) {
    const best = index.findByKeys(keys)[0];
    if (best) {
      found.set(
        row,
        best.id.startsWith('row:')
          ? problem('DUPLICATE', `Same person as row ${best.id.slice(4)} (${best.reasons.join(', ')})`, 'email')
          : duplicateProblem(best.id, best.reasons),
      );
      continue;
    }
    if (withinRows) index.add({ id: `row:${row}`, keys });
  }
  return found;
}

const sqlOf =
  (em: EntityManager): Sql =>
  (query, params) =>
    em.execute(query, params) as Promise<Record<string, unknown>[]>;

export const leadImport = defineBulkAction({
  name: 'lead.import',
  module: 'opportunity',
  scope: SCOPES.write,
  async validate(em, { storefrontId, peers, segments = ['*'] }, rows): Promise<BulkChecked[]> {
    // As `leadCreate` for staff: an account outside the uploader's segments is not linked, and a lead of such a segment is refused.
    const mine = (segment: string) => segments.includes('*') || segments.includes(segment);
    if (!peers) throw new Error('lead.import validation needs the catalog and customer subgraphs');
    const parsed = rows.map((r) => ({ row: r.row, ...parseLeadRow(r.data) }));
    const wellFormed = parsed.filter((p) => p.problems.length === 0);
    const [unknown, matches] = await Promise.all([
      unknownProducts(
        peers,
        storefrontId,
        wellFormed.flatMap((p) => p.value.productIds),
      ),
      matchAccounts(
        peers,
        storefrontId,
        wellFormed.map((p) => p.value),
      ),
    ]);
    const matchOf = new Map(wellFormed.map((p, i) => [p.row, matches[i]]));
    const keysOf = new Map(wellFormed.map((p) => [p.row, leadKeys(p.value)]));
    const dupes = await duplicatesOf(
      sqlOf(em),
      storefrontId,
      [...keysOf].map(([row, keys]) => ({ row, keys })),
      false,
    );
    return parsed.map(({ row, value, problems }): BulkChecked => {
      const missing = value.productIds.filter((id) => unknown.has(id));
      if (missing.length) problems.push(unknownProductProblem(missing));
      const dupe = dupes.get(row);
      if (dupe) problems.push(dupe);
      const matched = matchOf.get(row) ?? null;
      const match = matched && mine(matched.account.segment) ? matched : null;
      const links = match ? [accountLink(match)] : [];
      if (!match && !mine(value.segment)) problems.push(problem('FORBIDDEN', `Segment ${value.segment} is not one of yours`, 'segment'));
      if (problems.length) return { row, value: null, problems, links };
      const linked: ImportedLead = match
        ? { ...value, segment: match.account.segment, customerId: match.account.id, partnerId: match.account.partnerId }
        : value;
      return { row, value: linked, problems, keys: leadRowKeys(keysOf.get(row) as ContactKeys), links };
    });
  },
  async applyBatch(em, { storefrontId }, rows): Promise<BulkOutcome[]> {
    const values = rows.map((r) => ({ row: r.row, value: r.value as ImportedLead }));
    const dupes = await duplicatesOf(
      sqlOf(em),
      storefrontId,
      values.map((v) => ({ row: v.row, keys: leadKeys(v.value) })),
      true,
    );
    const now = new Date();
    const outcomes = values.map(({ row, value: { customerId, partnerId, ...value } }) => {
      const dupe = dupes.get(row);
      if (dupe) return failed(row, dupe);
      const id = newId();
      const lead = em.create(Lead, {
        id,
        storefrontId,
        channel: 'BULK',
        status: 'NEW',
        ...value,
        customerId: customerId ?? null,
        partnerId: partnerId ?? null,
        ownerStaffId: null,
        scoreExplanation: [],
        duplicateOf: null,
        consent: null,
        capturedAt: now,
        createdBy: 'bulk',
      });
      duplicatesChecked.add(lead);
      return succeeded(row, id);
    });
    await em.flush();
    return outcomes;
  },
});

export const opportunityBulkActions = [leadImport];

/** For the kit resolvers: this subgraph's Postgres schema. */
export const BULK_SCHEMA = 'opportunity';
