import { Checks, fail, mayActOnEveryBrand, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Category } from '../entities/index.js';
import type { CategoryView } from '../entities/views.js';
import { categoryWriteRefused } from './brand-scope.js';
import type { ErrorCode, Result } from './catalog.errors.js';

export type CategoryCreateInput = { slug: string; name: string; parentId?: string | null };

export async function categoryCreate(em: EntityManager, principal: Principal, input: CategoryCreateInput): Promise<Result<CategoryView>> {
  if (!mayActOnEveryBrand(principal)) return categoryWriteRefused();
  const checks = new Checks<ErrorCode>();
  checks.slug(input.slug, ['input', 'slug']);
  checks.text(input.name, ['input', 'name'], 255);
  checks.uuid(input.parentId, ['input', 'parentId']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (input.parentId && !(await em.count(Category, { id: input.parentId })))
    return fail('NOT_FOUND', 'No such category', ['input', 'parentId']);
  if (await em.count(Category, { slug: input.slug })) return fail('TAKEN', 'Slug is already in use', ['input', 'slug']);
  const category = await em.transactional(async (tx) =>
    tx.create(Category, {
      slug: input.slug,
      name: input.name.trim(),
      parent: input.parentId ? tx.getReference(Category, input.parentId) : null,
      position: 0,
    }),
  );
  return ok({ id: category.id, slug: category.slug, name: category.name, parentId: input.parentId ?? null, position: category.position });
}
