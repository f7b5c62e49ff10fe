/**
 * `pnpm db:migrate` — apply every subgraph's pending migrations (a release step in production).
 * `pnpm db:seed [--scale N] [--demo]` — migrations, then demo data (N extra generated products).
 * Both use DATABASE_URL, or the embedded PostgreSQL when it is unset.
 */
const command = process.argv[2];
const scaleAt = process.argv.indexOf('--scale');
const scale = scaleAt > 0 ? Number(process.argv[scaleAt + 1]) : undefined;
if (scale !== undefined && !(Number.isInteger(scale) && scale >= 0)) throw new Error('--scale takes a whole number');

// The demo data carries published passwords and API keys: never loaded into production by accident.
if (command === 'seed' && process.env.NODE_ENV === 'production' && !process.argv.includes('--demo')) {
  console.error(
    'db:seed loads demo data with publicly known passwords and API keys; refusing with NODE_ENV=production. ' +
      'Run `pnpm db:migrate` for a production database, or add --demo if this really is a demo installation.',
  );
  process.exit(1);
}

// Loaded after the checks, so a refusal is immediate.
const { openDatabase } = await import('@dcrm/kit');
const { provision } = await import('../provision.js');
const database = await openDatabase();
try {
  await provision(database.url, { seed: command === 'seed', scale, log: (line) => console.log(line) });
} finally {
  await database.stop();
}
