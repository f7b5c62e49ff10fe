import { passwordProblem } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { oneTimePassword, partnerSignInRefusal, staffSignInRefusal } from './staff-password.js';

const DAY = 86_400_000;
const now = Date.parse('2026-11-30T00:00:00Z');
const staff = (over: Partial<{ active: boolean; passwordChangedAt: Date; mustChangePassword: boolean }> = {}) => ({
  active: true,
  passwordChangedAt: new Date(now - 10 * DAY),
  mustChangePassword: false,
  ...over,
});
const code = (r: ReturnType<typeof staffSignInRefusal>) => (r && !r.ok ? r.errors[0].code : null);

describe('staff sign-in refusal (login and renewal share it)', () => {
  it('admits a fresh password, refuses an aged one, one set by someone else, and a disabled account first', () => {
    expect(staffSignInRefusal(staff(), 90, [], now)).toBeNull();
    expect(code(staffSignInRefusal(staff({ passwordChangedAt: new Date(now - 91 * DAY) }), 90, [], now))).toBe('PASSWORD_EXPIRED');
    expect(code(staffSignInRefusal(staff({ mustChangePassword: true }), 90, [], now))).toBe('PASSWORD_EXPIRED');
    expect(code(staffSignInRefusal(staff({ active: false, mustChangePassword: true }), 90, [], now))).toBe('ACCOUNT_INACTIVE');
  });

  it('partner users: disabled or a password set for them', () => {
    expect(partnerSignInRefusal({ active: true, mustChangePassword: false }, [])).toBeNull();
    expect(code(partnerSignInRefusal({ active: true, mustChangePassword: true }, []))).toBe('PASSWORD_EXPIRED');
    expect(code(partnerSignInRefusal({ active: false, mustChangePassword: false }, []))).toBe('ACCOUNT_INACTIVE');
  });

  it('one-time passwords satisfy the password policy and differ', () => {
    const many = Array.from({ length: 50 }, oneTimePassword);
    expect(many.every((p) => passwordProblem(p) === null)).toBe(true);
    expect(new Set(many).size).toBe(50);
  });
});
