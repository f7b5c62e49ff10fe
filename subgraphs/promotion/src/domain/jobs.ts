import { isUuid, type JobTaskList, type MikroORM } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { planAudience } from './audience.js';
import { runChunk } from './campaign-chunk.js';
import { completeCampaign, launchCampaign, sweepCampaigns, TASKS } from './campaign-lifecycle.js';
import { type NotifyPayload, notifyBatch } from './campaign-notify.js';
import { DELIVER_TASK, deliverPending } from './decisioning/delivery.js';
import type { PromotionServices } from './services.js';

/**
 * graphile-worker crontab of the promotion subgraph (task names allow `:`, not `.`): the safety nets for
 * due campaign transitions and for decisions recorded but not yet carried out.
 */
export const CRONTAB = `*/5 * * * * ${TASKS.sweep}\n* * * * * ${DELIVER_TASK}`;

type CampaignPayload = { campaignId?: unknown; batchSize?: unknown; offerIds?: unknown; after?: unknown; upTo?: unknown };

/** Payloads come back from JSON: a job with a malformed one does nothing rather than fail forever. */
const campaignIdOf = (payload: CampaignPayload | null | undefined): string | null =>
  typeof payload?.campaignId === 'string' && isUuid(payload.campaignId) ? payload.campaignId : null;

/**
 * The promotion subgraph's job handlers by task name. Each re-reads the campaign and does nothing
 * unless its status still calls for it (a cancelled campaign's jobs are no-ops). Tests call them
 * through `server.tasks` with a manual clock.
 */
export function promotionTasks(orm: MikroORM, services: PromotionServices): JobTaskList {
  const em = () => orm.em.fork() as EntityManager;
  return {
    [TASKS.launch]: async (payload: CampaignPayload) => {
      const id = campaignIdOf(payload);
      if (id) await launchCampaign(em(), services, id, typeof payload.batchSize === 'number' ? payload.batchSize : undefined);
    },
    [TASKS.audience]: async (payload: CampaignPayload) => {
      const id = campaignIdOf(payload);
      const batchSize = typeof payload.batchSize === 'number' ? payload.batchSize : undefined;
      if (id) await planAudience(em(), services, { campaignId: id, batchSize });
    },
    [TASKS.chunk]: async (payload: CampaignPayload) => {
      const id = campaignIdOf(payload);
      const after = payload.after === null || isUuid(payload.after) ? (payload.after as string | null) : undefined;
      if (id && after !== undefined && isUuid(payload.upTo)) await runChunk(em(), services, { campaignId: id, after, upTo: payload.upTo });
    },
    [TASKS.notify]: async (payload: CampaignPayload) => {
      const id = campaignIdOf(payload);
      const offerIds = Array.isArray(payload.offerIds)
        ? payload.offerIds.filter((o): o is string => typeof o === 'string' && isUuid(o))
        : [];
      if (id) await notifyBatch(em(), services, { campaignId: id, offerIds } satisfies NotifyPayload);
    },
    [TASKS.complete]: async (payload: CampaignPayload) => {
      const id = campaignIdOf(payload);
      if (id) await completeCampaign(em(), services, id);
    },
    // Cron runs it for every storefront; `{ storefrontId }` limits it to one.
    [TASKS.sweep]: async (payload: CampaignPayload & { storefrontId?: unknown }) => {
      const storefrontId = typeof payload?.storefrontId === 'string' && isUuid(payload.storefrontId) ? payload.storefrontId : null;
      await sweepCampaigns(em(), services, storefrontId);
    },
    // Every minute; `{ olderThanMs }` narrows the grace left to the batch that recorded them.
    [DELIVER_TASK]: async (payload: { olderThanMs?: unknown } | null) => {
      if (!services.decisioning) return;
      const olderThanMs = typeof payload?.olderThanMs === 'number' ? payload.olderThanMs : undefined;
      while ((await deliverPending(services.decisioning, { olderThanMs })) > 0);
    },
  };
}
