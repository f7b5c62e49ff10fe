import type { EventBus, MikroORM } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DecisionRule, DecisionSettingsRow, EventTypeRow, PromotionRow } from '../../entities/index.js';
import { builtInSpec, compileCustom, type EventTypeSpec } from './event-types.js';
import type { RuleView } from './rules.js';

/** Staff changed a brand's decision rules or event types: every instance drops its cached copy. Payload `{ storefrontId }`. */
export const DECISION_RULES_CHANGED = 'dcrm.decision.rules.changed';

/** How long a brand's rules are used before they are read again (changes also arrive by the bus at once). */
const TTL_MS = 5_000;

/** A brand's decisioning settings as arbitration uses them (no row: no global budget, a sample of 20). */
export type BrandSettings = { dailyActionCap: number | null; dailyBudgetMinor: number | null; channelMinSample: number };
export const DEFAULT_SETTINGS: BrandSettings = { dailyActionCap: null, dailyBudgetMinor: null, channelMinSample: 20 };

type BrandSet = {
  rules: RuleView[];
  types: Map<string, EventTypeSpec>;
  coupons: Map<string, string | null>;
  settings: BrandSettings;
  until: number;
};

export type TypeCatalog = { spec(storefrontId: string, type: string): EventTypeSpec | null };

/**
 * A brand's active decision rules, settings, custom event types (their schemas compiled once per load) and the
 * coupon codes of promotions the rules name: read from the database at most every few seconds per
 * brand, never per event. `load` must run for a brand before `spec`/`rules` answer for it.
 */
export function ruleCache(orm: MikroORM, bus: EventBus) {
  const brands = new Map<string, BrandSet>();
  const loading = new Map<string, Promise<BrandSet>>();
  const read = async (storefrontId: string): Promise<BrandSet> => {
    const em = orm.em.fork() as EntityManager;
    const [rules, types, settings] = await Promise.all([
      em.find(DecisionRule, { storefrontId, active: true }),
      em.find(EventTypeRow, { storefrontId }),
      em.findOne(DecisionSettingsRow, { storefrontId }),
    ]);
    const promotionIds = [...new Set(rules.map((r) => r.action.promotionId).filter((id): id is string => !!id))];
    const promotions = promotionIds.length ? await em.find(PromotionRow, { id: { $in: promotionIds }, storefrontId, active: true }) : [];
    const compiled = new Map<string, EventTypeSpec>();
    for (const t of types) {
      const result = compileCustom(t.name, t.payloadSchema);
      if ('spec' in result) compiled.set(t.name, result.spec);
    }
    return {
      rules,
      types: compiled,
      coupons: new Map(promotions.map((p) => [p.id, p.couponCode ?? null])),
      settings: settings
        ? {
            dailyActionCap: settings.dailyActionCap ?? null,
            dailyBudgetMinor: settings.dailyBudgetMinor ?? null,
            channelMinSample: settings.channelMinSample,
          }
        : DEFAULT_SETTINGS,
      until: Date.now() + TTL_MS,
    };
  };
  const unsubscribe = bus.subscribe(DECISION_RULES_CHANGED, (payload) => {
    const storefrontId = (payload as { storefrontId?: string } | null)?.storefrontId;
    if (storefrontId) brands.delete(storefrontId);
  });
  return {
    /** Makes sure these brands' sets are fresh (one read per stale brand, shared by concurrent callers). */
    async load(storefrontIds: Iterable<string>): Promise<void> {
      const stale = [...new Set(storefrontIds)].filter((id) => (brands.get(id)?.until ?? 0) <= Date.now());
      await Promise.all(
        stale.map((id) => {
          let p = loading.get(id);
          if (!p) {
            p = read(id)
              .then((set) => {
                brands.set(id, set);
                return set;
              })
              .finally(() => loading.delete(id));
            loading.set(id, p);
          }
          return p;
        }),
      );
    },
    spec: (storefrontId: string, type: string): EventTypeSpec | null =>
      builtInSpec(type) ?? brands.get(storefrontId)?.types.get(type) ?? null,
    rules: (storefrontId: string): RuleView[] => brands.get(storefrontId)?.rules ?? [],
    settings: (storefrontId: string): BrandSettings => brands.get(storefrontId)?.settings ?? DEFAULT_SETTINGS,
    coupon: (storefrontId: string, promotionId: string) => brands.get(storefrontId)?.coupons.get(promotionId) ?? null,
    /** Whether a rule's promotion is still active (a missing one makes the rule's action void). */
    hasPromotion: (storefrontId: string, promotionId: string) => brands.get(storefrontId)?.coupons.has(promotionId) ?? false,
    forget: (storefrontId: string) => brands.delete(storefrontId),
    close: async () => (await unsubscribe)(),
  };
}
export type RuleCache = ReturnType<typeof ruleCache>;
