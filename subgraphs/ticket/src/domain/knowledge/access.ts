import { actingStorefront, hasScope, type Principal } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { IArticle } from '../../entities/index.js';

/** Staff read every article of their brand with `knowledge:read`, write drafts with `knowledge:write`, publish with `knowledge:publish`. */
export const KNOWLEDGE_READ = 'knowledge:read';
export const KNOWLEDGE_WRITE = 'knowledge:write';
export const KNOWLEDGE_PUBLISH = 'knowledge:publish';

/**
 * Who reads the knowledge base, and how much of it: staff with `knowledge:read` every status of the
 * storefront they act in; customers, partners, storefront keys (and other staff) its PUBLISHED articles.
 * Null: nothing (no storefront, or a service).
 */
export type ArticleReader = { storefrontId: string; allStatuses: boolean; staff: boolean };

export function articleReader(principal: Principal): ArticleReader | null {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return null;
  if (principal.kind === 'staff') return { storefrontId, allStatuses: hasScope(principal, KNOWLEDGE_READ), staff: true };
  if (principal.kind === 'customer' || principal.kind === 'anonymous' || principal.kind === 'partner') {
    return { storefrontId, allStatuses: false, staff: false };
  }
  return null;
}

/** The articles a reader may see, as a filter. */
export function articleScope(reader: ArticleReader | null): FilterQuery<IArticle> | null {
  if (!reader) return null;
  return reader.allStatuses ? { storefrontId: reader.storefrontId } : { storefrontId: reader.storefrontId, status: 'PUBLISHED' };
}
