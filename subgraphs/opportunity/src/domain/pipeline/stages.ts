import { newId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IPipelineStage, type IStageTransition, PipelineStage, StageTransition } from '../../entities/index.js';
import { DEFAULT_REASONS, DEFAULT_STAGES, DEFAULT_TRANSITIONS } from './defaults.js';

export type Pipeline = {
  stages: IPipelineStage[];
  transitions: IStageTransition[];
  stage(code: string): IPipelineStage | undefined;
  transition(from: string, to: string): IStageTransition | undefined;
};

const S = '"opportunity"';

/**
 * Gives a storefront the default pipeline and reasons when it has no stages yet (a new brand, the
 * demo seed). Idempotent: rows that exist are left alone (`on conflict do nothing`).
 */
export async function provisionPipeline(em: EntityManager, storefrontId: string): Promise<void> {
  const now = new Date();
  for (const [i, s] of DEFAULT_STAGES.entries()) {
    await em.execute(
      `insert into ${S}."pipeline_stage" (id, storefront_id, code, name, position, status, tmf_status, idle_limit_hours, probability, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
      [newId(), storefrontId, s.code, s.name, i + 1, s.status, s.tmfStatus, s.idleLimitHours, s.probability, now, now],
    );
  }
  for (const t of DEFAULT_TRANSITIONS) {
    await em.execute(
      `insert into ${S}."stage_transition" (id, storefront_id, from_code, to_code, required_fields, guards, created_at, updated_at)
       values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?) on conflict do nothing`,
      [newId(), storefrontId, t.from, t.to, JSON.stringify(t.requiredFields ?? []), JSON.stringify(t.guards ?? []), now, now],
    );
  }
  for (const [i, r] of DEFAULT_REASONS.entries()) {
    await em.execute(
      `insert into ${S}."opportunity_reason" (id, storefront_id, code, label, kind, position, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
      [newId(), storefrontId, r.code, r.label, r.kind, i + 1, now, now],
    );
  }
}

/** The storefront's pipeline (provisioned with the defaults the first time it is needed). */
export async function loadPipeline(em: EntityManager, storefrontId: string): Promise<Pipeline> {
  let stages = await em.find(PipelineStage, { storefrontId }, { orderBy: { position: 'asc' } });
  if (stages.length === 0) {
    await provisionPipeline(em.fork() as EntityManager, storefrontId);
    stages = await em.find(PipelineStage, { storefrontId }, { orderBy: { position: 'asc' } });
  }
  const transitions = await em.find(StageTransition, { storefrontId }, { orderBy: { fromCode: 'asc', toCode: 'asc' } });
  return {
    stages,
    transitions,
    stage: (code) => stages.find((s) => s.code === code),
    transition: (from, to) => transitions.find((t) => t.fromCode === from && t.toCode === to),
  };
}

/** The first open stage: where a new opportunity starts. */
export const firstOpenStage = (pipeline: Pipeline): IPipelineStage | undefined => pipeline.stages.find((s) => s.status === 'OPEN');
