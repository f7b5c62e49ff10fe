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
      }
    } finally {
      await orm.close();
    }
  }
  return summaries;
}
