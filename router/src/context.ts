import type { Principal } from '@dcrm/kit/principal.js';
import type { CostClient } from './cost/client.js';

/**
 * The context of every operation the router runs. `warmUp`: planning only (see warm-up.ts) — no fetch
 * reaches a subgraph. `cost`: the bucket an HTTP request spends from (the router's own operations have
 * none and are not charged).
 */
export type RouterContext = { principal: Principal; warmUp?: boolean; cost?: CostClient };
