/**
 * `stack/bin/dcrm <command>` (and `stack/bin/serve <process>`) land here, as TypeScript through tsx on
 * a laptop or as the compiled build (`pnpm build`) in production:
 *   serve router | catalog | customer | cart | promotion | opportunity | ticket | quote | all-in-one
 *   migrate · seed [--scale N] [--demo] · bootstrap --storefront-name … (see bootstrap.ts)
 *   warm-profiles [--storefront <id>] (see warm-profiles.ts)
 * Only the chosen process's code is loaded, so a router process carries no subgraph.
 */
const [command, name] = process.argv.slice(2);
const PROCESSES = new Set(['router', 'catalog', 'customer', 'cart', 'promotion', 'opportunity', 'ticket', 'quote', 'all-in-one']);

if (command === 'serve' && name && PROCESSES.has(name)) {
  if (name === 'all-in-one') await import('../all-in-one.js');
  else await import(name === 'router' ? '@dcrm/router/main.js' : `@dcrm/${name}/main.js`);
} else if (command === 'migrate' || command === 'seed') {
  await import('./db.js');
} else if (command === 'bootstrap') {
  await import('./bootstrap.js');
} else if (command === 'warm-profiles') {
  await import('./warm-profiles.js');
} else {
  console.error(
    `usage: dcrm serve ${[...PROCESSES].join('|')} · dcrm migrate · dcrm seed [--scale N] [--demo] · dcrm bootstrap --help · dcrm warm-profiles`,
  );
  process.exit(64);
}
