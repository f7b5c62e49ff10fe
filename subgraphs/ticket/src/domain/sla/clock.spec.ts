import { type BusinessCalendar, manualClock } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import type { StoredPause } from '../../entities/index.js';
import { levelReached, nextEscalationAt, pausesAfterMove, readSla, type TicketTimes } from './clock.js';

const weekdays = (from: string, to: string) =>
  (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((day) => ({ day, from, to }));
const NEW_YORK: BusinessCalendar = { timeZone: 'America/New_York', weekly: weekdays('09:00', '17:00') };
const DUBLIN: BusinessCalendar = {
  timeZone: 'Europe/Dublin',
  weekly: weekdays('09:00', '17:00'),
  holidays: [
    { date: '2026-12-25', name: 'Christmas Day' },
    { date: '2026-12-28', name: "St Stephen's Day (observed)" },
  ],
};
const at = (iso: string) => new Date(iso);
const open = (createdAt: string): TicketTimes => ({ status: 'IN_PROGRESS', createdAt: at(createdAt), statusChangedAt: at(createdAt) });

describe('SLA clocks', () => {
  it('across a weekend, in New York time: Friday 16:00 + 2 business hours is Monday 10:00 EST', () => {
    const clock = manualClock(at('2026-12-05T12:00:00Z')); // Saturday
    const state = { calendar: NEW_YORK, responseMinutes: 30, resolutionMinutes: 120, pauses: [] };
    const ticket = open('2026-12-04T21:00:00Z'); // Friday 16:00 EST
    const r = readSla(state, ticket, clock.now());
    expect(r.responseDueAt).toEqual(at('2026-12-04T21:30:00Z'));
    expect(r.resolutionDueAt).toEqual(at('2026-12-07T15:00:00Z'));
    expect(r).toMatchObject({ responseBreached: true, resolutionBreached: false, breached: true, remainingMinutes: 60, paused: false });
    clock.set(at('2026-12-07T14:59:00Z'));
    expect(readSla(state, ticket, clock.now())).toMatchObject({ resolutionBreached: false, remainingMinutes: 1 });
    clock.advance(60_000);
    expect(readSla(state, ticket, clock.now())).toMatchObject({ resolutionBreached: true, remainingMinutes: 0 });
  });

  it('over holidays: Christmas Eve 16:00 in Dublin + 2 hours skips Christmas, the weekend and St Stephen’s (observed)', () => {
    const state = { calendar: DUBLIN, responseMinutes: 60, resolutionMinutes: 120, pauses: [] };
    const r = readSla(state, open('2026-12-24T16:00:00Z'), at('2026-12-24T16:30:00Z'));
    expect(r.responseDueAt).toEqual(at('2026-12-24T17:00:00Z'));
    expect(r.resolutionDueAt).toEqual(at('2026-12-29T10:00:00Z'));
    expect(r.remainingMinutes).toBe(90);
  });

  it('pauses while PENDING on the customer and resumes; the due time moves by the business time paused', () => {
    const clock = manualClock(at('2026-12-07T15:00:00Z')); // Monday 10:00 EST
    const ticket = open(clock.now().toISOString());
    let pauses: StoredPause[] = [];
    const state = () => ({ calendar: NEW_YORK, responseMinutes: 30, resolutionMinutes: 240, pauses });
    expect(readSla(state(), ticket, clock.now()).resolutionDueAt).toEqual(at('2026-12-07T19:00:00Z')); // 14:00 EST
    clock.advance(3_600_000); // 11:00: pending on the customer
    pauses = pausesAfterMove(pauses, 'IN_PROGRESS', 'PENDING', clock.now(), null);
    clock.advance(3_600_000); // 12:00, still pending: projected as if it resumed now
    const waiting = readSla(state(), { ...ticket, status: 'PENDING' }, clock.now());
    expect(waiting).toMatchObject({ paused: true, remainingMinutes: 180 });
    expect(waiting.resolutionDueAt).toEqual(at('2026-12-07T20:00:00Z'));
    expect(nextEscalationAt(state(), { ...ticket, status: 'PENDING' }, 0)).toBeNull();
    clock.advance(90 * 60_000); // 13:30: the customer answers
    pauses = pausesAfterMove(pauses, 'PENDING', 'IN_PROGRESS', clock.now(), null);
    const resumed = readSla(state(), ticket, clock.now());
    expect(resumed).toMatchObject({ paused: false, remainingMinutes: 180 });
    expect(resumed.resolutionDueAt).toEqual(at('2026-12-07T21:30:00Z')); // 16:30 EST
    // Level 1 (80% of 240 = 192 minutes): 60 before the pause, 132 after 13:30 → 15:42 EST.
    expect(nextEscalationAt(state(), ticket, 0)).toEqual(at('2026-12-07T20:42:00Z'));
  });

  it('a pause that runs into closed hours and the next day counts only open time', () => {
    const pauses: StoredPause[] = [{ from: '2026-12-07T21:00:00Z', to: '2026-12-08T15:30:00Z' }]; // Mon 16:00 → Tue 10:30 EST
    const state = { calendar: NEW_YORK, responseMinutes: 30, resolutionMinutes: 120, pauses };
    const r = readSla(state, open('2026-12-07T20:00:00Z'), at('2026-12-08T16:00:00Z')); // created Mon 15:00
    // 60 minutes Monday, then from Tuesday 10:30: due 11:30 EST.
    expect(r.resolutionDueAt).toEqual(at('2026-12-08T16:30:00Z'));
  });

  it('stops: the first response stops the response clock, RESOLVED the resolution clock; a reopen resumes it', () => {
    const state = { calendar: NEW_YORK, responseMinutes: 30, resolutionMinutes: 120, pauses: [] as StoredPause[] };
    const responded = { ...open('2026-12-07T15:00:00Z'), firstRespondedAt: at('2026-12-07T15:20:00Z') };
    const later = at('2026-12-09T15:00:00Z');
    expect(readSla(state, responded, later)).toMatchObject({ responseBreached: false, resolutionBreached: true });
    const resolved = { ...responded, status: 'RESOLVED' as const, resolvedAt: at('2026-12-07T16:00:00Z') };
    expect(readSla(state, resolved, later)).toMatchObject({ breached: false, remainingMinutes: null, resolutionStopped: true });
    expect(nextEscalationAt(state, resolved, 0)).toBeNull();
    // Reopened on Wednesday 10:00 EST: the two days it sat resolved do not count.
    const reopenAt = at('2026-12-09T15:00:00Z');
    const pauses = pausesAfterMove([], 'RESOLVED', 'IN_PROGRESS', reopenAt, resolved.resolvedAt);
    const reopened = readSla({ ...state, pauses }, { ...resolved, status: 'IN_PROGRESS' }, reopenAt);
    expect(reopened).toMatchObject({ breached: false, remainingMinutes: 60 });
    expect(reopened.resolutionDueAt).toEqual(at('2026-12-09T16:00:00Z'));
  });

  it('escalation levels: warning at 80%, breach at 100%, then every further 50%', () => {
    expect([0, 95, 96, 119, 120, 179, 180, 240].map((m) => levelReached(m, 120))).toEqual([0, 0, 1, 1, 2, 2, 3, 4]);
    const state = { calendar: NEW_YORK, responseMinutes: 30, resolutionMinutes: 120, pauses: [] };
    const ticket = open('2026-12-04T21:00:00Z'); // Friday 16:00 EST
    expect(nextEscalationAt(state, ticket, 0)).toEqual(at('2026-12-07T14:36:00Z')); // 96 min: Monday 09:36
    expect(nextEscalationAt(state, ticket, 1)).toEqual(at('2026-12-07T15:00:00Z'));
    expect(nextEscalationAt(state, ticket, 2)).toEqual(at('2026-12-07T16:00:00Z'));
  });
});
