/**
 * `stack/bin/dcrm warm-profiles [--storefront <id>] [--batch 5000]` — writes every account's decisioning
 * profile (of one brand, or all) into the hot copy in Redis, so stream events about them are decided
 * without a call to the customer subgraph. Run it before opening the event stream and again within a
 * day (the hot copy's TTL); profile changes in between are written by the customer subgraph as they commit.
 * Uses DATABASE_URL and REDIS_URL.
 */
const option = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const { createOrm, databaseNamespace, executeBound, exitOnStartupError, hotProfiles } = await import('@dcrm/kit');
const { warmDecisionProfiles } = await import('@dcrm/customer/domain/decision-profiles.js');
const { entities } = await import('@dcrm/customer/entities/index.js');

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (!databaseUrl || !redisUrl) exitOnStartupError(new Error('warm-profiles needs DATABASE_URL and REDIS_URL'));
const batch = Number(option('--batch') ?? 5_000);
if (!(Number.isInteger(batch) && batch > 0)) exitOnStartupError(new Error('--batch takes a whole number above 0'));

const orm = await createOrm({ name: 'customer', databaseUrl: databaseUrl as string, entities, migrations: [], poolSize: 1 });
const hot = hotProfiles(redisUrl as string, databaseNamespace(orm));
const started = Date.now();
try {
  const written = await warmDecisionProfiles((sql, params) => executeBound(orm.em.fork(), sql, params), hot, {
    storefrontId: option('--storefront'),
    batch,
  });
  console.log(`[warm-profiles] ${written} profiles in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await hot.close();
  await orm.close();
}
