import { Counter, Histogram, type Registry } from '@dcrm/kit';

/**
 * Decisioning's Prometheus series, registered on the subgraph's own registry (its `/metrics`):
 * - `dcrm_decisioning_events_total{path, status, reason}`: events in (MUTATION or STREAM), ACCEPTED, DUPLICATE or REJECTED with the rejection code;
 * - `dcrm_decisioning_decisions_total{outcome, channel}`: decisions recorded;
 * - `dcrm_decisioning_batch_seconds{path}`: time to decide one batch, from validation to recorded decisions.
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
  const batch = new Histogram({
    name: 'dcrm_decisioning_batch_seconds',
    help: 'Time to decide one batch of events',
    labelNames: ['path'],
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [],
  });
  return {
    events,
    decisions,
    batch,
    register(registry: Registry) {
      registry.registerMetric(events);
      registry.registerMetric(decisions);
      registry.registerMetric(batch);
    },
  };
}
export type DecisionMetrics = ReturnType<typeof decisionMetrics>;
