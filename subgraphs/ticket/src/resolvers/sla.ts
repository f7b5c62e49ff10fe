import { type BusinessCalendar, payload } from '@dcrm/kit';
import { businessCalendar, businessCalendarSet, slaPolicies, slaPolicySet } from '../domain/sla/admin.js';
import { readSla, type SlaReading } from '../domain/sla/clock.js';
import type { ITicketSla } from '../entities/index.js';
import type { TicketResolvers } from './context.js';

/** A calendar as the API shows it. */
export type CalendarView = { calendar: BusinessCalendar; updatedAt: Date | null };
/** A ticket's clock row with its reading now. */
export type TicketSlaView = { row: ITicketSla; reading: SlaReading };

const calendarView = (row: { calendar: BusinessCalendar; updatedAt: Date | null }): CalendarView => ({
  calendar: row.calendar,
  updatedAt: row.updatedAt,
});

/** SLA, assignment, escalation: calendars, policies and Ticket.sla. */
export const slaResolvers: TicketResolvers = {
  Query: {
    businessCalendar: async (_, __, ctx) => calendarView(await businessCalendar(ctx.em, ctx.principal)),
    slaPolicies: (_, __, ctx) => slaPolicies(ctx.em, ctx.principal),
    // Service-only (SDL): the calling service's brand.
    brandBusinessCalendar: async (_, __, ctx) => calendarView(await businessCalendar(ctx.em, ctx.principal)),
  },
  Mutation: {
    businessCalendarSet: async (_, { input }, ctx) => {
      const result = await businessCalendarSet(ctx.em, ctx.principal, input);
      return { ...payload('calendar', result), calendar: result.ok ? calendarView(result.value) : null };
    },
    slaPolicySet: async (_, { input }, ctx) => payload('policy', await slaPolicySet(ctx.em, ctx.principal, input)),
  },
  BusinessCalendar: {
    timeZone: (v) => v.calendar.timeZone,
    alwaysOpen: (v) => v.calendar.alwaysOpen ?? false,
    weekly: (v) => v.calendar.weekly,
    holidays: (v) => (v.calendar.holidays ?? []).map((h) => ({ ...h, from: h.from ?? null, to: h.to ?? null, name: h.name ?? null })),
    updatedAt: (v) => v.updatedAt,
  },
  Ticket: {
    sla: async (t, _, ctx) => {
      const row = await ctx.loaders.sla.clock.load(t.id);
      return row ? { row, reading: readSla(row, t, ctx.services.clock.now()) } : null;
    },
  },
  TicketSla: {
    policy: (v, _, ctx) => (v.row.policyId ? ctx.loaders.sla.policy.load(v.row.policyId) : null),
    policyName: (v) => v.row.policyName,
    responseDueAt: (v) => v.reading.responseDueAt,
    resolutionDueAt: (v) => v.reading.resolutionDueAt,
    responseBreached: (v) => v.reading.responseBreached,
    resolutionBreached: (v) => v.reading.resolutionBreached,
    breached: (v) => v.reading.breached,
    remaining: (v) => v.reading.remainingMinutes,
    paused: (v) => v.reading.paused,
    escalationLevel: (v) => v.row.escalationLevel,
  },
};
