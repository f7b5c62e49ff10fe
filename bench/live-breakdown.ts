import type { EventTiming, LiveTiming } from '../router/src/subscriptions/timing.js';

/**
 * Where a live-offer phase's time went, from the bench's own clock (mutation sent, answered, message
 * received) and each router's event timings (`/debug/subscriptions`): wall-clock ms, comparable
 * between the processes of one machine. Each stage is p50 / p99 over the phase's events (per router),
 * `toClient` over its deliveries. CPU is load-independent: router µs per message it wrote (the
 * publishing router also answers the mutations), the write loop's share, the bench client's µs per
 * message it received.
 */
export type LiveBreakdown = {
  /** Mutation sent → its answer received. */
  mutation: Stage;
  /** Mutation sent → the promotion subgraph's publish (its checks, peer reads, insert). */
  toPublish: Stage;
  /** Publish → a router's bus handler (Redis). */
  toRouter: Stage;
  /** Router received → the event's lookups settled (gateway → subgraphs). */
  lookup: Stage;
  /** Lookups settled → the last socket written (ordering behind the previous event, serialisation, socket writes). */
  write: Stage;
  /** The router's write → the bench's subscriber handled the message (loopback and the bench's own event loop). */
  toClient: Stage;
  routerCpuMicrosPerMessage: Record<string, number>;
  writeCpuMicrosPerMessage: number;
  clientCpuMicrosPerMessage: number;
  /** Distinct payloads serialised per event per router (1: every subscriber shared one). */
  payloadsPerEvent: number;
};

export type Stage = { p50: number; p99: number };

export type Sent = { sentAt: number; answeredAt: number; offerId: string | null };

/** One router's stats before and after a phase. */
export type RouterWindow = { router: string; before: LiveTiming; after: LiveTiming };

/** What a subscriber received: message handled at (wall ms), per offer id, with the router it is on. */
export type Receipt = { router: string; offerId: string; at: number };

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : Number.NaN;
};
const stage = (values: number[]): Stage => ({ p50: percentile(values, 50), p99: percentile(values, 99) });

export function breakdown(sent: Sent[], windows: RouterWindow[], receipts: Receipt[], clientCpuMicros: number): LiveBreakdown {
  const byOffer = new Map(sent.filter((s) => s.offerId).map((s) => [s.offerId as string, s]));
  const events: (EventTiming & { router: string; sent: Sent })[] = [];
  for (const { router, before, after } of windows) {
    const seen = new Set(before.events.map((e) => `${e.channel}\n${e.key}\n${e.receivedAt}`));
    for (const e of after.events) {
      const s = byOffer.get(e.key);
      if (s && !seen.has(`${e.channel}\n${e.key}\n${e.receivedAt}`)) events.push({ ...e, router, sent: s });
    }
  }
  const writtenAt = new Map(events.map((e) => [`${e.router}\n${e.key}`, e.writtenAt]));
  const published = events.filter((e) => e.publishedAt !== null) as (EventTiming & { publishedAt: number; sent: Sent })[];
  const deliveries = events.reduce((n, e) => n + e.deliveries, 0);
  const routerCpuMicrosPerMessage: Record<string, number> = {};
  for (const { router, before, after } of windows) {
    const messages = after.deliveries - before.deliveries;
    routerCpuMicrosPerMessage[router] = messages > 0 ? (after.cpuMicros - before.cpuMicros) / messages : Number.NaN;
  }
  return {
    mutation: stage(sent.map((s) => s.answeredAt - s.sentAt)),
    toPublish: stage(published.map((e) => e.publishedAt - e.sent.sentAt)),
    toRouter: stage(published.map((e) => e.receivedAt - e.publishedAt)),
    lookup: stage(events.map((e) => e.lookedUpAt - e.receivedAt)),
    write: stage(events.map((e) => e.writtenAt - e.lookedUpAt)),
    toClient: stage(
      receipts.flatMap((r) => {
        const at = writtenAt.get(`${r.router}\n${r.offerId}`);
        return at === undefined ? [] : [r.at - at];
      }),
    ),
    routerCpuMicrosPerMessage,
    writeCpuMicrosPerMessage: deliveries > 0 ? events.reduce((n, e) => n + e.writeCpuMicros, 0) / deliveries : Number.NaN,
    clientCpuMicrosPerMessage: receipts.length > 0 ? clientCpuMicros / receipts.length : Number.NaN,
    payloadsPerEvent: events.length > 0 ? events.reduce((n, e) => n + e.payloads, 0) / events.length : Number.NaN,
  };
}

const ms = (s: Stage) => `${s.p50.toFixed(1)} / ${s.p99.toFixed(1)}`;
const us = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');

/** One table: a row per phase, a column per stage (p50 / p99 ms), then CPU per message. */
export function breakdownMarkdown(rows: { title: string; breakdown?: LiveBreakdown }[]): string {
  const withBreakdown = rows.filter((r) => r.breakdown);
  if (withBreakdown.length === 0) return '';
  return [
    '| live breakdown, p50 / p99 ms | mutation answered | → publish | publish → router | lookup | write | router write → client | router µs/msg | write µs/msg | client µs/msg | payloads/event |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...withBreakdown.map(({ title, breakdown: b }) => {
      const d = b as LiveBreakdown;
      const cpu = Object.values(d.routerCpuMicrosPerMessage).map(us).join(' · ');
      return `| ${title} | ${ms(d.mutation)} | ${ms(d.toPublish)} | ${ms(d.toRouter)} | ${ms(d.lookup)} | ${ms(d.write)} | ${ms(d.toClient)} | ${cpu} | ${us(d.writeCpuMicrosPerMessage)} | ${us(d.clientCpuMicrosPerMessage)} | ${d.payloadsPerEvent.toFixed(1)} |`;
    }),
  ].join('\n');
}
