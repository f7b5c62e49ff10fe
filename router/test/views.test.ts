import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import type { GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { type Principal, servicePrincipal } from '@dcrm/kit';
import { buildSchema, execute, isEnumType, isInputObjectType } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadViews, schemaFor, serversPerView } from '../src/views.js';

// The whole API has `secret`; every view of it here lacks it.
const api = buildSchema('type Query { open: Int, secret: Int }');
const view = buildSchema('type Query { open: Int }');
const views = { storefront: view, partner: view, staff: view };

/** A gateway over `api` that answers everything itself, introspection included (as ApolloGateway does). */
function fakeGateway() {
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  const gateway = {
    loads: 0,
    onSchemaLoadOrUpdate(listener: GatewaySchemaLoadOrUpdateCallback) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async load() {
      gateway.loads += 1;
      for (const listener of listeners) listener({ apiSchema: api, coreSupergraphSdl: '' });
      return {
        executor: async ({ document, operationName }) =>
          execute({ schema: api, document, operationName: operationName ?? undefined, rootValue: { open: 1, secret: 2 } }),
      } satisfies Awaited<ReturnType<GatewayInterface['load']>>;
    },
    stop: vi.fn(async () => {}),
  };
  return gateway;
}

let servers: ApolloServer[] = [];
afterEach(async () => {
  for (const server of servers.reverse()) await server.stop();
  servers = [];
});

async function start() {
  const gateway = fakeGateway();
  const perView = serversPerView(gateway, views, (viewed) => new ApolloServer({ gateway: viewed }));
  servers = Object.values(perView);
  for (const server of servers) await server.start();
  const run = async (server: ApolloServer, query: string) => {
    const response = await server.executeOperation({ query });
    return response.body.kind === 'single' ? response.body.singleResult : null;
  };
  return { gateway, perView, run };
}

describe('serversPerView', () => {
  it('loads the gateway once, and stops it with the last server', async () => {
    const { gateway } = await start();
    expect(gateway.loads).toBe(1);
    for (const server of servers.slice(0, -1)) await server.stop();
    expect(gateway.stop).not.toHaveBeenCalled();
    await servers.at(-1)?.stop();
    expect(gateway.stop).toHaveBeenCalledTimes(1);
    servers = [];
  });

  it('validates against the view: a field outside it does not exist; services use the whole API', async () => {
    const { perView, run } = await start();
    expect(await run(perView.api, '{ secret }')).toEqual({ data: { secret: 2 } });
    const refused = await run(perView.partner, '{ secret }');
    expect(refused?.errors?.[0]).toMatchObject({
      message: 'Cannot query field "secret" on type "Query".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(await run(perView.partner, '{ open }')).toEqual({ data: { open: 1 } });
  });

  it('answers introspection from the view, alone or next to data, through fragments', async () => {
    const { perView, run } = await start();
    const names = (type: { fields: { name: string }[] } | undefined) => type?.fields.map((f) => f.name);
    const alone = await run(perView.storefront, '{ __type(name: "Query") { fields { name } } }');
    expect(names(alone?.data?.__type as never)).toEqual(['open']);
    const mixed = await run(perView.storefront, '{ open ...Q } fragment Q on Query { t: __type(name: "Query") { fields { name } } }');
    expect(mixed?.data).toEqual({ open: 1, t: { fields: [{ name: 'open' }] } });
    const whole = await run(perView.api, '{ __type(name: "Query") { fields { name } } }');
    expect(names(whole?.data?.__type as never)).toEqual(['open', 'secret']);
  });
});

describe('schemaFor', () => {
  const as = (kind: Principal['kind']): Principal => ({ kind, id: null, storefrontId: null, partnerId: null, roles: [], scopes: [] });
  it('gives each principal kind its view, and services the whole API', () => {
    const of = schemaFor(
      { storefront: buildSchema('type Query { s: Int }'), partner: buildSchema('type Query { p: Int }'), staff: view },
      () => api,
    );
    expect(Object.keys(of(as('anonymous'))?.getQueryType()?.getFields() ?? {})).toEqual(['s']);
    expect(Object.keys(of(as('customer'))?.getQueryType()?.getFields() ?? {})).toEqual(['s']);
    expect(Object.keys(of(as('partner'))?.getQueryType()?.getFields() ?? {})).toEqual(['p']);
    expect(of(as('staff'))).toBe(view);
    expect(of(servicePrincipal('cart', null, []))).toBe(api);
  });

  it('is null until the supergraph is loaded', () => {
    expect(schemaFor(views, () => null)(as('partner'))).toBeNull();
  });
});

describe('the committed views', () => {
  // The gateway coerces an operation's variables against the whole API (ApolloGateway's
  // validateIncomingRequest), after Apollo validated the document against the caller's view. That is
  // coercion against the view only while a view drops input types and enums whole: an input field or
  // enum value the API has and a view lacked would reach the subgraph in a variable unchecked.
  it('keep every input type and enum they have whole, as the API has it', () => {
    const whole = buildSchema(readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8'));
    const trimmed: string[] = [];
    for (const [audience, viewed] of Object.entries(loadViews())) {
      for (const type of Object.values(viewed.getTypeMap())) {
        const full = whole.getType(type.name);
        if (isInputObjectType(type) && isInputObjectType(full)) {
          const kept = type.getFields();
          for (const name of Object.keys(full.getFields())) if (!(name in kept)) trimmed.push(`${audience}: ${type.name}.${name}`);
        }
        if (isEnumType(type) && isEnumType(full)) {
          for (const { name } of full.getValues()) if (!type.getValue(name)) trimmed.push(`${audience}: ${type.name}.${name}`);
        }
      }
    }
    expect(trimmed).toEqual([]);
  });
});
