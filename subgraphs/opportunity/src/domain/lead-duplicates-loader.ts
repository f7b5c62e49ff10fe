import type { DuplicateMatch } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { ILead } from '../entities/index.js';
import { candidateLeads, matchAll, type StoredKeys } from './lead-duplicates.js';

/**
 * Per request: the possible duplicates of any number of leads, one candidates query per storefront
 * among them (rows are loaded leads, so already visible to the caller). The matches name leads of the
 * whole storefront; the resolver keeps those the caller may see (through the lead loader).
 */
export const leadDuplicatesLoader = (em: EntityManager) =>
  new DataLoader<ILead, DuplicateMatch[], string>(
    async (leads) => {
      const found = new Map<string, DuplicateMatch[]>();
      for (const storefrontId of new Set(leads.map((l) => l.storefrontId))) {
        const mine: StoredKeys[] = leads
          .filter((l) => l.storefrontId === storefrontId)
          .map((l) => ({
            id: l.id,
            keys: {
              email: l.emailKey ?? null,
              mobile: l.mobileKey ?? null,
              name: l.nameKey ?? null,
              address: l.addressKey ?? null,
              interests: l.interestKeys ?? [],
            },
          }));
        const candidates = await candidateLeads(
          (q, p) => em.execute(q, p),
          storefrontId,
          mine.map((m) => m.keys),
        );
        for (const [id, matches] of matchAll(mine, candidates)) found.set(id, matches);
      }
      return leads.map((l) => found.get(l.id) ?? []);
    },
    { cacheKeyFn: (l) => l.id },
  );
