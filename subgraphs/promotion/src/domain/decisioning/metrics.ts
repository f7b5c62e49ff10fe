import { Counter, Histogram, type Registry } from '@dcrm/kit';

/**
 * Decisioning's Prometheus series, registered on the subgraph's own registry (its `/metrics`):
 * - `dcrm_decisioning_events_total{path, status, reason}`: events in (MUTATION, STREAM, or BUS: the platform's own), ACCEPTED, DUPLICATE or REJECTED with the rejection code;
 * - `dcrm_decisioning_decisions_total{outcome, channel}`: decisions recorded;
 * - `dcrm_decisioning_dead_letters_total{storefront, reason}`: stream entries moved to the dead-letter stream (rejected, or
 *   failed too many times), by brand (`none` when the entry names none) and first reason;
 * - `dcrm_decisioning_batch_seconds{path}`: time to decide one batch, from validation to recorded decisions;
 * - `dcrm_decisioning_stream_lag_seconds`: per decided stream entry, from its append (the entry id's time, Redis's
 *   clock) to its decision recorded — queueing included;
 * - `dcrm_decisioning_stream_delivered_seconds`: per ACTION decision of a stream entry, from its append to its action
 *   carried out (offer written and published, notification handed over) — what a subscriber waits.
 */
export function decisionMetrics() {
  const events = new Counter({
    name: 'dcrm_decisioning_events_total',
    help: 'External events by ingestion path and status (rejections by reason)',
    labelNames: ['path', 'status', 'reason'],
    registers: [],
  });
  const decisions = new Counter({
    name: 'dcrm_decisioning_decisions_total',
    help: 'Decisions recorded, by outcome and channel',
    labelNames: ['outcome', 'channel'],
    registers: [],
  });
  const dead = new Counter({
    name: 'dcrm_decisioning_dead_letters_total',
    help: 'Stream entries moved to the dead-letter stream, by brand and first reason',
    labelNames: ['storefront', 'reason'],
    registers: [],
  });
  const batch = new Histogram({
    name: 'dcrm_decisioning_batch_seconds',
    help: 'Time to decide one batch of events',
    labelNames: ['path'],
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [],
  });
  const lag = new Histogram({
    name: 'dcrm_decisioning_stream_lag_seconds',
    help: 'Time from a stream entry appended to its decision recorded',
    buckets: [0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30],
    registers: [],
  });
  const delivered = new Histogram({
    name: 'dcrm_decisioning_stream_delivered_seconds',
    help: 'Time from a stream entry appended to its ACTION decision carried out',
    buckets: [0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30],
    registers: [],
  });
  return {
    events,
    decisions,
    dead,
    batch,
    lag,
    delivered,
    register(registry: Registry) {
      registry.registerMetric(events);
      registry.registerMetric(decisions);
      registry.registerMetric(dead);
      registry.registerMetric(batch);
      registry.registerMetric(lag);
      registry.registerMetric(delivered);
    },
  };
}
export type DecisionMetrics = ReturnType<typeof decisionMetrics>;
