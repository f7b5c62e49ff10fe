/** The time source domain code reads, so tests move time instead of sleeping. */
export type Clock = { now(): Date };

export type ManualClock = Clock & { advance(ms: number): void; set(date: Date): void };

export const systemClock: Clock = { now: () => new Date() };

export function manualClock(start: Date): ManualClock {
  let current = start.getTime();
  return {
    // A fresh Date each call: a caller mutating it must not move the clock.
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}
