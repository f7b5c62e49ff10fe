import { newId, seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_CUSTOM_FIELDS } from '../domain/pipeline/defaults.js';
import { provisionPipeline } from '../domain/pipeline/stages.js';

/** The default pipeline, reasons and demo custom fields of each demo brand. Idempotent. */
export async function seedPipeline(em: EntityManager): Promise<void> {
  const now = new Date();
  for (const brand of ['volt', 'nimbus']) {
    const storefrontId = seedId('storefront', brand);
    await provisionPipeline(em, storefrontId);
    for (const [i, field] of DEMO_CUSTOM_FIELDS.entries()) {
      await em.execute(
        `insert into "opportunity"."custom_field_definition" (id, storefront_id, entity, key, label, type, options, required, position, created_at, updated_at)
         values (?, ?, 'OPPORTUNITY', ?, ?, ?, ?::jsonb, false, ?, ?, ?) on conflict do nothing`,
        [newId(), storefrontId, field.key, field.label, field.type, JSON.stringify(field.options ?? []), i + 1, now, now],
      );
    }
  }
  // Seeded opportunities entered their stage when they were created, and their history starts there.
  await em.execute(`update "opportunity"."opportunity" set stage_entered_at = created_at where stage_entered_at is null`);
  const bare = (await em.execute(
    `select o.id, o.storefront_id, o.stage, o.status, o.created_at from "opportunity"."opportunity" o
     where o.created_by = 'seed' and not exists (select 1 from "opportunity"."opportunity_history" h where h.opportunity_id = o.id)`,
  )) as { id: string; storefront_id: string; stage: string; status: string; created_at: Date }[];
  for (const o of bare) {
    await em.execute(
      `insert into "opportunity"."opportunity_history" (id, opportunity_id, storefront_id, from_stage, to_stage, to_status, actor_kind, actor_id, at)
       values (?, ?, ?, null, ?, ?, 'service', 'seed', ?)`,
      [newId(), o.id, o.storefront_id, o.stage, o.status, o.created_at],
    );
  }
}
