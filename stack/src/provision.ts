import { auditAs, createOrm, migrate } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SUBGRAPHS } from './subgraphs.js';

export type ProvisionOptions = { seed?: boolean; scale?: number; log?: (line: string) => void };

/**
 * Every subgraph's migrations, then (optionally) its demo data — what `pnpm db:migrate` / `db:seed`,
 * the test setup and the bench all do. Returns each subgraph's seed summary.
 */
export async function provision(databaseUrl: string, options: ProvisionOptions = {}): Promise<Record<string, Record<string, unknown>>> {
  const log = options.log ?? (() => {});
  const summaries: Record<string, Record<string, unknown>> = {};
  for (const definition of SUBGRAPHS) {
    const orm = await createOrm({
      name: definition.name,
      databaseUrl,
      entities: definition.entities,
      migrations: definition.migrations,
      auditExclude: definition.auditExclude,
    });
    try {
      const applied = await migrate(orm);
      log(`${definition.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
      if (options.seed && definition.seed) {
        const started = Date.now();
        const seed = definition.seed;
        summaries[definition.name] = await auditAs({ kind: 'system', id: 'seed' }, () =>
          seed(orm.em.fork() as EntityManager, { scale: options.scale }),
        );
        log(`${definition.name}: seeded in ${Date.now() - started} ms`);
        await settle(orm.em.fork() as EntityManager, definition.name);
      }
    } finally {
      await orm.close();
    }
  }
  return summaries;
}

/**
 * Planner statistics and a visibility map for the freshly seeded tables. A bulk load leaves neither, and where
 * autovacuum is off or has not come round yet, generic plans guess: at `--scale 1500` the storefront listing's
 * prepared page read all 1,057 assortment rows and their products to sort them (3,400 buffers, ~2.5 ms of
 * PostgreSQL CPU per request) where an index gives the first 25 in order (250 buffers); index-only scans need
 * the visibility map.
 */
async function settle(em: EntityManager, schema: string): Promise<void> {
  const tables = await em.execute<{ name: string }[]>(
    "select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname = ?",
    [schema],
  );
  if (tables.length) await em.execute(`vacuum (analyze) ${tables.map((t) => t.name).join(', ')}`);
}
