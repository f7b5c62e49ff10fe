import { hashPassword, type SeedOptions, seedId, sha256Hex } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  AccessGroup,
  Address,
  ApiKey,
  Contact,
  Customer,
  Interaction,
  type IStaff,
  NpsResponse,
  NpsSurvey,
  Partner,
  PartnerUser,
  SiteMessage,
  Staff,
} from '../entities/index.js';
import { ACCESS_GROUPS, type Brand, CUSTOMERS, DEMO_KEYS, DEMO_PASSWORD, PARTNERS, STAFF } from './demo.js';
import { seedNotificationTemplates } from './notifications.js';
import { seedTeams } from './teams.js';

export const storefrontId = (brand: Brand) => seedId('storefront', brand);
export const customerId = (key: string) => seedId('customer', key);
export const partnerId = (key: string) => seedId('partner', key);
export const staffId = (key: string) => seedId('staff', key);

/** Demo customers with the app installed: PUSH consent, and offers preferred by push. */
const PUSH_CUSTOMERS = new Set(['skyline-one', 'amelia', 'aoife-nimbus']);

/** The storefronts a demo staff member may act on: its own unless the demo grants more (`*`: all). */
function brandGrants(s: (typeof STAFF)[number]): string[] {
  const brands = 'brands' in s ? s.brands : undefined;
  if (brands === '*') return ['*'];
  return (brands ?? [s.brand]).map(storefrontId);
}

/** Demo identities for both brands; skipped when the subgraph already has staff (idempotent). */
export async function seedCustomers(em: EntityManager, _options: SeedOptions = {}): Promise<Record<string, unknown>> {
  const summary = {
    password: DEMO_PASSWORD,
    customers: CUSTOMERS.map((c) => c.email).slice(0, 3),
    staff: STAFF.map((s) => `${s.email} (${s.segments.join(', ')})`),
    partners: PARTNERS.map((p) => p.user),
    keys: DEMO_KEYS,
  };
  await seedNotificationTemplates(em, storefrontId);
  if (await em.count(Staff, {})) {
    await seedTeams(em, storefrontId);
    return summary;
  }
  // One hash for the shared demo password keeps the seed fast.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const day = 86_400_000;
  const now = Date.now();
  await em.transactional(async (tx) => {
    const groups = new Map(
      ACCESS_GROUPS.map((g) => [g.key, tx.create(AccessGroup, { id: seedId('access-group', g.key), name: g.name, scopes: g.scopes })]),
    );
    const staff = new Map<string, IStaff>();
    for (const s of STAFF) {
      const member = tx.create(Staff, {
        id: staffId(s.key),
        storefrontId: storefrontId(s.brand),
        storefronts: brandGrants(s),
        email: s.email,
        name: s.name,
        passwordHash,
        passwordChangedAt: new Date(now - ('passwordAgeDays' in s ? (s.passwordAgeDays as number) : 10) * day),
        manager: s.manager ? staff.get(s.manager) : null,
        segments: s.segments,
      });
      for (const g of s.groups) member.accessGroups.add(groups.get(g) as never);
      staff.set(s.key, member);
    }
    for (const p of PARTNERS) {
      const partner = tx.create(Partner, { id: partnerId(p.key), storefrontId: storefrontId(p.brand), name: p.name, code: p.key });
      tx.create(PartnerUser, {
        id: seedId('partner-user', p.key),
        partner,
        email: p.user,
        name: `${p.name} operations`,
        passwordHash,
        admin: true,
      });
    }
    for (const c of CUSTOMERS) {
      tx.create(Customer, {
        id: customerId(c.key),
        storefrontId: storefrontId(c.brand),
        type: c.type,
        name: c.name,
        email: c.email,
        mobile: c.mobile,
        passwordHash,
        category: c.category,
        segment: c.segment,
        lifecycleStage: c.stage,
        parent: c.parent ? tx.getReference(Customer, customerId(c.parent)) : null,
        partner: c.partner ? tx.getReference(Partner, partnerId(c.partner)) : null,
        consents: [
          { channel: 'EMAIL', granted: true, updatedAt: new Date(now - 30 * day).toISOString() },
          ...(PUSH_CUSTOMERS.has(c.key)
            ? [{ channel: 'PUSH' as const, granted: true, updatedAt: new Date(now - 7 * day).toISOString() }]
            : []),
        ],
        notificationPreferences: [
          { type: 'ORDER_UPDATES', channels: ['EMAIL', 'SMS'] },
          ...(PUSH_CUSTOMERS.has(c.key) ? [{ type: 'OFFERS', channels: ['PUSH' as const] }] : []),
        ],
      });
    }
    const ref = (key: string) => tx.getReference(Customer, customerId(key));
    tx.create(Contact, {
      customer: ref('acme-telecom-buyers'),
      name: 'Dana Acme',
      email: 'dana@acme.example',
      phone: '+353871000099',
      role: 'Procurement',
      isPrimary: true,
    });
    tx.create(Contact, {
      customer: ref('acme-telecom-buyers'),
      name: 'Eoin Acme',
      email: 'eoin@acme.example',
      role: 'IT',
      isPrimary: false,
    });
    tx.create(Address, {
      customer: ref('acme-telecom-buyers'),
      type: 'BILLING',
      line1: '1 Grand Canal Sq',
      city: 'Dublin',
      postcode: 'D02 P820',
      country: 'IE',
      isDefault: true,
    });
    tx.create(Address, {
      customer: ref('aoife'),
      type: 'SERVICE',
      line1: '12 Harbour Rd',
      city: 'Howth',
      postcode: 'D13 X2Y3',
      country: 'IE',
      isDefault: true,
    });
    for (const [i, key] of ['aoife', 'aoife', 'acme-telecom-buyers', 'globex', 'connectify-one', 'oliver'].entries()) {
      tx.create(Interaction, {
        customer: ref(key),
        channel: (['PHONE', 'CHAT', 'EMAIL', 'STORE', 'CHATBOT', 'WEB'] as const)[i],
        direction: 'INBOUND',
        occurredAt: new Date(now - (i + 1) * day),
        notes: `Demo interaction ${i + 1}: asked about ${['roaming', 'a bill', 'new lines', 'a contract renewal', 'a top-up', 'broadband speed'][i]}.`,
        staff: i % 2 === 0 ? staff.get(key === 'oliver' ? 'nimbus-agent' : 'volt-consumer') : null,
      });
    }
    tx.create(SiteMessage, {
      customer: ref('aoife'),
      title: 'Welcome to Volt',
      body: 'Your account is ready.',
      createdAt: new Date(now - 3 * day),
    });
    tx.create(SiteMessage, {
      customer: ref('aoife'),
      title: 'Your bill is ready',
      body: 'Your November bill is €29.99.',
      createdAt: new Date(now - day),
    });
    for (const brand of ['volt', 'nimbus'] as const) {
      const survey = tx.create(NpsSurvey, {
        id: seedId('nps-survey', brand),
        storefrontId: storefrontId(brand),
        name: 'Relationship NPS',
        question: 'How likely are you to recommend us to a friend?',
      });
      const respondents = CUSTOMERS.filter((c) => c.brand === brand);
      respondents.forEach((c, i) => {
        tx.create(NpsResponse, {
          survey,
          storefrontId: storefrontId(brand),
          customer: ref(c.key),
          segment: c.segment,
          score: [10, 9, 7, 4, 10, 8, 6, 9][i % 8],
          channel: 'EMAIL',
          respondedAt: new Date(now - (i + 2) * day),
        });
      });
    }
    const keys = [
      { key: DEMO_KEYS.voltPublic, kind: 'PUBLIC' as const, brand: 'volt' as Brand, name: 'Volt web storefront', scopes: [] as string[] },
      { key: DEMO_KEYS.nimbusPublic, kind: 'PUBLIC' as const, brand: 'nimbus' as Brand, name: 'Nimbus web storefront', scopes: [] },
      {
        key: DEMO_KEYS.voltChatbot,
        kind: 'PRIVATE' as const,
        brand: 'volt' as Brand,
        name: 'Volt support chatbot',
        scopes: ['customer:lookup', 'interaction:write', 'ticket:create'],
      },
      {
        key: DEMO_KEYS.connectifyPartner,
        kind: 'PRIVATE' as const,
        brand: 'volt' as Brand,
        name: 'Connectify CRM sync',
        scopes: ['customer:read'],
        partner: 'connectify',
      },
    ];
    for (const k of keys) {
      tx.create(ApiKey, {
        id: seedId('api-key', k.name),
        kind: k.kind,
        storefrontId: storefrontId(k.brand),
        partnerId: 'partner' in k ? partnerId(k.partner as string) : null,
        name: k.name,
        prefix: k.key.slice(0, 16),
        hash: sha256Hex(k.key),
        scopes: k.scopes,
      });
    }
  });
  await seedTeams(em, storefrontId);
  return summary;
}
