/**
 * The demo data carries published passwords and API keys: never loaded into production by accident.
 * Exits with one clear line when `NODE_ENV=production` and `--demo` was not given.
 */
export function refuseDemoDataInProduction(command: string): void {
  if (process.env.NODE_ENV !== 'production' || process.argv.includes('--demo')) return;
  console.error(
    `${command} loads demo data with publicly known passwords and API keys; refusing with NODE_ENV=production. ` +
      'Run `pnpm db:migrate` and the separate processes for a production database (README, Production), ' +
      'or add --demo if this really is a demo installation.',
  );
  process.exit(1);
}
