import type { JobTaskList, MikroORM } from '@dcrm/kit';
import type { PromotionServices } from './services.js';

/** graphile-worker crontab of the promotion subgraph (task names allow `:`, not `.`): the safety net for due campaign transitions. */
export const CRONTAB = '';

/** The promotion subgraph's job handlers by task name (campaign launch, audience batches, notifications, completion). */
export function promotionTasks(orm: MikroORM, services: PromotionServices): JobTaskList {
  void orm;
  void services;
  return {};
}
