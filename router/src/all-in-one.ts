import { EXAMPLE_QUERY } from './example.js';
import { startStack } from './stack.js';

const port = Number(process.env.PORT ?? 4000);
const log = (line: string) => console.log(`[dcrm] ${line}`);
// Demo keys are fixed strings of the seed, so the Sandbox can be pre-filled before the seed runs.
const DEMO_KEYS = { volt: 'dcrm_pk_volt_demo_3f9c1a7e5b2d4c8a' };
const stack = await startStack({ log, sandboxHeaders: { 'x-api-key': DEMO_KEYS.volt } });
const storefronts = stack.seeded.catalog.storefronts as { name: string; apiKey: string }[];
const volt = storefronts[0];
await stack.router.listen(port);

const url = `http://localhost:${port}/graphql`;
console.log(`
dcrm is running — every subgraph in one process (${stack.database.embedded ? 'embedded PostgreSQL under .data/' : 'DATABASE_URL'})

  GraphQL + Sandbox  ${url}
  health             http://localhost:${port}/healthz   readiness: http://localhost:${port}/readyz

Demo storefront API keys (send as the x-api-key header):
${storefronts.map((s) => `  ${s.name.padEnd(12)} ${s.apiKey}`).join('\n')}

Try it:
  curl -s ${url} -H 'content-type: application/json' -H 'x-api-key: ${volt.apiKey}' \\
    --data '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') })}'
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await stack.stop();
    process.exit(0);
  });
}
