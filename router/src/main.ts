import { compactHeap, compactWhenIdle } from '@dcrm/kit/idle-compaction.js';
import { loggerFor } from '@dcrm/kit/logger.js';
import { internalSecret } from '@dcrm/kit/principal.js';
import { requiredSecret } from '@dcrm/kit/secrets.js';
import { exitOnStartupError, StartupError, stopOnSignals } from '@dcrm/kit/shutdown.js';
import { httpTarget } from '@dcrm/kit/targets.js';
import { startTracing } from '@dcrm/kit/tracing.js';
import { loadSupergraph, subgraphNames } from '@dcrm/schema';
import { createRouter } from './router.js';
import { sdkDocuments } from './warm-up.js';

/**
 * Production router: the subgraphs are those the supergraph names (`join__Graph`), so the router needs
 * no subgraph's code; each is a separate process found at `<NAME>_URL`
 * (e.g. CATALOG_URL=http://catalog:4001/graphql); `PORT` (4000), `HOST` (127.0.0.1) and
 * `DCRM_INTERNAL_SECRET` as for subgraphs; `DCRM_JWT_SECRET` unless `DCRM_JWKS_URL` is set.
 * Without its secrets it refuses to start.
 */
const start = async () => {
  await startTracing('router');
  const secret = internalSecret();
  if (!process.env.DCRM_JWKS_URL) requiredSecret('DCRM_JWT_SECRET');
  const supergraphSdl = loadSupergraph();
  const targets = subgraphNames(supergraphSdl).map((name) => {
    const url = process.env[`${name.toUpperCase()}_URL`];
    if (!url) throw new StartupError(`${name.toUpperCase()}_URL is not set`);
    return httpTarget(name, url, secret);
  });
  const router = await createRouter({
    supergraphSdl,
    targets,
    exposeSqlCount: process.env.DCRM_EXPOSE_SQL_COUNT === '1',
    exposeLiveStats: process.env.DCRM_EXPOSE_LIVE_STATS === '1',
    warmUp: sdkDocuments(),
  });
  // Start-up (the supergraph's parses, the views, the warm-up's plans) leaves garbage and a grown young
  // generation behind: collect it before serving, and again each time the router goes idle.
  compactHeap();
  compactWhenIdle();
  const port = Number(process.env.PORT ?? 4000);
  await router.listen(port);
  return { router, targets, port };
};
const { router, targets, port } = await start().catch(exitOnStartupError);
stopOnSignals(() => router.stop());
loggerFor('router').info(
  `router on http://${process.env.HOST || '127.0.0.1'}:${port}/graphql → ${targets.map((t) => t.name).join(', ')} (${router.warmedPlans} query plans built at start)`,
);
