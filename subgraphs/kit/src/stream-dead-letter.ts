import type { Redis } from 'ioredis';

/** An entry set aside: its id, its original field/value list, and why (reason codes, most telling first). */
export type DeadLetter = { id: string; fields: string[]; reasons: string[] };

/** Dead letters kept per stream (approximately, `MAXLEN ~`): the oldest go first. */
export const DEAD_LETTER_MAXLEN = 100_000;

/** The dead-letter stream of a stream, unless its consumer names another. */
export const deadLetterStream = (stream: string) => `${stream}.dead`;

/**
 * Moves entries out of a consumer group into its dead-letter stream, in one MULTI: each is XADDed
 * there with `dead.entry` (its id in the source stream), `dead.stream`, `dead.reasons` (comma-separated
 * codes), `dead.deliveries` (when known) and `dead.at`, then its original fields unchanged — an operator
 * can XADD those back once the cause is fixed — and the source entry is acknowledged in the group. Either
 * both happen or neither (the entry stays pending and comes back).
 */
export async function deadLetter(
  redis: Redis,
  source: { stream: string; group: string; deadStream: string },
  letters: readonly (DeadLetter & { deliveries?: number })[],
  now = new Date(),
): Promise<void> {
  if (letters.length === 0) return;
  const multi = redis.multi();
  for (const l of letters) {
    const meta = ['dead.entry', l.id, 'dead.stream', source.stream, 'dead.reasons', l.reasons.join(','), 'dead.at', now.toISOString()];
    if (l.deliveries !== undefined) meta.push('dead.deliveries', String(l.deliveries));
    multi.xadd(source.deadStream, 'MAXLEN', '~', DEAD_LETTER_MAXLEN, '*', ...meta, ...l.fields);
  }
  multi.xack(source.stream, source.group, ...letters.map((l) => l.id));
  const results = await multi.exec();
  const failed = results?.find(([error]) => error);
  if (!results || failed) throw failed?.[0] ?? new Error('dead-letter transaction discarded');
}

/**
 * How many times each of these pending entries was delivered (XAUTOCLAIM counts its own takeover):
 * one XPENDING over their id range, for one consumer.
 */
export async function deliveryCounts(redis: Redis, stream: string, group: string, consumer: string, ids: readonly string[]) {
  const counts = new Map<string, number>();
  if (ids.length === 0) return counts;
  const rows = (await redis.xpending(stream, group, ids[0], ids[ids.length - 1], ids.length * 2 + 100, consumer)) as [
    string,
    string,
    number,
    number,
  ][];
  for (const [id, , , deliveries] of rows) counts.set(id, Number(deliveries));
  return counts;
}
