import { actingStorefront, Checks, fail, forbidden, isUuid, ok, type Principal, parseBusinessCalendar } from '@dcrm/kit';
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BusinessCalendarRow,
  type IBusinessCalendarRow,
  type ISlaPolicy,
  SlaPolicy,
  type TicketCategory,
  type TicketPriority,
} from '../../entities/index.js';
import type { ErrorCode, Result } from '../ticket.errors.js';
import { specificity } from './policy.js';
import { ALWAYS_OPEN } from './sync.js';

/**
 * Staff administration of the acting storefront's SLA data: its business calendar (`ticket:admin`
 * writes, checked by kit's `parseBusinessCalendar`) and its SLA policies. Reads need `ticket:read`
 * (the SDL says so). Changes apply to tickets raised afterwards, and to a ticket whose priority or
 * category changes; running clocks keep the calendar they started on.
 */
const storefrontOf = (principal: Principal) => {
  const id = actingStorefront(principal);
  if (!id) throw forbidden('No storefront to act on');
  return id;
};

/** The storefront's calendar (a 24×7 UTC one when it has none yet: `updatedAt` null). */
export async function businessCalendar(em: EntityManager, principal: Principal) {
  const row = await em.findOne(BusinessCalendarRow, { storefrontId: storefrontOf(principal) });
  return row ?? { storefrontId: storefrontOf(principal), calendar: ALWAYS_OPEN, updatedAt: null, version: 0 };
}

export async function businessCalendarSet(em: EntityManager, principal: Principal, input: unknown): Promise<Result<IBusinessCalendarRow>> {
  const storefrontId = storefrontOf(principal);
  const parsed = parseBusinessCalendar(input, ['input']);
  if (!parsed.ok) return parsed;
  return em.transactional(async (tx) => {
    const row = await tx.findOne(BusinessCalendarRow, { storefrontId });
    if (row) {
      row.calendar = parsed.value;
      return ok(row);
    }
    return ok(tx.create(BusinessCalendarRow, { storefrontId, calendar: parsed.value }));
  });
}

/** The storefront's policies, most specific first (the order they are tried in). */
export async function slaPolicies(em: EntityManager, principal: Principal): Promise<ISlaPolicy[]> {
  const rows = await em.find(SlaPolicy, { storefrontId: storefrontOf(principal) }, { orderBy: { name: 'asc' } });
  return rows.sort((a, b) => specificity(b) - specificity(a));
}

export type SlaPolicySetInput = {
  id?: string | null;
  version?: number | null;
  name: string;
  priority?: TicketPriority | null;
  category?: TicketCategory | null;
  segment?: string | null;
  responseMinutes: number;
  resolutionMinutes: number;
  active?: boolean | null;
};

const YEAR_MINUTES = 525_600;

/** Creates a policy, or changes one of the storefront's (with its version). One policy per combination of criteria. */
export async function slaPolicySet(em: EntityManager, principal: Principal, input: SlaPolicySetInput): Promise<Result<ISlaPolicy>> {
  const storefrontId = storefrontOf(principal);
  const c = new Checks<ErrorCode>();
  c.text(input.name, ['input', 'name'], 120);
  c.text(input.segment, ['input', 'segment'], 60, false);
  c.int(input.responseMinutes, ['input', 'responseMinutes'], 1, YEAR_MINUTES);
  c.int(input.resolutionMinutes, ['input', 'resolutionMinutes'], 1, YEAR_MINUTES);
  if (c.ok && input.responseMinutes > input.resolutionMinutes)
    c.add('INVALID', 'The first response cannot be due after the resolution', ['input', 'responseMinutes']);
  if (input.id != null && input.version == null) c.add('REQUIRED', 'Send the version read', ['input', 'version']);
  if (!c.ok) return { ok: false, errors: c.errors };
  const values = {
    name: input.name.trim(),
    priority: input.priority ?? null,
    category: input.category ?? null,
    segment: input.segment?.trim() || null,
    responseMinutes: input.responseMinutes,
    resolutionMinutes: input.resolutionMinutes,
    active: input.active ?? true,
  };
  try {
    return await em.transactional(async (tx) => {
      if (input.id == null) return ok(tx.create(SlaPolicy, { storefrontId, ...values }));
      const row = isUuid(input.id) ? await tx.findOne(SlaPolicy, { id: input.id, storefrontId }) : null;
      if (!row) return fail('NOT_FOUND', 'No such SLA policy', ['input', 'id']);
      if (row.version !== input.version) return fail('CONFLICT', 'The policy changed meanwhile: read it again', ['input', 'version']);
      Object.assign(row, values);
      return ok(row);
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException)
      return fail('TAKEN', 'A policy with these criteria exists: change that one', ['input', 'priority']);
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The policy changed meanwhile: read it again', ['input', 'version']);
    throw error;
  }
}
