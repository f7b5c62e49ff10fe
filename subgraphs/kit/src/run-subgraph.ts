import { openDatabase } from './database.js';
import { internalSecret } from './principal.js';
import { exitOnSecretError, requiredSecret } from './secrets.js';
import { bootSubgraph, type SubgraphDefinition } from './subgraph.js';

/**
 * Production entry point of one subgraph process: `PORT`, `HOST` (127.0.0.1), `DATABASE_URL`,
 * `DCRM_INTERNAL_SECRET` (and `DCRM_JWT_SECRET` for the customer subgraph). Without a secret it
 * refuses to start. Migrations run at start unless `DCRM_MIGRATE=false` (then run `pnpm db:migrate`
 * as a release step).
 */
export async function runSubgraph(definition: SubgraphDefinition, defaultPort: number): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  let secret: string;
  try {
    secret = internalSecret();
    for (const name of definition.secrets ?? []) requiredSecret(name);
  } catch (error) {
    exitOnSecretError(error);
  }
  const database = await openDatabase();
  const booted = await bootSubgraph(definition, {
    databaseUrl: database.url,
    secret,
    migrate: process.env.DCRM_MIGRATE !== 'false',
  });
  const port = Number(process.env.PORT ?? defaultPort);
  await booted.server.listen(port);
  console.log(`[dcrm] ${definition.name} subgraph on http://${process.env.HOST || '127.0.0.1'}:${port}/graphql`);
  const shutdown = async () => {
    await booted.server.stop();
    await booted.orm.close();
    await database.stop();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
