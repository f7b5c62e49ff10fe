import { type SeedOptions, seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type RaiserKind,
  Ticket,
  type TicketCategory,
  type TicketChannel,
  TicketComment,
  type TicketPriority,
  type TicketStatus,
  TicketStatusChange,
} from '../entities/index.js';
import { seedArticles } from './articles.js';
import { seedSla } from './sla.js';

type Brand = 'volt' | 'nimbus';
/** The demo accounts tickets are raised on (the customer subgraph's demo data: brand, segment, partner). */
const ACCOUNTS: Record<string, { brand: Brand; segment: string; partner?: string }> = {
  aoife: { brand: 'volt', segment: 'consumer' },
  conor: { brand: 'volt', segment: 'consumer' },
  'acme-telecom-buyers': { brand: 'volt', segment: 'smb' },
  globex: { brand: 'volt', segment: 'enterprise' },
  'connectify-one': { brand: 'volt', segment: 'consumer', partner: 'connectify' },
  'skyline-one': { brand: 'volt', segment: 'consumer', partner: 'skyline' },
  oliver: { brand: 'nimbus', segment: 'consumer' },
};

type DemoTicket = {
  key: string;
  account: keyof typeof ACCOUNTS;
  status: TicketStatus;
  category: TicketCategory;
  priority: TicketPriority;
  channel: TicketChannel;
  raisedBy: RaiserKind;
  subject: string;
  assignee?: string;
  reason?: string;
  ageDays: number;
};

/** One ticket in every state, across segments, partners and both brands. */
export const DEMO_TICKETS: DemoTicket[] = [
  {
    key: 'aoife-no-data',
    account: 'aoife',
    status: 'IN_PROGRESS',
    category: 'TECHNICAL',
    priority: 'HIGH',
    channel: 'SELF_CARE',
    raisedBy: 'CUSTOMER',
    subject: 'Mobile data stopped working',
    assignee: 'volt-consumer',
    ageDays: 1,
  },
  {
    key: 'aoife-double-charge',
    account: 'aoife',
    status: 'RESOLVED',
    category: 'BILLING',
    priority: 'MEDIUM',
    channel: 'PHONE',
    raisedBy: 'STAFF',
    subject: 'Charged twice for October',
    assignee: 'volt-consumer',
    ageDays: 3,
  },
  {
    key: 'aoife-coverage',
    account: 'aoife',
    status: 'CLOSED',
    category: 'NETWORK',
    priority: 'LOW',
    channel: 'CHATBOT',
    raisedBy: 'API_KEY',
    subject: 'Weak signal at home',
    ageDays: 30,
  },
  {
    key: 'conor-delivery',
    account: 'conor',
    status: 'ACKNOWLEDGED',
    category: 'ORDER',
    priority: 'MEDIUM',
    channel: 'SELF_CARE',
    raisedBy: 'CUSTOMER',
    subject: 'Where is my new phone?',
    ageDays: 0,
  },
  {
    key: 'conor-duplicate',
    account: 'conor',
    status: 'REJECTED',
    category: 'ORDER',
    priority: 'LOW',
    channel: 'EMAIL',
    raisedBy: 'STAFF',
    subject: 'Order not received (duplicate)',
    reason: 'Duplicate of an open ticket',
    ageDays: 2,
  },
  {
    key: 'acme-pbx-down',
    account: 'acme-telecom-buyers',
    status: 'PENDING',
    category: 'TECHNICAL',
    priority: 'CRITICAL',
    channel: 'PORTAL',
    raisedBy: 'STAFF',
    subject: 'Office phones cannot call out',
    assignee: 'volt-business',
    reason: 'Waiting for the customer to restart the PBX',
    ageDays: 1,
  },
  {
    key: 'globex-fibre',
    account: 'globex',
    status: 'HELD',
    category: 'NETWORK',
    priority: 'HIGH',
    channel: 'PHONE',
    raisedBy: 'STAFF',
    subject: 'Fibre link flapping',
    assignee: 'volt-business',
    reason: 'Waiting for the wholesale operator',
    ageDays: 4,
  },
  {
    key: 'connectify-sim',
    account: 'connectify-one',
    status: 'ACKNOWLEDGED',
    category: 'DEVICE',
    priority: 'MEDIUM',
    channel: 'PARTNER',
    raisedBy: 'PARTNER',
    subject: 'SIM not recognised',
    ageDays: 0,
  },
  {
    key: 'skyline-port',
    account: 'skyline-one',
    status: 'CANCELLED',
    category: 'ACCOUNT',
    priority: 'LOW',
    channel: 'PARTNER',
    raisedBy: 'PARTNER',
    subject: 'Number port request',
    reason: 'Customer withdrew the request',
    ageDays: 5,
  },
  {
    key: 'oliver-broadband',
    account: 'oliver',
    status: 'IN_PROGRESS',
    category: 'NETWORK',
    priority: 'HIGH',
    channel: 'SELF_CARE',
    raisedBy: 'CUSTOMER',
    subject: 'Broadband drops every evening',
    assignee: 'nimbus-agent',
    ageDays: 2,
  },
];

const DAY = 86_400_000;

/** Demo tickets (one in every state); skipped when tickets exist. */
export async function seed(em: EntityManager, _options: SeedOptions = {}): Promise<Record<string, unknown>> {
  const summary = { tickets: DEMO_TICKETS.length };
  // SLA, assignment, escalation: a business calendar and SLA policies per demo brand (demo tickets have no clocks).
  await seedSla(em);
  if (await em.count(Ticket, {})) return { ...summary, articles: await seedArticles(em) };
  const now = Date.now();
  await em.transactional(async (tx) => {
    for (const t of DEMO_TICKETS) {
      const account = ACCOUNTS[t.account];
      const createdAt = new Date(now - t.ageDays * DAY - 3_600_000);
      const moved = t.status !== 'ACKNOWLEDGED';
      const resolved = t.status === 'RESOLVED' || t.status === 'CLOSED';
      const id = seedId('ticket', t.key);
      const storefrontId = seedId('storefront', account.brand);
      const agent = t.assignee ? seedId('staff', t.assignee) : null;
      const history = (from: TicketStatus | null, to: TicketStatus, at: Date, reason: string | null = null) =>
        tx.create(TicketStatusChange, {
          ticketId: id,
          storefrontId,
          fromStatus: from,
          toStatus: to,
          actorKind: from === null ? t.raisedBy : 'STAFF',
          actorId: from === null ? null : agent,
          reason,
          at,
        });
      tx.create(Ticket, {
        id,
        storefrontId: seedId('storefront', account.brand),
        customerId: seedId('customer', t.account),
        segment: account.segment,
        partnerId: account.partner ? seedId('partner', account.partner) : null,
        raisedByKind: t.raisedBy,
        raisedById: t.raisedBy === 'STAFF' ? seedId('staff', t.assignee ?? 'volt-consumer') : null,
        channel: t.channel,
        category: t.category,
        priority: t.priority,
        severity: t.priority === 'CRITICAL' ? 'CRITICAL' : t.priority === 'HIGH' ? 'MAJOR' : 'MINOR',
        status: t.status,
        statusReason: t.reason ?? null,
        subject: t.subject,
        description: `${t.subject}. (Demo ticket.)`,
        resolution: resolved ? 'Fixed and confirmed with the customer.' : null,
        assigneeStaffId: t.assignee ? seedId('staff', t.assignee) : null,
        createdAt,
        updatedAt: moved ? new Date(createdAt.getTime() + 3_600_000) : createdAt,
        statusChangedAt: moved ? new Date(createdAt.getTime() + 3_600_000) : createdAt,
        firstRespondedAt: moved ? new Date(createdAt.getTime() + 1_800_000) : null,
        resolvedAt: resolved ? new Date(createdAt.getTime() + DAY / 2) : null,
        closedAt: t.status === 'CLOSED' ? new Date(createdAt.getTime() + 2 * DAY) : null,
      });
      history(null, 'ACKNOWLEDGED', createdAt);
      if (moved) history('ACKNOWLEDGED', t.status, new Date(createdAt.getTime() + 3_600_000), t.reason ?? null);
      if (agent && moved) {
        const at = new Date(createdAt.getTime() + 1_800_000);
        tx.create(TicketComment, {
          ticketId: id,
          storefrontId,
          authorKind: 'STAFF',
          authorId: agent,
          body: 'Looking into this now.',
          createdAt: at,
        });
        tx.create(TicketComment, {
          ticketId: id,
          storefrontId,
          internal: true,
          authorKind: 'STAFF',
          authorId: agent,
          body: 'Checked the account: nothing unusual on our side yet.',
          createdAt: at,
        });
      }
    }
  });
  return { ...summary, articles: await seedArticles(em) };
}
