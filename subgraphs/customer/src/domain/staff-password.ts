import { randomBytes } from 'node:crypto';
import { fail } from '@dcrm/kit';
import type { Result } from './customer.errors.js';

type StaffPassword = { active: boolean; passwordChangedAt: Date; mustChangePassword: boolean };

/**
 * Why a staff member may not get tokens now, or null: a disabled account, a password older than the
 * configured maximum age, or one someone else chose (initial or one-time) and not yet changed. The one
 * rule for every way a staff principal is issued — sign-in and token renewal — so each fails alike.
 */
export function staffSignInRefusal(staff: StaffPassword, maxAgeDays: number, field: string[], now = Date.now()): Result<never> | null {
  if (!staff.active) return fail('ACCOUNT_INACTIVE', 'This staff account is disabled', field);
  if (staff.mustChangePassword)
    return fail('PASSWORD_EXPIRED', 'This password was set by someone else; set your own with staffPasswordChange', field);
  if (staff.passwordChangedAt.getTime() + maxAgeDays * 86_400_000 < now)
    return fail('PASSWORD_EXPIRED', `Passwords expire after ${maxAgeDays} days; set a new one with staffPasswordChange`, field);
  return null;
}

/** The same rule for partner users, whose passwords do not age: disabled, or set by someone else. */
export function partnerSignInRefusal(user: { active: boolean; mustChangePassword: boolean }, field: string[]): Result<never> | null {
  if (!user.active) return fail('ACCOUNT_INACTIVE', 'This account is disabled', field);
  if (user.mustChangePassword)
    return fail('PASSWORD_EXPIRED', 'This password was set by someone else; set your own with partnerPasswordChange', field);
  return null;
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/** A random one-time password (20 characters, letters and digits, no look-alikes) that satisfies the password policy. */
export function oneTimePassword(): string {
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b, i) => (i % 5 === 4 ? DIGITS[b % DIGITS.length] : ALPHABET[b % ALPHABET.length]));
  return chars.join('');
}
