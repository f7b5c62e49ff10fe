/**
 * `pnpm db:migrate` — apply every subgraph's pending migrations (a release step in production).
 * `pnpm db:seed [--scale N]` — migrations, then demo data (N extra generated products).
 * Both use DATABASE_URL, or the embedded PostgreSQL when it is unset.
 */
import { createOrm, migrate, openDatabase } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SUBGRAPHS } from '../subgraphs.js';

const command = process.argv[2];
const scaleAt = process.argv.indexOf('--scale');
const scale = scaleAt > 0 ? Number(process.argv[scaleAt + 1]) : undefined;
if (scale !== undefined && !(Number.isInteger(scale) && scale >= 0)) throw new Error('--scale takes a whole number');

const database = await openDatabase();
try {
  for (const definition of SUBGRAPHS) {
    const orm = await createOrm({
      name: definition.name,
      databaseUrl: database.url,
      entities: definition.entities,
      migrations: definition.migrations,
    });
    try {
      const applied = await migrate(orm);
      console.log(`${definition.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
      if (command === 'seed' && definition.seed) {
        const started = Date.now();
        const summary = await definition.seed(orm.em.fork() as EntityManager, { scale });
        console.log(`${definition.name}: seeded in ${Date.now() - started} ms`, JSON.stringify(summary));
      }
    } finally {
      await orm.close();
    }
  }
} finally {
  await database.stop();
}
