import {
  applyBatchOnce,
  type BulkAction,
  type BulkChecked,
  type BulkOutcome,
  type BulkRowData,
  type BulkScope,
  type MikroORM,
  type Peers,
  type Principal,
  remoteBulk,
  requestPrincipal,
  segmentsOf,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { customerImport } from './customer-import.js';
import { staffImport } from './staff-import.js';

/** A bulk action as the orchestration sees it, wherever it runs: here, or in the module that owns it. */
export type Orchestrated = {
  name: string;
  module: string;
  scope: string;
  validate(em: EntityManager, scope: BulkScope, rows: BulkRowData[]): Promise<BulkChecked[]>;
  apply(
    storefrontId: string,
    key: { operationId: string; batch: number },
    rows: { row: number; value: Record<string, unknown> }[],
  ): Promise<BulkOutcome[]>;
};

/** Other modules' actions, by name: reached over GraphQL (`_bulkValidate`/`_bulkApply`). */
const REMOTE = [
  { name: 'price.update', module: 'catalog', scope: 'catalog:write' },
  { name: 'lead.import', module: 'opportunity', scope: 'opportunity:write' },
];

/** The principal a batch of the operation's brand is written as: kit's brand guard holds it to that storefront. */
const batchPrincipal = (storefrontId: string): Principal => ({
  kind: 'service',
  id: 'customer',
  storefrontId,
  storefronts: [storefrontId],
  partnerId: null,
  roles: [],
  scopes: [],
});

function local(action: BulkAction, orm: MikroORM): Orchestrated {
  return {
    name: action.name,
    module: action.module,
    scope: action.scope,
    validate: (em, scope, rows) => action.validate(em, scope, rows),
    apply: (storefrontId, key, rows) =>
      requestPrincipal.run(async () => {
        const principal = batchPrincipal(storefrontId);
        requestPrincipal.bind(principal);
        return applyBatchOnce(orm.em.fork() as EntityManager, 'customer', key, (tx) =>
          action.applyBatch(tx, { principal, storefrontId }, rows),
        );
      }),
  };
}

function remote(spec: (typeof REMOTE)[number], peers: Peers): Orchestrated {
  const client = () => remoteBulk(peers(spec.module), 'customer');
  return {
    ...spec,
    // The uploader's segments travel with the rows: the module validates as if the staff member wrote them.
    validate: (_em, scope, rows) =>
      client().validate(spec.name, scope.storefrontId, rows, scope.principal.kind === 'staff' ? segmentsOf(scope.principal) : undefined),
    apply: (storefrontId, key, rows) => client().apply(spec.name, storefrontId, key, rows),
  };
}

export type BulkActions = ReadonlyMap<string, Orchestrated>;

export function bulkActions(orm: MikroORM, peers: Peers): BulkActions {
  const all = [...[customerImport, staffImport].map((a) => local(a, orm)), ...REMOTE.map((r) => remote(r, peers))];
  return new Map(all.map((a) => [a.name, a]));
}
