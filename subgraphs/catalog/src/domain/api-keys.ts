import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { StorefrontKey } from '../entities/index.js';

/** API keys are long random strings, so a fast hash is right (no KDF needed); only the hash is stored. */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');
export const keyPrefix = (key: string): string => key.slice(0, 16);

export async function verifyStorefrontKey(em: EntityManager, key: string): Promise<{ keyId: string; storefrontId: string } | null> {
  if (key.length < 16 || key.length > 200) return null;
  const found = await em.findOne(StorefrontKey, { hash: hashKey(key), revokedAt: null });
  return found ? { keyId: found.id, storefrontId: found.storefront.id } : null;
}
