import { type BusinessCalendar, seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BusinessCalendarRow, SlaPolicy, type TicketCategory, type TicketPriority } from '../entities/index.js';

const weekdays = (from: string, to: string) =>
  (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((day) => ({ day, from, to }));

/** Volt (Ireland): weekdays 08:00–20:00 and Saturday mornings, Irish public holidays. Nimbus (UK): weekdays 09:00–17:30, UK bank holidays. */
export const DEMO_CALENDARS: Record<'volt' | 'nimbus', BusinessCalendar> = {
  volt: {
    timeZone: 'Europe/Dublin',
    weekly: [...weekdays('08:00', '20:00'), { day: 'SATURDAY', from: '09:00', to: '13:00' }],
    holidays: [
      { date: '2026-12-24', from: '13:00', to: '20:00', name: 'Christmas Eve (afternoon)' },
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-26', name: "St Stephen's Day" },
      { date: '2027-01-01', name: "New Year's Day" },
      { date: '2027-02-01', name: "St Brigid's Day" },
      { date: '2027-03-17', name: "St Patrick's Day" },
    ],
  },
  nimbus: {
    timeZone: 'Europe/London',
    weekly: weekdays('09:00', '17:30'),
    holidays: [
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-28', name: 'Boxing Day (substitute)' },
      { date: '2027-01-01', name: "New Year's Day" },
    ],
  },
};

type DemoPolicy = {
  key: string;
  name: string;
  priority?: TicketPriority;
  category?: TicketCategory;
  segment?: string;
  response: number;
  resolution: number;
};

/** Business minutes per priority, faster for enterprise accounts and for network outages. */
export const DEMO_POLICIES: DemoPolicy[] = [
  { key: 'default', name: 'Standard', response: 8 * 60, resolution: 5 * 12 * 60 },
  { key: 'critical', name: 'Critical', priority: 'CRITICAL', response: 30, resolution: 4 * 60 },
  { key: 'high', name: 'High', priority: 'HIGH', response: 2 * 60, resolution: 12 * 60 },
  { key: 'low', name: 'Low', priority: 'LOW', response: 2 * 12 * 60, resolution: 10 * 12 * 60 },
  { key: 'enterprise', name: 'Enterprise accounts', segment: 'enterprise', response: 60, resolution: 2 * 12 * 60 },
  { key: 'network-critical', name: 'Network outage', priority: 'CRITICAL', category: 'NETWORK', response: 15, resolution: 2 * 60 },
];

/** A calendar and the SLA policies per demo brand; idempotent (edits kept). */
export async function seedSla(em: EntityManager): Promise<void> {
  for (const brand of ['volt', 'nimbus'] as const) {
    const storefrontId = seedId('storefront', brand);
    if (!(await em.findOne(BusinessCalendarRow, { storefrontId })))
      em.create(BusinessCalendarRow, { storefrontId, calendar: DEMO_CALENDARS[brand] });
    for (const p of DEMO_POLICIES) {
      const id = seedId('sla-policy', `${brand}:${p.key}`);
      if (await em.findOne(SlaPolicy, { id })) continue;
      em.create(SlaPolicy, {
        id,
        storefrontId,
        name: p.name,
        priority: p.priority ?? null,
        category: p.category ?? null,
        segment: p.segment ?? null,
        responseMinutes: p.response,
        resolutionMinutes: p.resolution,
      });
    }
  }
  await em.flush();
}
