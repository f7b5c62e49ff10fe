import { actingStorefront, Checks, fail, isUuid, ok, type Principal } from '@dcrm/kit';
import { LockMode, OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, type CampaignStatus, type ICampaign } from '../entities/index.js';
import type { ErrorCode, Result } from './promotion.errors.js';
import type { PromotionServices } from './services.js';

/** The campaign lifecycle as data: which status may follow which. COMPLETED and CANCELLED are final. */
export const TRANSITIONS: Record<CampaignStatus, readonly CampaignStatus[]> = {
  DRAFT: ['SCHEDULED', 'CANCELLED'],
  SCHEDULED: ['RUNNING', 'CANCELLED'],
  RUNNING: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

export const canTransition = (from: CampaignStatus, to: CampaignStatus): boolean => TRANSITIONS[from].includes(to);

/** Job names (graphile-worker identifiers allow `:`, not `.`) and the per-campaign job keys. */
export const TASKS = {
  launch: 'promotion:campaign-launch',
  audience: 'promotion:campaign-audience',
  chunk: 'promotion:campaign-chunk',
  notify: 'promotion:campaign-notify',
  complete: 'promotion:campaign-complete',
  sweep: 'promotion:campaign-sweep',
} as const;
export const jobKey = (campaignId: string, step: 'launch' | 'audience' | 'complete' | `chunk:${string}`) =>
  `campaign:${campaignId}:${step}`;

/** Open offers: what cancelling or completing a campaign expires. */
const EXPIRE_OPEN = `update "promotion"."offer" set status = 'EXPIRED' where campaign_id = ? and status in ('NEW', 'SEEN', 'ACCEPTED')`;

export type TransitionInput = { id: string; version: number; reason?: string | null };

const f = (...path: string[]) => ['input', ...path];

/** A staff transition: the campaign of the caller's storefront at the version they read, allowed from its status. */
async function guarded(
  tx: EntityManager,
  principal: Principal,
  input: TransitionInput,
  to: CampaignStatus,
  checks: Checks<ErrorCode>,
  lock = false,
): Promise<ICampaign | null> {
  const storefrontId = actingStorefront(principal);
  const options = lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
  const campaign = storefrontId && isUuid(input.id) ? await tx.findOne(Campaign, { id: input.id, storefrontId }, options) : null;
  if (!campaign) {
    checks.add('NOT_FOUND', 'No such campaign', f('id'));
    return null;
  }
  if (!canTransition(campaign.status, to)) checks.add('INVALID_TRANSITION', `A ${campaign.status} campaign cannot become ${to}`, f('id'));
  if (campaign.version !== input.version)
    checks.add('CONFLICT', `The campaign changed since version ${input.version}; reload it`, f('version'));
  return campaign;
}

async function commit(tx: EntityManager, campaign: ICampaign): Promise<Result<ICampaign>> {
  try {
    await tx.flush();
    return ok(campaign);
  } catch (error) {
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The campaign changed meanwhile; reload it', f('version'));
    throw error;
  }
}

/**
 * DRAFT → SCHEDULED, and in the same transaction a launch job at `startsAt` (at once when that has
 * passed) and a completion job at `endsAt`, keyed per campaign.
 */
export async function campaignSchedule(
  em: EntityManager,
  principal: Principal,
  services: PromotionServices,
  input: TransitionInput,
): Promise<Result<ICampaign>> {
  return em.transactional(async (tx) => {
    const checks = new Checks<ErrorCode>();
    const campaign = await guarded(tx, principal, input, 'SCHEDULED', checks);
    const now = services.clock.now();
    if (campaign && campaign.endsAt.getTime() <= now.getTime())
      checks.add('ENDED', 'The campaign ends in the past; change its dates', f('id'));
    if (!campaign || !checks.ok) return { ok: false, errors: checks.errors } as Result<ICampaign>;
    campaign.status = 'SCHEDULED';
    const result = await commit(tx, campaign);
    if (!result.ok) return result;
    const payload = { campaignId: campaign.id };
    await services.addJob(tx, TASKS.launch, payload, { runAt: campaign.startsAt, jobKey: jobKey(campaign.id, 'launch') });
    await services.addJob(tx, TASKS.complete, payload, { runAt: campaign.endsAt, jobKey: jobKey(campaign.id, 'complete') });
    return result;
  });
}

/**
 * → CANCELLED with a reason; its open offers expire in the same transaction. Its jobs find it cancelled
 * and do nothing. The row is read `for update`: that waits for chunk jobs writing offers (they hold it
 * `for key share`, which the plain update of a count does not wait for), so their offers expire too.
 */
export async function campaignCancel(
  em: EntityManager,
  principal: Principal,
  services: PromotionServices,
  input: TransitionInput,
): Promise<Result<ICampaign>> {
  return em.transactional(async (tx) => {
    const checks = new Checks<ErrorCode>();
    if (input.reason == null) checks.add('REQUIRED', 'Say why the campaign is cancelled', f('reason'));
    else checks.text(input.reason, f('reason'), 500);
    const campaign = await guarded(tx, principal, input, 'CANCELLED', checks, true);
    if (!campaign || !checks.ok) return { ok: false, errors: checks.errors } as Result<ICampaign>;
    campaign.status = 'CANCELLED';
    campaign.cancelledAt = services.clock.now();
    campaign.cancelReason = (input.reason as string).trim();
    const result = await commit(tx, campaign);
    if (result.ok) await tx.execute(EXPIRE_OPEN, [campaign.id]);
    return result;
  });
}

type Locked = Pick<ICampaign, 'id' | 'status' | 'startsAt' | 'endsAt' | 'audienceCursor'>;

/** The campaign row under a lock for the rest of the job's transaction (a staff cancel waits, or wins first). */
export async function lockCampaign(tx: EntityManager, campaignId: string): Promise<Locked | null> {
  const [row] = (await tx.execute(
    'select id, status, starts_at, ends_at, audience_cursor from "promotion"."campaign" where id = ? for update',
    [campaignId],
  )) as { id: string; status: CampaignStatus; starts_at: Date; ends_at: Date; audience_cursor: string | null }[];
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    audienceCursor: row.audience_cursor,
  };
}

// Job-driven transitions: raw updates that leave `version` alone, so a staff member's cancel with the version they read still works.

/** Launch job: SCHEDULED and due → RUNNING, and the first audience batch queued. Anything else: nothing. */
export async function launchCampaign(
  em: EntityManager,
  services: PromotionServices,
  campaignId: string,
  batchSize?: number,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    const now = services.clock.now();
    const campaign = await lockCampaign(tx, campaignId);
    if (!campaign || !canTransition(campaign.status, 'RUNNING') || campaign.startsAt > now) return false;
    await tx.execute(`update "promotion"."campaign" set status = 'RUNNING', launched_at = ?, updated_at = ? where id = ?`, [
      now,
      now,
      campaignId,
    ]);
    await services.addJob(
      tx,
      TASKS.audience,
      { campaignId, ...(batchSize ? { batchSize } : {}) },
      { jobKey: jobKey(campaignId, 'audience') },
    );
    return true;
  });
}

/** Completion job: RUNNING and past its end → COMPLETED; offers still open expire. */
export async function completeCampaign(em: EntityManager, services: PromotionServices, campaignId: string): Promise<boolean> {
  return em.transactional(async (tx) => {
    const now = services.clock.now();
    const campaign = await lockCampaign(tx, campaignId);
    if (!campaign || !canTransition(campaign.status, 'COMPLETED') || campaign.endsAt > now) return false;
    await tx.execute(`update "promotion"."campaign" set status = 'COMPLETED', completed_at = ?, updated_at = ? where id = ?`, [
      now,
      now,
      campaignId,
    ]);
    await tx.execute(EXPIRE_OPEN, [campaignId]);
    return true;
  });
}

/**
 * The cron safety net: launches due SCHEDULED campaigns and completes due RUNNING ones whose jobs went
 * missing (every storefront, or one when given).
 */
export async function sweepCampaigns(
  em: EntityManager,
  services: PromotionServices,
  storefrontId: string | null = null,
): Promise<{ launched: number; completed: number }> {
  const now = services.clock.now();
  const due = (await em.execute(
    `select id, status from "promotion"."campaign"
     where ((status = 'SCHEDULED' and starts_at <= ?) or (status = 'RUNNING' and ends_at <= ?)) and (?::uuid is null or storefront_id = ?::uuid)
     order by starts_at limit 100`,
    [now, now, storefrontId, storefrontId],
  )) as { id: string; status: CampaignStatus }[];
  let launched = 0;
  let completed = 0;
  for (const row of due) {
    if (row.status === 'SCHEDULED' && (await launchCampaign(em, services, row.id))) launched += 1;
    if (row.status === 'RUNNING' && (await completeCampaign(em, services, row.id))) completed += 1;
  }
  return { launched, completed };
}
