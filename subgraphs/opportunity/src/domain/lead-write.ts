import {
  actingStorefront,
  Checks,
  fail,
  forbidden,
  hasScope,
  isUuid,
  type OutboxEvent,
  ok,
  type Principal,
  publishCommitted,
  segmentsOf,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Account, accountById } from '../clients/customer.js';
import { type ILead, Lead, type LeadChannel, type LeadConsent } from '../entities/index.js';
import { SCOPES } from './access.js';
import { admitCapture } from './capture-limits.js';
import { recordCaptured } from './lead-events.js';
import { checkReachable, type LeadFields, type LeadFieldsInput, leadFields } from './lead-input.js';
import { checkReferences, matchAccount } from './lead-links.js';
import type { ErrorCode, Result } from './opportunity.errors.js';
import type { OpportunityServices } from './services.js';

type ConsentInput = { contact: boolean; marketing?: boolean | null; text?: string | null };
export type LeadCaptureInput = LeadFieldsInput & { channel?: LeadChannel | null; consent: ConsentInput };
export type LeadCreateInput = LeadFieldsInput & { channel?: LeadChannel | null; segment?: string | null; consent?: ConsentInput | null };

/** Channels a storefront key may capture on (a signed-in customer's capture is SELF_CARE). */
const KEY_CHANNELS: LeadChannel[] = ['WEB', 'EMAIL', 'IVR'];

const consentOf = (input: ConsentInput | null | undefined, principal: Principal, now: Date): LeadConsent | null =>
  input
    ? {
        contact: input.contact,
        marketing: input.marketing ?? false,
        text: input.text?.trim().slice(0, 500) || null,
        at: now.toISOString(),
        ip: principal.clientIp ?? null,
      }
    : null;

type NewLead = {
  storefrontId: string;
  channel: LeadChannel;
  segment: string;
  fields: LeadFields;
  account: Account | null;
  partnerId: string | null;
  consent: LeadConsent | null;
  principal: Principal;
};

/** The lead and its `lead.captured` event in one transaction; the event is published after the commit. */
async function insertLead(em: EntityManager, services: OpportunityServices, lead: NewLead): Promise<ILead> {
  const now = services.clock.now();
  const { productIds = [], ...fields } = lead.fields;
  let event: OutboxEvent | null = null;
  const row = await em.transactional(async (tx) => {
    const created = tx.create(Lead, {
      ...fields,
      storefrontId: lead.storefrontId,
      channel: lead.channel,
      status: 'NEW',
      segment: lead.segment,
      customerId: lead.account?.id ?? null,
      partnerId: lead.partnerId,
      productIds,
      scoreExplanation: [],
      consent: lead.consent,
      capturedAt: now,
      createdBy: `${lead.principal.kind}:${lead.principal.id ?? 'unknown'}`,
    });
    await tx.flush();
    event = recordCaptured(tx, created, now);
    return created;
  });
  if (event) await publishCommitted(em, services.bus, [event], now);
  return row;
}

/**
 * `leadCapture`: a storefront key (WEB, EMAIL, IVR) or a signed-in customer (SELF_CARE). Counted
 * against the capture limits before anything else; consent to be contacted is required and recorded
 * with its time and address. The lead is matched to an existing account by email or mobile.
 */
export async function leadCapture(
  em: EntityManager,
  services: OpportunityServices,
  principal: Principal,
  input: LeadCaptureInput,
): Promise<Result<{ reference: string }>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) throw forbidden('A storefront key is required');
  if (principal.kind === 'anonymous') await admitCapture(services.captureLimits, principal, storefrontId);
  const checks = new Checks<ErrorCode>();
  const fields = leadFields({ ...input, rating: undefined, category: undefined, ownerStaffId: undefined }, checks);
  checkReachable(checks, fields);
  const customer = principal.kind === 'customer';
  const channel: LeadChannel = customer ? 'SELF_CARE' : (input.channel ?? 'WEB');
  if (!customer && !KEY_CHANNELS.includes(channel)) checks.add('INVALID', `One of ${KEY_CHANNELS.join(', ')}`, ['input', 'channel']);
  if (!input.consent.contact) checks.add('CONSENT_REQUIRED', 'Consent to be contacted is required', ['input', 'consent', 'contact']);
  await checkReferences(services, principal, storefrontId, fields, checks);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  // A signed-in customer is their own account; anyone else is matched by email or mobile.
  const account = customer
    ? { id: principal.id as string, ...(await accountFacts(services, storefrontId, principal.id as string)) }
    : await matchAccount(services, storefrontId, fields);
  const lead = await insertLead(em, services, {
    storefrontId,
    channel,
    segment: account?.segment ?? 'consumer',
    fields,
    account,
    partnerId: account?.partnerId ?? null,
    consent: consentOf(input.consent, principal, services.clock.now()),
    principal,
  });
  return ok({ reference: lead.id });
}

/** A signed-in customer's segment and partner (consumer and none while the customer service is down). */
async function accountFacts(services: OpportunityServices, storefrontId: string, id: string) {
  const account = await accountById(services.peers, storefrontId, id).catch(() => null);
  return { segment: account?.segment ?? 'consumer', partnerId: account?.partnerId ?? null };
}

/** Whether staff may act on rows of `segment` (their segment roles; `*` for all). */
export const staffSegment = (principal: Principal, segment: string): boolean => {
  const segments = segmentsOf(principal);
  return segments.includes('*') || segments.includes(segment);
};

/** An account the caller may link a lead to: staff of its segment, the partner that owns it. */
const mayLink = (principal: Principal, account: Account): boolean =>
  principal.kind === 'staff' ? staffSegment(principal, account.segment) : account.partnerId === principal.partnerId;

/**
 * `leadCreate`: staff (`opportunity:write`, in their segments; any channel, PORTAL by default) or a
 * partner (PARTNER, its own). A matching account the caller may see is linked and gives the segment.
 */
export async function leadCreate(
  em: EntityManager,
  services: OpportunityServices,
  principal: Principal,
  input: LeadCreateInput,
): Promise<Result<ILead>> {
  const storefrontId = actingStorefront(principal);
  if (principal.kind === 'staff' && !hasScope(principal, SCOPES.write)) throw forbidden(`Missing scope ${SCOPES.write}`);
  if (!storefrontId || (principal.kind === 'partner' && !principal.partnerId)) throw forbidden();
  const checks = new Checks<ErrorCode>();
  const fields = leadFields(input, checks);
  checkReachable(checks, fields);
  if (fields.ownerStaffId && principal.kind !== 'staff') checks.add('FORBIDDEN', 'Only staff assign owners', ['input', 'ownerStaffId']);
  const segment = input.segment?.trim();
  if (segment !== undefined && !/^[a-z0-9_-]{1,64}$/.test(segment)) checks.add('INVALID', 'A segment code', ['input', 'segment']);
  await checkReferences(services, principal, storefrontId, fields, checks);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const matched = await matchAccount(services, storefrontId, fields);
  const account = matched && mayLink(principal, matched) ? matched : null;
  const leadSegment = account?.segment ?? segment ?? 'consumer';
  if (principal.kind === 'staff' && !staffSegment(principal, leadSegment)) {
    return fail('FORBIDDEN', `Segment ${leadSegment} is not one of yours`, ['input', 'segment']);
  }
  const staffId = principal.kind === 'staff' && isUuid(principal.id) ? principal.id : null;
  const lead = await insertLead(em, services, {
    storefrontId,
    channel: principal.kind === 'partner' ? 'PARTNER' : (input.channel ?? 'PORTAL'),
    segment: leadSegment,
    fields: { ...fields, ownerStaffId: fields.ownerStaffId ?? staffId },
    account,
    partnerId: principal.kind === 'partner' ? principal.partnerId : (account?.partnerId ?? null),
    consent: consentOf(input.consent, principal, services.clock.now()),
    principal,
  });
  return ok(lead);
}
