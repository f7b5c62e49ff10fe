import { actingStorefront, Checks, fail, fromMinor, ok, type Principal, segmentsOf } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DecisionSettingsRow } from '../../entities/index.js';
import type { ErrorCode, Result } from '../promotion.errors.js';
import type { PromotionServices } from '../services.js';
import { netRate } from './channels.js';
import { amountMinor } from './money.js';
import { DECISION_RULES_CHANGED, DEFAULT_SETTINGS } from './rule-cache.js';
import { dayOf } from './store.js';
import { DECISION_CHANNELS, type DecisionChannel } from './types.js';

export type DecisionSettingsView = {
  dailyActionCap: number | null;
  actionsToday: number;
  /** Decimal strings in the brand's currency (kept in minor units). */
  dailyBudget: string | null;
  spentToday: string;
  channelMinSample: number;
  version: number;
  updatedAt: Date | null;
};

export type DecisionSettingsSetInput = {
  version: number;
  dailyActionCap?: number | null;
  dailyBudget?: string | null;
  channelMinSample?: number | null;
};

const field = (name: string) => ['input', name];

async function view(em: EntityManager, services: PromotionServices, storefrontId: string): Promise<DecisionSettingsView> {
  const row = await em.findOne(DecisionSettingsRow, { storefrontId });
  const day = dayOf(services.clock.now().getTime());
  const used = services.decisioning ? await services.decisioning.store.brandDay(storefrontId, day) : { actions: 0, spentMinor: 0 };
  const budget = row ? (row.dailyBudgetMinor ?? null) : DEFAULT_SETTINGS.dailyBudgetMinor;
  return {
    dailyActionCap: row ? (row.dailyActionCap ?? null) : DEFAULT_SETTINGS.dailyActionCap,
    actionsToday: used.actions,
    dailyBudget: budget === null ? null : fromMinor(budget),
    spentToday: fromMinor(used.spentMinor),
    channelMinSample: row?.channelMinSample ?? DEFAULT_SETTINGS.channelMinSample,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt ?? null,
  };
}

/** Staff: the acting brand's settings (the defaults until someone sets them), with today's actions against the budget. */
export async function decisionSettingsOf(
  em: EntityManager,
  services: PromotionServices,
  principal: Principal,
): Promise<DecisionSettingsView> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId)
    return {
      dailyActionCap: null,
      actionsToday: 0,
      dailyBudget: null,
      spentToday: '0.00',
      channelMinSample: DEFAULT_SETTINGS.channelMinSample,
      version: 0,
      updatedAt: null,
    };
  return view(em, services, storefrontId);
}

/**
 * Staff of the acting brand: change its decisioning settings. An absent field is kept; `dailyActionCap:
 * null` removes the cap on actions, `dailyBudget: null` the cap on spend. Every instance drops its cached copy at once (the rules' change event).
 */
export async function decisionSettingsSet(
  em: EntityManager,
  services: PromotionServices,
  principal: Principal,
  input: DecisionSettingsSetInput,
): Promise<Result<DecisionSettingsView>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('NO_STOREFRONT', 'Sign in to a storefront first');
  const checks = new Checks<ErrorCode>();
  checks.int(input.dailyActionCap, field('dailyActionCap'), 0, 100_000_000);
  checks.int(input.channelMinSample, field('channelMinSample'), 1, 100_000);
  const budgetMinor = amountMinor(checks, input.dailyBudget, field('dailyBudget'));
  checks.int(input.version, field('version'), 0, 2_000_000_000);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const row = await em.findOne(DecisionSettingsRow, { storefrontId });
  if ((row?.version ?? 0) !== input.version)
    return fail('CONFLICT', `The settings changed since version ${input.version}; reload them`, field('version'));
  const now = services.clock.now();
  const next = row ?? em.create(DecisionSettingsRow, { storefrontId, ...DEFAULT_SETTINGS, updatedAt: now });
  if (input.dailyActionCap !== undefined) next.dailyActionCap = input.dailyActionCap;
  if (input.dailyBudget !== undefined) next.dailyBudgetMinor = budgetMinor;
  if (input.channelMinSample != null) next.channelMinSample = input.channelMinSample;
  next.updatedAt = now;
  try {
    await em.flush();
  } catch (error) {
    // Two writes at once: the primary key (first write) or the version (later ones) keeps one.
    if (['UniqueConstraintViolationException', 'OptimisticLockError'].includes((error as Error).name))
      return fail('CONFLICT', 'The settings changed meanwhile; reload them', field('version'));
    throw error;
  }
  services.decisioning?.rules.forget(storefrontId);
  await services.bus.publish(DECISION_RULES_CHANGED, { storefrontId }).catch(() => {});
  return ok(await view(em, services, storefrontId));
}

export type ChannelRate = { channel: DecisionChannel; sent: number; responded: number; declined: number; rate: number | null };

/**
 * Staff: each channel's offers sent, accepted and declined over the last 7 days — the counts channel choice ranks
 * by —, in one of their segments, or brand-wide for staff of every segment; empty for a segment they do not hold.
 */
export async function decisionChannelRates(
  services: PromotionServices,
  principal: Principal,
  segment: string | null,
): Promise<ChannelRate[]> {
  const storefrontId = actingStorefront(principal);
  const d = services.decisioning;
  if (!storefrontId || !d || principal.kind !== 'staff') return [];
  const held = segmentsOf(principal);
  if (!held.includes('*') && (segment === null || !held.includes(segment))) return [];
  const stats = await d.brands.stats(storefrontId, segment ?? '*', services.clock.now().getTime());
  return DECISION_CHANNELS.map((channel) => {
    const counts = (segment === null ? stats.brand : stats.segment).get(channel) ?? { sent: 0, responded: 0, declined: 0 };
    return { channel, ...counts, rate: counts.sent > 0 ? netRate(counts) : null };
  });
}
