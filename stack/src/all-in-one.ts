import type { AddressInfo } from 'node:net';
import { refuseDemoDataInProduction } from './cli/demo-guard.js';

refuseDemoDataInProduction('pnpm start (the all-in-one demo)');
// Loaded after the check, so a refusal is immediate.
const { DEMO_KEYS } = await import('@dcrm/customer/seed/demo.js');
const { EXAMPLE_QUERY } = await import('./example.js');
const { startStack } = await import('./stack.js');
const { exitOnStartupError, loggerFor, StartupError, startTracing, stopOnSignals } = await import('@dcrm/kit');
const { compactHeap } = await import('@dcrm/kit/idle-compaction.js');

const DEFAULT_PORT = 4000;
const log = (line: string) => loggerFor('stack').info(line);
// The demo storefront key is a fixed string of the seed, so GraphiQL is pre-filled with it and the example query.
const start = async () => {
  // One process, one service name: spans say which part they are in (`dcrm.service`, `dcrm.subgraph`).
  await startTracing('dcrm');
  const stack = await startStack({
    log,
    graphiql: { headers: { 'x-api-key': DEMO_KEYS.voltPublic }, defaultQuery: EXAMPLE_QUERY },
    exposeLiveStats: process.env.DCRM_EXPOSE_LIVE_STATS === '1',
    warmUp: true,
  });
  // PORT set: that port or a clear error. Unset: 4000, or — when something already listens there — a
  // free port the system picks, which the banner below shows (a first run never fails on a busy 4000).
  const server = await stack.router
    .listen(Number(process.env.PORT ?? DEFAULT_PORT))
    .catch((error: unknown) => {
      if (process.env.PORT !== undefined || !(error instanceof StartupError)) throw error;
      log(`port ${DEFAULT_PORT} is in use: listening on a free port instead (set PORT to choose one)`);
      return stack.router.listen(0);
    })
    .catch(async (error: unknown) => {
      await stack.stop();
      throw error;
    });
  return { stack, port: (server.address() as AddressInfo).port };
};
const { stack, port } = await start().catch(exitOnStartupError);
stopOnSignals(() => stack.stop(), log);
// Start-up garbage out (kit's idle-compaction.ts). Not on going idle here yet: tests/graceful-shutdown.test.ts
// ("SIGTERM to the pnpm process") lost requests with or without that timer, to connections still in the
// kernel's accept queue when the drain closed the listening socket (kit http.ts now keeps it until idle).
compactHeap();
type Demo = { password: string; customers: string[]; staff: string[]; partners: string[]; keys: Record<string, string> };
const demo = stack.seeded.customer as Demo;

const url = `http://localhost:${port}/graphql`;
console.log(`
dcrm is running — every subgraph in one process (${stack.database.embedded ? 'embedded PostgreSQL under .data/' : 'DATABASE_URL'})

  GraphQL + GraphiQL ${url}
  live offers        ws://localhost:${port}/graphql (graphql-ws: offerReceived, storefrontOffers)
  health             http://localhost:${port}/healthz   readiness: http://localhost:${port}/readyz

Demo API keys (x-api-key):
  Volt Mobile storefront   ${demo.keys.voltPublic}
  Nimbus Home storefront   ${demo.keys.nimbusPublic}
  Volt chatbot (private)   ${demo.keys.voltChatbot}
  Connectify partner       ${demo.keys.connectifyPartner}

Demo sign-ins (password ${demo.password}): customerLogin (with the Volt key) ${demo.customers.join(', ')}
  staffLogin ${demo.staff.join('; ')}
  partnerLogin ${demo.partners.join(', ')}
Demo promo codes: ${(stack.seeded.promotion as { coupons?: string[] }).coupons?.join(', ') ?? '–'}

Try it:
  curl -s ${url} -H 'content-type: application/json' -H 'x-api-key: ${demo.keys.voltPublic}' \\
    --data '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') })}'
`);
