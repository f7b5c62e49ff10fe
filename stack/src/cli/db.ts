/**
 * `pnpm db:migrate` — apply every subgraph's pending migrations (a release step in production).
 * `pnpm db:seed [--scale N] [--demo]` — migrations, then demo data (N extra generated products).
 * Both use DATABASE_URL, or the embedded PostgreSQL when it is unset.
 */
import { refuseDemoDataInProduction } from './demo-guard.js';

const command = process.argv[2];
const scaleAt = process.argv.indexOf('--scale');
const scale = scaleAt > 0 ? Number(process.argv[scaleAt + 1]) : undefined;
if (scale !== undefined && !(Number.isInteger(scale) && scale >= 0)) throw new Error('--scale takes a whole number');

if (command === 'seed') refuseDemoDataInProduction('db:seed');

// Loaded after the checks, so a refusal is immediate.
const { exitOnStartupError, openDatabase } = await import('@dcrm/kit');
const { provision } = await import('../provision.js');
const database = await openDatabase().catch(exitOnStartupError);
try {
  await provision(database.url, { seed: command === 'seed', scale, log: (line) => console.log(line) });
} catch (error) {
  await database.stop();
  exitOnStartupError(error);
}
await database.stop();
