import { Checks, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Channel, Customer, type INpsResponse, NpsResponse, NpsSurvey } from '../entities/index.js';
import type { ErrorCode, Result } from './customer.errors.js';
import { type NpsSummary, npsSummary } from './nps.js';
import { npsSegments } from './nps-read.js';

export type NpsRespondInput = {
  score: number;
  comment?: string | null;
  channel: Channel;
  contextType?: string | null;
  contextId?: string | null;
};

/** The signed-in customer rates us (0–10), against the storefront's active survey. */
export async function npsRespond(em: EntityManager, principal: Principal, input: NpsRespondInput): Promise<Result<INpsResponse>> {
  const checks = new Checks<ErrorCode>();
  if (!Number.isInteger(input.score) || input.score < 0 || input.score > 10)
    checks.add('INVALID', 'Score from 0 to 10', ['input', 'score']);
  checks.text(input.comment, ['input', 'comment'], 2000, false);
  checks.text(input.contextType, ['input', 'contextType'], 40);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const customer = await em.findOneOrFail(Customer, { id: principal.id as string });
  const survey = await em.findOne(NpsSurvey, { storefrontId: customer.storefrontId, active: true }, { orderBy: { createdAt: 'desc' } });
  const response = em.create(NpsResponse, {
    survey,
    storefrontId: customer.storefrontId,
    customer,
    segment: customer.segment,
    score: input.score,
    comment: input.comment?.trim() || null,
    channel: input.channel,
    contextType: input.contextType ?? null,
    contextId: input.contextId ?? null,
  });
  await em.flush();
  return ok(response);
}

/** NPS of the staff member's storefront, within their segments (all with `segment:*`). */
export async function npsScore(
  em: EntityManager,
  principal: Principal,
  args: { segment?: string | null; from?: Date | null; to?: Date | null },
): Promise<NpsSummary> {
  const segments = npsSegments(principal, args.segment);
  if (segments && segments.length === 0) return npsSummary([]);
  const rows = await em.find(
    NpsResponse,
    {
      storefrontId: principal.storefrontId as string,
      ...(segments ? { segment: { $in: segments } } : {}),
      respondedAt: { ...(args.from ? { $gte: args.from } : {}), ...(args.to ? { $lt: args.to } : {}) },
    },
    { fields: ['score'] },
  );
  return npsSummary(rows.map((r) => r.score));
}
