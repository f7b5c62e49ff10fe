import type { Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PromotionServices } from './domain/services.js';

export type PromotionLoaders = ReturnType<typeof createPromotionLoaders>;

export function createPromotionLoaders(em: EntityManager, principal: Principal, services: PromotionServices) {
  void em;
  void principal;
  void services;
  return {};
}
