import { actingStorefront, Checks, fail, isUuid, ok, type Peers, type Principal, segmentsOf } from '@dcrm/kit';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type AudienceRules, Campaign, type Channel, type ICampaign, type OfferTemplate, PromotionRow } from '../entities/index.js';
import type { ErrorCode, Result } from './promotion.errors.js';
import { checkProducts } from './references.js';
import { checkTemplate } from './template-checks.js';

export const OBJECTIVES = ['ACQUISITION', 'UPSELL', 'CROSS_SELL', 'RETENTION', 'WINBACK', 'LOYALTY'] as const;
export const LIFECYCLE_STAGES = ['PROSPECT', 'ONBOARDING', 'ACTIVE', 'AT_RISK', 'CHURNED'];
export const CUSTOMER_TYPES = ['INDIVIDUAL', 'BUSINESS'];
const MAX_ITEMS = 250;
const COUNTRY = /^[A-Z]{2}$/;

export type AudienceInput = Partial<Record<keyof AudienceRules, string[] | null>>;
type Fields = {
  name?: string | null;
  objective?: (typeof OBJECTIVES)[number] | null;
  priority?: number | null;
  channels?: Channel[] | null;
  audience?: AudienceInput | null;
  template?: OfferTemplate | null;
  promotionId?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
};
export type CampaignCreateInput = Fields & {
  name: string;
  objective: string;
  audience: AudienceInput;
  template: OfferTemplate;
  startsAt: Date;
  endsAt: Date;
};
export type CampaignUpdateInput = Fields & { id: string; version: number };

const f = (...path: (string | number)[]) => ['input', ...path.map(String)];

/** Trimmed, de-duplicated short strings; `allowed` limits them to a fixed set, `upper` normalises case. */
function values(
  checks: Checks<ErrorCode>,
  list: string[] | null | undefined,
  field: string[],
  opts: { max?: number; allowed?: string[]; upper?: boolean } = {},
) {
  const items = (list ?? []).map((v) => (opts.upper ? v.trim().toUpperCase() : v.trim()));
  if (items.length > MAX_ITEMS) checks.add('TOO_MANY', `At most ${MAX_ITEMS} items`, field);
  items.forEach((v, i) => {
    if (v.length === 0 || v.length > (opts.max ?? 64)) checks.add('INVALID', `1 to ${opts.max ?? 64} characters`, [...field, String(i)]);
    else if (opts.allowed && !opts.allowed.includes(v)) checks.add('INVALID', `One of ${opts.allowed.join(', ')}`, [...field, String(i)]);
  });
  return [...new Set(items)];
}

function audience(checks: Checks<ErrorCode>, input: AudienceInput, principal: Principal): AudienceRules {
  const at = (key: string) => f('audience', key);
  const rules: AudienceRules = {
    segments: values(checks, input.segments, at('segments')),
    categories: values(checks, input.categories, at('categories'), { upper: true }),
    countries: values(checks, input.countries, at('countries'), { upper: true }),
    regions: values(checks, input.regions, at('regions'), { max: 100 }),
    productIdsHeld: [...new Set(input.productIdsHeld ?? [])],
    lifecycleStages: values(checks, input.lifecycleStages, at('lifecycleStages'), { allowed: LIFECYCLE_STAGES, upper: true }),
    customerTypes: values(checks, input.customerTypes, at('customerTypes'), { allowed: CUSTOMER_TYPES, upper: true }),
  };
  rules.countries.forEach((c, i) => {
    if (!COUNTRY.test(c)) checks.add('INVALID', 'An ISO 3166-1 alpha-2 code', [...at('countries'), String(i)]);
  });
  checks.uuids(input.productIdsHeld, at('productIdsHeld'), MAX_ITEMS);
  // Staff of some segments target only those: an audience without a segment rule would reach all of them.
  const mine = segmentsOf(principal);
  if (!mine.includes('*')) {
    if (rules.segments.length === 0) checks.add('REQUIRED', `Limit the audience to your segments (${mine.join(', ')})`, at('segments'));
    rules.segments.forEach((s, i) => {
      if (!mine.includes(s)) checks.add('FORBIDDEN', 'Not one of your segments', [...at('segments'), String(i)]);
    });
  }
  return rules;
}

type Normalized = Partial<
  Pick<ICampaign, 'name' | 'objective' | 'priority' | 'channels' | 'audience' | 'template' | 'promotionId' | 'startsAt' | 'endsAt'>
>;

/** Every problem with the fields given; absent fields (updates) are not checked. */
function validate(input: Fields, checks: Checks<ErrorCode>, principal: Principal): Normalized {
  const out: Normalized = {};
  if (input.name != null) {
    checks.text(input.name, f('name'), 200);
    out.name = input.name.trim();
  }
  if (input.objective != null) out.objective = input.objective;
  if (input.priority != null) {
    checks.int(input.priority, f('priority'), 0, 1000);
    out.priority = input.priority;
  }
  if (input.channels != null) {
    if (input.channels.length === 0) checks.add('REQUIRED', 'Give at least one channel', f('channels'));
    out.channels = [...new Set(input.channels)];
  }
  if (input.template != null) {
    checkTemplate(checks, input.template, f('template'));
    const t = input.template;
    out.template = {
      title: t.title.trim(),
      message: t.message.trim(),
      content: t.content?.trim() || null,
      link: t.link?.trim() || null,
      imageUrl: t.imageUrl?.trim() || null,
    };
  }
  if (input.audience != null) out.audience = audience(checks, input.audience, principal);
  if (input.promotionId != null) {
    checks.uuid(input.promotionId, f('promotionId'));
    out.promotionId = input.promotionId;
  } else if (input.promotionId === null) out.promotionId = null;
  if (input.startsAt != null) out.startsAt = input.startsAt;
  if (input.endsAt != null) out.endsAt = input.endsAt;
  return out;
}

function checkDates(checks: Checks<ErrorCode>, startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) checks.add('INVALID', 'Must be after startsAt', f('endsAt'));
}

/** The linked promotion must be one of this storefront's. */
async function checkPromotion(em: EntityManager, checks: Checks<ErrorCode>, storefrontId: string, promotionId: string | null | undefined) {
  if (!promotionId || !isUuid(promotionId)) return;
  const found = await em.count(PromotionRow, { id: promotionId, storefrontId });
  if (!found) checks.add('NOT_FOUND', 'No such promotion in this storefront', f('promotionId'));
}

/** Products held that the audience names must be the caller's brand's (as the catalog shows them to the caller). */
const checkHeld = (peers: Peers, principal: Principal, checks: Checks<ErrorCode>, audience: AudienceRules | undefined) =>
  checkProducts(
    peers,
    principal,
    checks,
    (audience?.productIdsHeld ?? []).map((id, i) => ({ id, field: f('audience', 'productIdsHeld', i) })),
  );

export async function campaignCreate(
  em: EntityManager,
  peers: Peers,
  principal: Principal,
  input: CampaignCreateInput,
): Promise<Result<ICampaign>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('FORBIDDEN', 'No storefront', f());
  const checks = new Checks<ErrorCode>();
  const data = validate(input, checks, principal);
  checkDates(checks, input.startsAt, input.endsAt);
  await checkPromotion(em, checks, storefrontId, data.promotionId);
  await checkHeld(peers, principal, checks, data.audience);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const campaign = em.create(Campaign, {
    storefrontId,
    name: data.name as string,
    objective: data.objective as string,
    status: 'DRAFT',
    priority: data.priority ?? 0,
    channels: data.channels ?? ['WEB', 'APP'],
    audience: data.audience as AudienceRules,
    template: data.template as OfferTemplate,
    promotionId: data.promotionId ?? null,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    createdBy: principal.id,
  });
  await em.flush();
  return ok(campaign);
}

export async function findCampaign(em: EntityManager, principal: Principal, id: string): Promise<ICampaign | null> {
  const storefrontId = actingStorefront(principal);
  return storefrontId && isUuid(id) ? em.findOne(Campaign, { id, storefrontId }) : null;
}

export async function campaignUpdate(
  em: EntityManager,
  peers: Peers,
  principal: Principal,
  input: CampaignUpdateInput,
): Promise<Result<ICampaign>> {
  const campaign = await findCampaign(em, principal, input.id);
  if (!campaign) return fail('NOT_FOUND', 'No such campaign', f('id'));
  const checks = new Checks<ErrorCode>();
  const { id: _id, version: _version, ...fields } = input;
  const data = validate(fields, checks, principal);
  checkDates(checks, data.startsAt ?? campaign.startsAt, data.endsAt ?? campaign.endsAt);
  await checkPromotion(em, checks, campaign.storefrontId, data.promotionId);
  await checkHeld(peers, principal, checks, data.audience);
  if (campaign.status !== 'DRAFT') checks.add('NOT_EDITABLE', `A ${campaign.status} campaign cannot be edited`, f('id'));
  if (campaign.version !== input.version)
    checks.add('CONFLICT', `The campaign changed since version ${input.version}; reload it`, f('version'));
  if (!checks.ok) return { ok: false, errors: checks.errors };
  // JSON fields are replaced whole, never merged.
  Object.assign(campaign, data);
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The campaign changed meanwhile; reload it', f('version'));
    throw error;
  }
  return ok(campaign);
}
