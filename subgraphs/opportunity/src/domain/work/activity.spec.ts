import { type BusinessCalendar, evaluateRules } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { guardNames } from '../pipeline/guards.js';
import { earliestDueAt, escalationKey, idleDueAt } from './activity.js';
import './approvals.js';

// A Volt-like brand: Dublin, weekdays 08:00–20:00 and Saturday mornings; Christmas closed. Dublin is on UTC in winter.
const weekdays = (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((day) => ({ day, from: '08:00', to: '20:00' }));
const calendar: BusinessCalendar = {
  timeZone: 'Europe/Dublin',
  weekly: [...weekdays, { day: 'SATURDAY', from: '09:00', to: '13:00' }],
  holidays: [{ date: '2026-12-24', from: '13:00', to: '20:00' }, { date: '2026-12-25' }, { date: '2026-12-26' }],
};
const ALWAYS: BusinessCalendar = { timeZone: 'UTC', alwaysOpen: true, weekly: [] };
const at = (iso: string) => new Date(iso);

describe('idle time is business time', () => {
  it('counts only opening hours: Friday evening, Saturday morning, then Monday', () => {
    const since = at('2026-12-04T18:00:00Z'); // Friday 18:00
    // 2 h on Friday, 4 h on Saturday, 2 h on Monday from 08:00.
    expect(idleDueAt(calendar, since, 8, 1)).toEqual(at('2026-12-07T10:00:00Z'));
    // Level 2: twice the limit, 8 more business hours on Monday.
    expect(idleDueAt(calendar, since, 8, 2)).toEqual(at('2026-12-07T18:00:00Z'));
    // The same limit in calendar hours would have fallen due on Saturday night.
    expect(earliestDueAt(since, 8, 1)).toEqual(at('2026-12-05T02:00:00Z'));
  });

  it('starts at the next opening when the idle period began while closed', () => {
    expect(idleDueAt(calendar, at('2026-12-06T15:00:00Z'), 3, 1)).toEqual(at('2026-12-07T11:00:00Z')); // Sunday → Monday 11:00
  });

  it('skips holidays, partial ones too', () => {
    // Christmas Eve closes at 13:00: 1 h, then nothing until Monday 28th 08:00 (25th, 26th holidays, 27th Sunday).
    expect(idleDueAt(calendar, at('2026-12-24T12:00:00Z'), 4, 1)).toEqual(at('2026-12-28T11:00:00Z'));
  });

  it('keeps local opening hours across a DST change', () => {
    // Dublin goes to summer time (UTC+1) on Sunday 28 March 2027: Monday opens at 07:00 UTC.
    expect(idleDueAt(calendar, at('2027-03-27T12:00:00Z'), 2, 1)).toEqual(at('2027-03-29T08:00:00Z'));
  });

  it('equals calendar hours on a 24×7 calendar, and is never earlier than them', () => {
    const since = at('2026-12-01T09:00:00Z');
    expect(idleDueAt(ALWAYS, since, 72, 1)).toEqual(at('2026-12-04T09:00:00Z'));
    expect(idleDueAt(ALWAYS, since, 72, 2)).toEqual(earliestDueAt(since, 72, 2));
    for (const hours of [1, 5, 13, 72, 120])
      for (const level of [1, 2, 3])
        expect((idleDueAt(calendar, since, hours, level) as Date).getTime()).toBeGreaterThanOrEqual(
          (earliestDueAt(since, hours, level) as Date).getTime(),
        );
  });

  it('a stage without a limit never escalates; one job key per opportunity', () => {
    expect(idleDueAt(calendar, at('2026-12-01T09:00:00Z'), null, 1)).toBeNull();
    expect(earliestDueAt(at('2026-12-01T09:00:00Z'), 0, 1)).toBeNull();
    expect(escalationKey('abc')).toBe('opportunity-escalation:abc');
  });
});

describe('approvals', () => {
  it('register their guard by name; approval rules select every kind a stage move needs', () => {
    expect(guardNames()).toContain('APPROVALS_DONE');
    const rules = [
      { id: 'won', conditions: [{ path: 'toStage', operator: 'eq' as const, value: 'WON' }], target: 'MANAGER_APPROVAL' },
      { id: 'big', conditions: [{ path: 'value', operator: 'gte' as const, value: 10000 }], target: 'BUDGET_APPROVAL' },
    ];
    const kinds = (fact: object) => evaluateRules(rules, fact).matches.map((m) => m.target);
    expect(kinds({ toStage: 'WON', value: 12000 })).toEqual(['MANAGER_APPROVAL', 'BUDGET_APPROVAL']);
    expect(kinds({ toStage: 'NEGOTIATION', value: 500 })).toEqual([]);
  });
});
