import { addJob, seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ESCALATION_TASK, escalationKey } from '../domain/work/activity.js';

const HOUR = 3_600_000;

/** Demo work on the demo pipeline: a few tasks (no approvals: they would gate the seeded rows) and a shared note. Idempotent. */
const TASKS: { key: string; opportunity: string; kind: string; title: string; assignee: string; dueInHours: number; status: string }[] = [
  {
    key: 'globex-call',
    opportunity: 'volt-globex-upsell',
    kind: 'CALL',
    title: 'Call Globex IT lead',
    assignee: 'volt-business',
    dueInHours: 24,
    status: 'OPEN',
  },
  {
    key: 'globex-survey',
    opportunity: 'volt-globex-upsell',
    kind: 'SITE_SURVEY',
    title: 'Survey the Dublin office',
    assignee: 'volt-business',
    dueInHours: 72,
    status: 'IN_PROGRESS',
  },
  {
    key: 'walsh-credit',
    opportunity: 'volt-walsh-new',
    kind: 'CREDIT_CHECK',
    title: 'Credit check',
    assignee: 'volt-business',
    dueInHours: 48,
    status: 'OPEN',
  },
];

export async function seedWork(em: EntityManager): Promise<void> {
  const now = Date.now();
  const existing = await em.execute(`select id from "opportunity"."opportunity" where id in (?)`, [
    [...new Set(TASKS.map((t) => seedId('opportunity', t.opportunity)))],
  ]);
  if (existing.length === 0) return;
  for (const t of TASKS)
    await em.execute(
      `insert into "opportunity"."opportunity_task" (id, opportunity_id, storefront_id, kind, title, assignee_staff_id, due_at, status, progress, created_by, created_at, updated_at)
       select ?, o.id, o.storefront_id, ?, ?, ?, ?, ?, ?, 'seed', now(), now() from "opportunity"."opportunity" o where o.id = ?
       on conflict do nothing`,
      [
        seedId('opportunity-task', t.key),
        t.kind,
        t.title,
        seedId('staff', t.assignee),
        new Date(now + t.dueInHours * HOUR),
        t.status,
        t.status === 'IN_PROGRESS' ? 30 : 0,
        seedId('opportunity', t.opportunity),
      ],
    );
  // Each open opportunity's idle period starts at its stage entry; its escalation check is queued when the job queue exists.
  const routed = (await em.execute(
    `insert into "opportunity"."opportunity_routing" (opportunity_id, storefront_id, last_activity_at, idle_since, escalation_level, updated_at)
     select o.id, o.storefront_id, coalesce(o.stage_entered_at, o.created_at), coalesce(o.stage_entered_at, o.created_at), 0, now()
     from "opportunity"."opportunity" o where o.status = 'OPEN' on conflict do nothing
     returning opportunity_id, idle_since`,
  )) as { opportunity_id: string; idle_since: Date }[];
  const [queue] = (await em.execute(`select to_regclass('graphile_worker._private_jobs') is not null as present`)) as {
    present: boolean;
  }[];
  if (!queue?.present || routed.length === 0) return;
  const limits = (await em.execute(
    `select o.id, s.idle_limit_hours from "opportunity"."opportunity" o
     join "opportunity"."pipeline_stage" s on s.storefront_id = o.storefront_id and s.code = o.stage where o.id in (?)`,
    [routed.map((r) => r.opportunity_id)],
  )) as { id: string; idle_limit_hours: number | null }[];
  for (const r of routed) {
    const hours = limits.find((l) => l.id === r.opportunity_id)?.idle_limit_hours;
    if (hours)
      await addJob(
        em,
        ESCALATION_TASK,
        { opportunityId: r.opportunity_id },
        {
          jobKey: escalationKey(r.opportunity_id),
          runAt: new Date(new Date(r.idle_since).getTime() + hours * HOUR),
        },
      );
  }
}
