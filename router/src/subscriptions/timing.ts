import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond precision: comparable between processes of one machine (the bench's breakdown). */
export const wallNow = () => performance.timeOrigin + performance.now();

/** The events kept for `/debug/subscriptions` (the bench reads them after each phase). */
const KEPT_EVENTS = 1_000;

/**
 * Where one bus event's time went in this router, in wall-clock ms: published (by the publisher's bus,
 * when it says), received here, its last lookup settled, its last socket written.
 */
export type EventTiming = {
  channel: string;
  /** The event's key (`offerId`, `operationId`). */
  key: string;
  publishedAt: number | null;
  receivedAt: number;
  lookedUpAt: number;
  writtenAt: number;
  /** Messages written, distinct results serialised, and CPU spent writing them (µs, this process). */
  deliveries: number;
  payloads: number;
  writeCpuMicros: number;
};

/** This router's live delivery so far: messages written, the process's CPU time, and the latest events' timings. */
export type LiveTiming = { deliveries: number; cpuMicros: number; events: EventTiming[] };

export type Timings = {
  record(event: EventTiming): void;
  snapshot(): LiveTiming;
};

/** A bounded record of recent events: a few numbers per event, nothing per subscriber. */
export function createTimings(): Timings {
  const events: EventTiming[] = [];
  let deliveries = 0;
  return {
    record(event) {
      deliveries += event.deliveries;
      events.push(event);
      if (events.length > KEPT_EVENTS) events.splice(0, events.length - KEPT_EVENTS);
    },
    snapshot() {
      const { user, system } = process.cpuUsage();
      return { deliveries, cpuMicros: user + system, events: [...events] };
    },
  };
}
