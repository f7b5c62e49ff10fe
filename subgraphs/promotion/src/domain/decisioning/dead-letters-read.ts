import { actingStorefront, badInput, type Connection, encodeCursor, type Page, type Principal, segmentsOf } from '@dcrm/kit';
import type { PromotionServices } from '../services.js';
import type { DeadLetterView } from './dead-letters.js';

export const DEAD_LETTER_SORT = 'deadLetter:desc';

export type DeadLetterConnection = Connection<DeadLetterView> & { counts: { reason: string; count: number }[] };

const EMPTY: DeadLetterConnection = {
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  counts: [],
};

/**
 * Staff: the acting brand's dead letters, newest first (of one reason, if given), and its counts by
 * reason. A dead letter names no known customer, hence no segment: only staff of every segment of the
 * brand read them (the others, like every other kind of caller, get nothing). Never the event's
 * identity or payload. A page looks through at most DEAD_SCAN_LIMIT letters of all brands; when it
 * stops there, `hasNextPage` is true and `endCursor` continues from where it stopped.
 */
export async function deadLettersOf(
  services: PromotionServices,
  principal: Principal,
  reason: string | null,
  page: Page,
): Promise<DeadLetterConnection> {
  const storefrontId = actingStorefront(principal);
  const letters = services.decisioning?.deadLetters;
  if (!storefrontId || !letters || principal.kind !== 'staff' || !segmentsOf(principal).includes('*')) return EMPTY;
  const after = page.after ? cursorEntryId(page.after[0]) : null;
  if (page.after && !after) throw badInput('Malformed cursor', 'after');
  const [found, counts] = await Promise.all([letters.page(storefrontId, reason, after, page.limit), letters.counts(storefrontId)]);
  const nodes = found.rows.slice(0, page.limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(DEAD_LETTER_SORT, [node.entryId]), node }));
  const last = found.rows.length > page.limit ? nodes.at(-1)?.entryId : (found.lastScanned ?? nodes.at(-1)?.entryId);
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: found.more,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: found.more && last ? encodeCursor(DEAD_LETTER_SORT, [last]) : (edges.at(-1)?.cursor ?? null),
    },
    counts,
  };
}

/** A cursor's entry id, checked before it reaches Redis (`<ms>-<seq>`). */
export const cursorEntryId = (value: unknown): string | null =>
  typeof value === 'string' && /^\d{1,15}-\d{1,10}$/.test(value) ? value : null;
