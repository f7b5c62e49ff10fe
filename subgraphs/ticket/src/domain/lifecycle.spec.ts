import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES } from '../entities/index.js';
import { autoCloseAt, checkMove, lifecycleSettings, movesFor, TRANSITIONS } from './lifecycle.js';

const settings = { reopenDays: 14, autoCloseDays: 7 };
const now = new Date('2026-12-01T12:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

describe('ticket life cycle', () => {
  it('final states have no way out', () => {
    for (const status of ['CLOSED', 'CANCELLED', 'REJECTED'] as const) {
      for (const to of TICKET_STATUSES) {
        expect(checkMove({ status, resolvedAt: null }, { to, actor: 'STAFF', reason: 'x', resolution: 'x' }, now, settings)?.code).toBe(
          'INVALID_TRANSITION',
        );
      }
    }
  });

  it('every target of the table is a known state', () => {
    for (const moves of Object.values(TRANSITIONS)) for (const to of Object.keys(moves)) expect(TICKET_STATUSES).toContain(to);
  });

  it('staff work a ticket; customers and partners cannot', () => {
    const open = { status: 'ACKNOWLEDGED' as const, resolvedAt: null };
    expect(checkMove(open, { to: 'IN_PROGRESS', actor: 'STAFF' }, now, settings)).toBeNull();
    expect(checkMove(open, { to: 'IN_PROGRESS', actor: 'CUSTOMER' }, now, settings)?.code).toBe('FORBIDDEN');
    expect(checkMove(open, { to: 'RESOLVED', actor: 'PARTNER', resolution: 'x' }, now, settings)?.code).toBe('FORBIDDEN');
    expect(checkMove(open, { to: 'CANCELLED', actor: 'CUSTOMER' }, now, settings)).toBeNull();
    expect(checkMove(open, { to: 'CANCELLED', actor: 'API_KEY' }, now, settings)?.code).toBe('FORBIDDEN');
  });

  it('asks for a reason or a resolution where the table says so', () => {
    const working = { status: 'IN_PROGRESS' as const, resolvedAt: null };
    expect(checkMove(working, { to: 'PENDING', actor: 'STAFF', reason: '  ' }, now, settings)).toMatchObject({
      code: 'REQUIRED',
      field: ['input', 'reason'],
    });
    expect(checkMove(working, { to: 'RESOLVED', actor: 'STAFF' }, now, settings)).toMatchObject({ field: ['input', 'resolution'] });
    expect(checkMove(working, { to: 'REJECTED', actor: 'STAFF', reason: 'Duplicate' }, now, settings)).toBeNull();
  });

  it('a customer reply resumes a ticket pending on them', () => {
    expect(checkMove({ status: 'PENDING', resolvedAt: null }, { to: 'IN_PROGRESS', actor: 'CUSTOMER' }, now, settings)).toBeNull();
    expect(checkMove({ status: 'HELD', resolvedAt: null }, { to: 'IN_PROGRESS', actor: 'CUSTOMER' }, now, settings)?.code).toBe(
      'FORBIDDEN',
    );
  });

  it('reopens only within the window, with a reason', () => {
    const reopen = { to: 'IN_PROGRESS' as const, actor: 'CUSTOMER' as const, reason: 'Still broken' };
    expect(checkMove({ status: 'RESOLVED', resolvedAt: daysAgo(13) }, reopen, now, settings)).toBeNull();
    expect(checkMove({ status: 'RESOLVED', resolvedAt: daysAgo(15) }, reopen, now, settings)?.code).toBe('REOPEN_WINDOW_PASSED');
    expect(checkMove({ status: 'RESOLVED', resolvedAt: daysAgo(1) }, { ...reopen, reason: null }, now, settings)?.code).toBe('REQUIRED');
    expect(checkMove({ status: 'CLOSED', resolvedAt: daysAgo(1) }, reopen, now, settings)?.code).toBe('INVALID_TRANSITION');
  });

  it('the customer confirms a resolution; the system closes it only after the window', () => {
    expect(checkMove({ status: 'RESOLVED', resolvedAt: daysAgo(1) }, { to: 'CLOSED', actor: 'CUSTOMER' }, now, settings)).toBeNull();
    expect(checkMove({ status: 'RESOLVED', resolvedAt: daysAgo(1) }, { to: 'CLOSED', actor: 'SYSTEM' }, now, settings)?.code).toBe(
      'TOO_EARLY',
    );
    expect(checkMove({ status: 'RESOLVED', resolvedAt: daysAgo(7) }, { to: 'CLOSED', actor: 'SYSTEM' }, now, settings)).toBeNull();
    expect(checkMove({ status: 'IN_PROGRESS', resolvedAt: null }, { to: 'CLOSED', actor: 'SYSTEM' }, now, settings)?.code).toBe(
      'INVALID_TRANSITION',
    );
    expect(autoCloseAt(daysAgo(7), settings)).toEqual(now);
  });

  it('lists the moves a customer has', () => {
    expect(movesFor('RESOLVED', 'CUSTOMER').sort()).toEqual(['CLOSED', 'IN_PROGRESS']);
    expect(movesFor('CLOSED', 'CUSTOMER')).toEqual([]);
  });

  it('reads its windows from the environment, ignoring nonsense', () => {
    expect(lifecycleSettings({ DCRM_TICKET_REOPEN_DAYS: '3', DCRM_TICKET_AUTOCLOSE_DAYS: 'x' })).toEqual({
      reopenDays: 3,
      autoCloseDays: 7,
    });
  });
});
