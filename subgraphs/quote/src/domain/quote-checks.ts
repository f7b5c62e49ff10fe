import type { Checks } from '@dcrm/kit';
import { asPromoProblem } from '@dcrm/kit';
import type { Prospect } from '../entities/index.js';
import type { ErrorCode, UserError } from './quote.errors.js';
import { isStaff, type WriteCtx } from './quote-context.js';

/** Input checks shared by the quote mutations (userErrors on `input.*`). */
export const f = (...path: string[]) => ['input', ...path];
const DAY = 86_400_000;
const CODE = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;

export type ProspectArg = { name: string; email?: string | null; phone?: string | null; company?: string | null };

export function checkProspect(checks: Checks<ErrorCode>, prospect: ProspectArg): Prospect {
  checks.text(prospect.name, f('prospect', 'name'), 120);
  if (prospect.email) checks.email(prospect.email, f('prospect', 'email'));
  if (prospect.phone) checks.mobile(prospect.phone, f('prospect', 'phone'));
  checks.text(prospect.company, f('prospect', 'company'), 200, false);
  return {
    name: prospect.name.trim(),
    email: prospect.email ?? null,
    phone: prospect.phone ?? null,
    company: prospect.company?.trim() || null,
  };
}

export function checkCodes(checks: Checks<ErrorCode>, codes: string[]): string[] {
  const normal = [...new Set(codes.map((c) => c.trim().toUpperCase()))];
  if (normal.length > 5) checks.add('TOO_MANY', 'At most 5 codes', f('promoCodes'));
  normal.forEach((code, i) => {
    if (!CODE.test(code)) checks.add('INVALID', 'Not a promotion code', f('promoCodes', String(i)));
  });
  return normal;
}

export function checkValidity(checks: Checks<ErrorCode>, validUntil: Date, now: Date) {
  if (validUntil.getTime() <= now.getTime()) checks.add('INVALID', 'Validity must end in the future', f('validUntil'));
  if (validUntil.getTime() > now.getTime() + 366 * DAY) checks.add('INVALID', 'A quote is valid for a year at most', f('validUntil'));
}

/** Staff-only inputs given by someone else: FORBIDDEN on each such field. */
export function staffOnly(checks: Checks<ErrorCode>, ctx: WriteCtx, fields: Record<string, unknown>) {
  if (isStaff(ctx.principal)) return;
  for (const [name, value] of Object.entries(fields))
    if (value !== undefined && value !== null && value !== false) checks.add('FORBIDDEN', 'Only staff may set this', f(name));
}

export const codeErrors = (codes: string[], problems: { code: string; problem: string | null }[]): UserError[] =>
  problems.map((p) => ({
    code: asPromoProblem(p.problem),
    message: `The code ${p.code} cannot be used (${p.problem})`,
    field: f('promoCodes', String(Math.max(codes.indexOf(p.code.toUpperCase()), 0))),
  }));
