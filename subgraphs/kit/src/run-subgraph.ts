import { openDatabase } from './database.js';
import { internalSecret } from './principal.js';
import { bootSubgraph, type SubgraphDefinition } from './subgraph.js';

/**
 * Production entry point of one subgraph process: `PORT`, `DATABASE_URL`, `DCRM_INTERNAL_SECRET`.
 * Migrations run at start unless `DCRM_MIGRATE=false` (then run `pnpm db:migrate` as a release step).
 */
export async function runSubgraph(definition: SubgraphDefinition, defaultPort: number): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const database = await openDatabase();
  const booted = await bootSubgraph(definition, {
    databaseUrl: database.url,
    secret: internalSecret(),
    migrate: process.env.DCRM_MIGRATE !== 'false',
  });
  const port = Number(process.env.PORT ?? defaultPort);
  await booted.server.listen(port);
  console.log(`[dcrm] ${definition.name} subgraph on http://localhost:${port}/graphql`);
  const shutdown = async () => {
    await booted.server.stop();
    await booted.orm.close();
    await database.stop();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
