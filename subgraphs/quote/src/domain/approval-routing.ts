import { type DirectoryCaller, loggerFor, notifyStaff, type StaffNotification, staffManagerChain, teamsFor } from '@dcrm/kit';
import type { IQuote } from '../entities/index.js';
import type { ApprovalLevel } from './approval-rules.js';
import type { WriteCtx } from './quote-context.js';

const log = loggerFor('quote-approvals');

const caller = (ctx: WriteCtx, storefrontId: string): DirectoryCaller => ({
  customer: ctx.services.peers('customer'),
  source: 'quote',
  storefrontId,
});

/**
 * Who is asked to decide a level: MANAGER the submitter's manager chain (nearest first; none when the
 * submitter is not staff), FINANCE the members of the brand's (or a shared) finance team, DIRECTOR
 * nobody in particular (any quote administrator). Asked before the transaction.
 */
export async function approversFor(ctx: WriteCtx, storefrontId: string, level: ApprovalLevel): Promise<string[]> {
  const directory = caller(ctx, storefrontId);
  if (level === 'MANAGER')
    return ctx.principal.kind === 'staff' ? (await staffManagerChain(directory, ctx.principal.id as string)).map((s) => s.id) : [];
  if (level === 'FINANCE') {
    const [team] = await teamsFor(directory, { kind: 'FINANCE' });
    return team ? team.members.map((m) => m.id) : [];
  }
  return [];
}

const total = (q: IQuote) => `${q.totals.dueNow} ${q.currencyCode} now, ${q.totals.monthly} ${q.currencyCode} monthly`;
const who = (q: IQuote) => q.prospect?.company ?? q.prospect?.name ?? null;

/** Tells each approver (after commit); a notification that fails is logged, the submission stands. */
export async function notifyApprovers(ctx: WriteCtx, quote: IQuote, asks: { level: string; reasons: string[]; approverIds: string[] }[]) {
  const messages: StaffNotification[] = asks.flatMap((ask) =>
    ask.approverIds.map((staffId) => ({
      staffId,
      templateKey: 'quote.approvalRequested',
      dedupeKey: `quote.approvalRequested:${quote.id}:${ask.level}:${staffId}`,
      variables: {
        quoteId: quote.id,
        quoteNumber: `${quote.number} (revision ${quote.revision})`,
        customerName: who(quote),
        total: total(quote),
        reason: ask.reasons.join('; '),
        requestedBy: ctx.principal.id,
        url: null,
      },
    })),
  );
  await send(ctx, quote.storefrontId, messages);
}

/** Tells the submitter (staff) how their quote was decided. */
export async function notifyDecided(ctx: WriteCtx, quote: IQuote, submitter: string | null, decision: string, comment: string | null) {
  if (!submitter) return;
  await send(ctx, quote.storefrontId, [
    {
      staffId: submitter,
      templateKey: 'quote.decided',
      dedupeKey: `quote.decided:${quote.id}:${decision}`,
      variables: {
        quoteId: quote.id,
        quoteNumber: quote.number,
        decision: decision.toLowerCase(),
        decidedBy: ctx.principal.id,
        comment,
        url: null,
      },
    },
  ]);
}

async function send(ctx: WriteCtx, storefrontId: string, messages: StaffNotification[]) {
  try {
    await notifyStaff(caller(ctx, storefrontId), messages);
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'staff notification failed');
  }
}
