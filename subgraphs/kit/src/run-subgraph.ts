import { openDatabase } from './database.js';
import { compactHeap, compactWhenIdle } from './idle-compaction.js';
import { loggerFor } from './logger.js';
import { internalSecret } from './principal.js';
import { requiredSecret } from './secrets.js';
import { exitOnStartupError, stopOnSignals } from './shutdown.js';
import { bootSubgraph, type SubgraphDefinition } from './subgraph.js';
import { startTracing } from './tracing.js';

/**
 * Production entry point of one subgraph process: `PORT`, `HOST` (127.0.0.1), `DATABASE_URL`,
 * `DCRM_INTERNAL_SECRET` (and `DCRM_JWT_SECRET` for the customer subgraph). Without a secret it
 * refuses to start. Migrations run at start unless `DCRM_MIGRATE=false` (then run `pnpm db:migrate`
 * as a release step). SIGTERM/SIGINT drain it: see `stopOnSignals`.
 */
export async function runSubgraph(definition: SubgraphDefinition, defaultPort: number): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const start = async () => {
    await startTracing(definition.name);
    const secret = internalSecret();
    for (const name of definition.secrets ?? []) requiredSecret(name);
    const database = await openDatabase();
    const booted = await bootSubgraph(definition, {
      databaseUrl: database.url,
      secret,
      migrate: process.env.DCRM_MIGRATE !== 'false',
    });
    // Start-up garbage out before serving, and the heap compacted again each time the process goes idle.
    compactHeap();
    compactWhenIdle();
    const port = Number(process.env.PORT ?? defaultPort);
    await booted.server.listen(port);
    return { database, booted, port };
  };
  const { database, booted, port } = await start().catch(exitOnStartupError);
  // HTTP drained and job workers stopped (server.stop), then the ORM's pool, then the database.
  stopOnSignals(async () => {
    await booted.server.stop();
    await booted.orm.close();
    await database.stop();
  });
  loggerFor(definition.name).info(`${definition.name} subgraph on http://${process.env.HOST || '127.0.0.1'}:${port}/graphql`);
}
