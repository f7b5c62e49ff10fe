import { seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { termsOf } from '../domain/contracts.js';
import { addMonths, type TerminationRule } from '../domain/penalty.js';
import {
  Contract,
  ContractEvent,
  ContractLine,
  type ContractStatus,
  ContractTemplate,
  type IContractTemplate,
  type RenewalPolicy,
} from '../entities/index.js';

type Brand = 'volt' | 'nimbus';
const DAY = 86_400_000;
export const demoTemplateId = (key: string) => seedId('contract-template', key);
export const demoContractId = (key: string) => seedId('contract', key);

const TEMPLATES: {
  key: string;
  brand: Brand;
  name: string;
  termMonths: number;
  renewalPolicy: RenewalPolicy;
  noticeDays: number;
  rule: TerminationRule;
  approvalScope: string;
}[] = [
  {
    key: 'volt-12',
    brand: 'volt',
    name: 'Volt 12-month plan',
    termMonths: 12,
    renewalPolicy: 'AUTO_RENEW',
    noticeDays: 30,
    rule: { kind: 'REMAINING_MONTHS', percentBp: 5000 },
    approvalScope: 'contract:approve',
  },
  {
    key: 'volt-business-24',
    brand: 'volt',
    name: 'Volt Business 24-month',
    termMonths: 24,
    renewalPolicy: 'RENEWAL_OFFER',
    noticeDays: 60,
    rule: { kind: 'DECLINING', amountMinor: 24_000, stepMonths: 6 },
    approvalScope: 'contract:manage',
  },
  {
    key: 'nimbus-18',
    brand: 'nimbus',
    name: 'Nimbus Fibre 18-month',
    termMonths: 18,
    renewalPolicy: 'RENEWAL_OFFER',
    noticeDays: 45,
    rule: { kind: 'FIXED', amountMinor: 10_000 },
    approvalScope: 'contract:approve',
  },
];

/** Demo contracts, one per kind of viewer and state; `startDays`: the period began this many days ago. */
const CONTRACTS: {
  key: string;
  template: string;
  customer: string;
  partner?: string;
  segment: string;
  status: ContractStatus;
  startDays: number;
  product: [slug: string, name: string, feeMinor: number];
  note?: string;
}[] = [
  {
    key: 'aoife-1',
    template: 'volt-12',
    customer: 'aoife',
    segment: 'consumer',
    status: 'ACTIVE',
    startDays: 90,
    product: ['volt-sim-unlimited', 'Volt Unlimited 5G', 2999],
    note: 'Loyalty discount discussed at renewal.',
  },
  {
    key: 'aoife-old',
    template: 'volt-12',
    customer: 'aoife',
    segment: 'consumer',
    status: 'TERMINATED',
    startDays: 500,
    product: ['volt-sim-5gb', 'Volt Essentials 5GB', 999],
  },
  {
    key: 'acme-1',
    template: 'volt-business-24',
    customer: 'acme-telecom-buyers',
    segment: 'smb',
    status: 'RENEWAL_DUE',
    startDays: 700,
    product: ['volt-sim-5gb', 'Volt Essentials 5GB', 999],
  },
  {
    key: 'niamh-1',
    template: 'volt-12',
    customer: 'connectify-one',
    partner: 'connectify',
    segment: 'consumer',
    status: 'ACTIVE',
    startDays: 30,
    product: ['volt-sim-5gb', 'Volt Essentials 5GB', 999],
  },
  {
    key: 'oliver-1',
    template: 'nimbus-18',
    customer: 'oliver',
    segment: 'consumer',
    status: 'ACTIVE',
    startDays: 60,
    product: ['nimbus-fibre-150', 'Nimbus Fibre 150', 2999],
  },
];

/** Demo templates for both brands and a few contracts (ACTIVE, RENEWAL_DUE, TERMINATED); skipped when they exist. Tests read them, never change them. */
export async function seedContracts(em: EntityManager): Promise<Record<string, number>> {
  const summary = { contractTemplates: TEMPLATES.length, contracts: CONTRACTS.length };
  if (await em.count(ContractTemplate, { id: { $in: TEMPLATES.map((t) => demoTemplateId(t.key)) } })) return summary;
  const now = Date.now();
  await em.transactional(async (tx) => {
    const templates = new Map<string, IContractTemplate>();
    for (const t of TEMPLATES) {
      const template = tx.create(ContractTemplate, {
        id: demoTemplateId(t.key),
        storefrontId: seedId('storefront', t.brand),
        name: t.name,
        termMonths: t.termMonths,
        renewalPolicy: t.renewalPolicy,
        noticeDays: t.noticeDays,
        terminationRule: t.rule,
        approvalScope: t.approvalScope,
      });
      templates.set(t.key, template);
    }
    // Contracts name their template by id (no relation): the templates go in first.
    await tx.flush();
    for (const [n, c] of CONTRACTS.entries()) {
      const t = TEMPLATES.find((x) => x.key === c.template) as (typeof TEMPLATES)[number];
      const template = templates.get(c.template) as IContractTemplate;
      const start = new Date(now - c.startDays * DAY);
      const terminated = c.status === 'TERMINATED' ? new Date(start.getTime() + 200 * DAY) : null;
      const contract = tx.create(Contract, {
        id: demoContractId(c.key),
        storefrontId: seedId('storefront', t.brand),
        number: `C-2026-${900_001 + n}`,
        customerId: seedId('customer', c.customer),
        partnerId: c.partner ? seedId('partner', c.partner) : null,
        segment: c.segment,
        templateId: template.id,
        templateVersion: 1,
        terms: termsOf({ ...template, version: 1 } as IContractTemplate),
        currencyCode: t.brand === 'volt' ? 'EUR' : 'GBP',
        monthlyFeeMinor: c.product[2],
        status: c.status,
        periodStart: start,
        periodEnd: addMonths(start, t.termMonths),
        terminatedAt: terminated,
        terminationReason: terminated ? 'Moved abroad' : null,
        terminationChargeMinor: terminated ? 2500 : null,
        approvedBy: 'seed',
        approvedAt: start,
        internalNote: c.note ?? null,
        createdBy: 'seed',
      });
      tx.create(ContractLine, {
        contract,
        position: 0,
        productId: seedId('product', c.product[0]),
        name: c.product[1],
        quantity: 1,
        monthlyFeeMinor: c.product[2],
      });
      const event = (action: string, from: ContractStatus | null, to: ContractStatus, at: Date, reason?: string) =>
        tx.create(ContractEvent, {
          contract,
          at,
          action,
          fromStatus: from,
          toStatus: to,
          actorKind: 'staff',
          actorId: 'seed',
          reason: reason ?? null,
        });
      event('CREATED', null, 'PENDING_APPROVAL', start);
      event('APPROVED', 'PENDING_APPROVAL', 'ACTIVE', start);
      if (c.status === 'RENEWAL_DUE') event('RENEWAL_DUE', 'ACTIVE', 'RENEWAL_DUE', new Date(now - DAY), 'Renewal offered');
      if (terminated) event('TERMINATED', 'ACTIVE', 'TERMINATED', terminated, 'Moved abroad');
    }
  });
  return summary;
}
