import type { Rule } from '@dcrm/kit';
import type { EventManager, EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import type { ILead } from '../entities/index.js';
import { candidateLeads, keysToColumns, leadKeys, matchAll, type Sql } from './lead-duplicates.js';
import { scoreLead } from './lead-scoring.js';

/**
 * What a lead derives from its own fields, kept true in the flush that changes it, whichever use case
 * wrote it (capture, create, update, merge, import): its normalised contact keys, its score and
 * explanation under the storefront's scoring rules and, for a new lead, `duplicateOf` (the best
 * existing match). One query for the rules and one for duplicate candidates per flush, whatever the
 * number of leads in it. Registered once on the subgraph's ORM (index.ts).
 */
/** New leads whose writer already checked them against the brand's leads (lead.import): not looked up again. */
export const duplicatesChecked = new WeakSet<object>();

export class LeadDerive implements EventSubscriber {
  async onFlush({ uow, em }: FlushEventArgs): Promise<void> {
    const changes = uow.getChangeSets().filter((cs) => cs.meta.className === 'Lead' && (cs.type === 'create' || cs.type === 'update'));
    if (changes.length === 0) return;
    const sql: Sql = (query, params) => em.getConnection().execute(query, params, 'all', em.getTransactionContext());
    const leads = changes.map((cs) => cs.entity as ILead);
    const rules = await rulesOf(sql, [...new Set(leads.map((l) => l.storefrontId))]);
    const fresh: ILead[] = [];
    for (const [i, lead] of leads.entries()) {
      Object.assign(lead, keysToColumns(leadKeys(lead)));
      const { score, explanation } = scoreLead(rules.get(lead.storefrontId) ?? [], lead);
      lead.score = score;
      lead.scoreExplanation = explanation;
      if (changes[i].type === 'create' && lead.status !== 'MERGED' && !lead.duplicateOf && !duplicatesChecked.has(lead)) fresh.push(lead);
    }
    for (const storefrontId of new Set(fresh.map((l) => l.storefrontId))) {
      const mine = fresh.filter((l) => l.storefrontId === storefrontId).map((l) => ({ id: l.id, keys: leadKeys(l) }));
      const matches = matchAll(
        mine,
        await candidateLeads(
          sql,
          storefrontId,
          mine.map((m) => m.keys),
        ),
      );
      for (const lead of fresh) lead.duplicateOf ??= matches.get(lead.id)?.[0]?.id ?? null;
    }
    for (const lead of leads) uow.recomputeSingleChangeSet(lead);
  }
}

/** Registers `LeadDerive` on an ORM's event manager (shared by its forks), once. */
export function deriveLeadsOn(em: { getEventManager(): EventManager }): void {
  const events = em.getEventManager();
  if (![...events.getSubscribers()].some((s) => s instanceof LeadDerive)) events.registerSubscriber(new LeadDerive());
}

/** The scoring rules of some storefronts (none: no rules, score 0). */
export async function rulesOf(sql: Sql, storefrontIds: string[]): Promise<Map<string, Rule[]>> {
  if (!storefrontIds.length) return new Map();
  const rows = (await sql(`select storefront_id, rules from "opportunity"."lead_scoring_rule_set" where storefront_id in (?)`, [
    storefrontIds,
  ])) as { storefront_id: string; rules: Rule[] }[];
  return new Map(rows.map((r) => [r.storefront_id, r.rules]));
}
