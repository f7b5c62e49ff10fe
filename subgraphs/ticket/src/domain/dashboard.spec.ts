import { describe, expect, it } from 'vitest';
import { dashboardRange, scopeSql } from './dashboard.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const DAY = 86_400_000;

describe('dashboardRange', () => {
  it('defaults to the last 30 days, 12 weeks or 12 months up to now', () => {
    const day = dashboardRange({}, NOW);
    expect(day).toEqual({ ok: true, value: { period: 'DAY', from: new Date(NOW.getTime() - 30 * DAY), to: NOW, teamId: null } });
    const week = dashboardRange({ period: 'WEEK' }, NOW);
    expect(week.ok && week.value.from).toEqual(new Date(NOW.getTime() - 84 * DAY));
    const month = dashboardRange({ period: 'MONTH', to: new Date('2026-01-01T00:00:00Z') }, NOW);
    expect(month.ok && month.value.from).toEqual(new Date('2025-01-01T00:00:00Z'));
  });

  it('refuses a backwards range, more than 400 periods and a malformed team id', () => {
    const backwards = dashboardRange({ from: NOW, to: new Date(NOW.getTime() - DAY) }, NOW);
    expect(!backwards.ok && backwards.errors.map((e) => e.code)).toEqual(['INVALID']);
    const long = dashboardRange({ period: 'DAY', from: new Date(NOW.getTime() - 401 * DAY) }, NOW);
    expect(!long.ok && long.errors.map((e) => e.code)).toEqual(['OUT_OF_RANGE']);
    expect(dashboardRange({ period: 'WEEK', from: new Date(NOW.getTime() - 401 * DAY) }, NOW).ok).toBe(true);
    const team = dashboardRange({ teamId: 'nope' }, NOW);
    expect(!team.ok && team.errors.map((e) => e.code)).toEqual(['INVALID']);
  });
});

describe('scopeSql', () => {
  it("turns a staff member's ticket scope into SQL on the ticket alias", () => {
    const params: unknown[] = [];
    expect(scopeSql({ storefrontId: 's', segment: { $in: ['consumer', 'smb'] } }, params)).toBe('t.storefront_id = ? and t.segment in (?)');
    expect(params).toEqual(['s', ['consumer', 'smb']]);
  });

  it('matches nothing for an empty list or an empty scope, and refuses keys it does not know', () => {
    expect(scopeSql({ storefrontId: { $in: [] } }, [])).toBe('false');
    expect(scopeSql({}, [])).toBe('false');
    expect(() => scopeSql({ status: 'OPEN' } as never, [])).toThrow(/Unsupported/);
  });
});
