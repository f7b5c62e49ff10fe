import { type JobHandler, startJobs } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { runPeriodic } from '../periodic.js';
import type { OpportunityServices } from '../services.js';
import { ESCALATION_TASK, type EscalationPayload } from './activity.js';
import { runEscalation } from './escalation.js';

/**
 * The opportunity subgraph's jobs: the escalation check of each opportunity (keyed, queued by the
 * writes that count as activity), and every minute the outboxes a crash or an outage left (events,
 * notifications). Every instance runs a worker; graphile-worker claims each job once.
 * DCRM_JOBS=off (tests): no worker, tests run the handlers directly through `tasks`.
 */
const PERIODIC_TASK = 'opportunity:periodic';

export async function startWorkJobs(databaseUrl: string, em: () => EntityManager, services: OpportunityServices) {
  const escalation: JobHandler<EscalationPayload> = async (payload) => {
    if (typeof payload?.opportunityId !== 'string') return;
    await runEscalation(em(), services, payload);
  };
  // Writes queue jobs whether or not this instance runs a worker.
  const runner = await startJobs({
    databaseUrl,
    taskList: { [ESCALATION_TASK]: escalation, [PERIODIC_TASK]: async () => void (await runPeriodic(em(), services)) },
    crontab: `* * * * * ${PERIODIC_TASK}`,
    concurrency: 1,
    component: 'opportunity jobs',
  });
  return {
    stop: async () => runner?.stop(),
    tasks: {
      [ESCALATION_TASK]: (payload?: unknown) => runEscalation(em(), services, (payload ?? {}) as EscalationPayload),
      [PERIODIC_TASK]: () => runPeriodic(em(), services),
    } as Record<string, () => Promise<unknown>>,
  };
}
