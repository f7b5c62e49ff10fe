import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Principal, SubgraphRequest, SubgraphTarget } from '@dcrm/kit';
import type { CostClient } from './cost/plugin.js';
import { WARM_UP_RESPONSE } from './warm-up.js';

/**
 * `warmUp`: planning only (see warm-up.ts) — no fetch reaches a subgraph. `cost`: the bucket an HTTP
 * request spends from (the router's own operations have none and are not charged).
 */
export type RouterContext = { principal: Principal; warmUp?: boolean; cost?: CostClient };

/** The gateway's data source: the operation the query planner built, sent with the caller's signed principal. */
export class TargetDataSource implements GraphQLDataSource<RouterContext> {
  constructor(private readonly target: SubgraphTarget) {}

  async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<GatewayGraphQLResponse> {
    const context = options.context as Partial<RouterContext>;
    if (context.warmUp) return WARM_UP_RESPONSE;
    const principal = context.principal;
    // Health checks and schema loads carry no caller: they run with no rights at all.
    const as: Principal = principal ?? { kind: 'anonymous', id: null, storefrontId: null, partnerId: null, roles: [], scopes: [] };
    const { query, variables, operationName } = options.request;
    const request: SubgraphRequest = { query: query as string };
    if (variables) request.variables = variables as Record<string, unknown>;
    if (operationName) request.operationName = operationName;
    return this.target.execute(request, as);
  }
}
