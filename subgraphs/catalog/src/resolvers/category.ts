import { badInput, notFound, payload, type Resolvers } from '@dcrm/kit';
import { type CategoryCreateInput, categoryCreate } from '../domain/category-write.js';
import type { CategoryView } from '../entities/views.js';
import type { CatalogContext } from './context.js';

/** Categories are a global taxonomy; a storefront sees those holding its products. */
async function visibleCategories(ctx: CatalogContext): Promise<CategoryView[]> {
  const tree = await ctx.loaders.categoryTree();
  return tree.all.filter((c) => (tree.counts.get(c.id) ?? 0) > 0);
}

/** Depth-first, siblings by position then name: a flat list a client can render as a tree. */
function treeOrder(categories: CategoryView[]): CategoryView[] {
  const children = new Map<string | null, CategoryView[]>();
  const ids = new Set(categories.map((c) => c.id));
  for (const c of categories) {
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const out: CategoryView[] = [];
  const walk = (parent: string | null) => {
    for (const c of children.get(parent) ?? []) {
      out.push(c);
      walk(c.id);
    }
  };
  walk(null);
  return out;
}

export const categoryResolvers: Resolvers = {
  Query: {
    categories: async (_: unknown, __: unknown, ctx: CatalogContext) => treeOrder(await visibleCategories(ctx)),
    category: async (_: unknown, args: { id?: string; slug?: string }, ctx: CatalogContext) => {
      if ((args.id == null) === (args.slug == null)) throw badInput('Give exactly one of id or slug');
      const found = (await visibleCategories(ctx)).find((c) => (args.id ? c.id === args.id : c.slug === args.slug));
      if (!found) throw notFound('Category');
      return found;
    },
  },
  Mutation: {
    categoryCreate: async (_: unknown, args: { input: CategoryCreateInput }, ctx: CatalogContext) =>
      payload('category', await categoryCreate(ctx.em, ctx.principal, args.input)),
  },
  Category: {
    __resolveReference: (ref: { id: string }, ctx: CatalogContext) => ctx.loaders.category.load(ref.id),
    parent: (c: CategoryView, _: unknown, ctx: CatalogContext) => (c.parentId ? ctx.loaders.category.load(c.parentId) : null),
    children: async (c: CategoryView, _: unknown, ctx: CatalogContext) => (await visibleCategories(ctx)).filter((x) => x.parentId === c.id),
    productCount: async (c: CategoryView, _: unknown, ctx: CatalogContext) => (await ctx.loaders.categoryTree()).counts.get(c.id) ?? 0,
  },
};
