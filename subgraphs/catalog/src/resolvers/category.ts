import { badInput, notFound, pageList, parsePage, payload } from '@dcrm/kit';
import { categoryCreate } from '../domain/category-write.js';
import type { CategoryView } from '../entities/views.js';
import type { CatalogContext, CatalogResolvers } from './context.js';

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

export const categoryResolvers: CatalogResolvers = {
  Query: {
    // The taxonomy is small and the request loads it whole: paged in memory, in tree order.
    categories: async (_, args, ctx) =>
      pageList(treeOrder(await visibleCategories(ctx)), parsePage(args, 'TREE', 1), 'TREE', (c) => [c.id]),
    category: async (_, args, ctx) => {
      if ((args.id == null) === (args.slug == null)) throw badInput('Give exactly one of id or slug');
      const found = (await visibleCategories(ctx)).find((c) => (args.id ? c.id === args.id : c.slug === args.slug));
      if (!found) throw notFound('Category');
      return found;
    },
  },
  Mutation: {
    categoryCreate: async (_, { input }, ctx) => payload('category', await categoryCreate(ctx.em, ctx.principal, input)),
  },
  Category: {
    __resolveReference: (ref, ctx) => ctx.loaders.category.load(ref.id),
    parent: (c, _, ctx) => (c.parentId ? ctx.loaders.category.load(c.parentId) : null),
    children: async (c, _, ctx) => (await visibleCategories(ctx)).filter((x) => x.parentId === c.id),
    productCount: async (c, _, ctx) => (await ctx.loaders.categoryTree()).counts.get(c.id) ?? 0,
  },
};
