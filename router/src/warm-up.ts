import type { ApolloServer } from '@apollo/server';
import * as sdk from '@dcrm/storefront-sdk';
import {
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  typeFromAST,
} from 'graphql';
import type { RouterContext } from './context.js';

/** The answer every subgraph fetch gets during warm-up: nothing is sent, so no mutation runs. */
const WARM_UP_MESSAGE = 'query plan warm-up';
export const WARM_UP_RESPONSE = { data: null, errors: [{ message: WARM_UP_MESSAGE, extensions: { code: 'BAD_REQUEST' } }] };

const SCALAR_SAMPLES: Record<string, unknown> = {
  ID: '0',
  String: '',
  Int: 0,
  Float: 0,
  Boolean: false,
  Decimal: '0',
  CurrencyCode: 'EUR',
  DateTime: '2026-01-01T00:00:00Z',
};

/** A value of `type` that passes variable coercion (required input fields filled, lists empty). */
function sample(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [];
  if (isEnumType(nullable)) return nullable.getValues()[0]?.name;
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return Object.fromEntries(fields.map((f) => [f.name, sample(f.type)]));
  }
  return SCALAR_SAMPLES[getNamedType(type).name] ?? '';
}

/** Values for an operation's required variables, so Apollo's coercion lets it through to the planner. */
function placeholderVariables(schema: GraphQLSchema, query: string): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const definition of parse(query).definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const v of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, v.type) as GraphQLInputType | undefined;
      if (type && isNonNullType(type) && !v.defaultValue) variables[v.variable.name.value] = sample(type);
    }
  }
  return variables;
}

const PLANNABLE = /^\s*(query|mutation)\b/;

/**
 * Fills the gateway's query-plan cache (and Apollo's parsed-document cache) with known operation
 * texts — the storefront SDK's — before the first client sends them. Each runs through the router's
 * own pipeline with placeholder variables and a warm-up context: the gateway plans it, and the data
 * source answers every fetch itself instead of calling a subgraph, so no mutation runs. Subscriptions
 * are skipped (the subscription server plans their `offer(id)` rewrite on first use). Returns the
 * operations planned (those that reached the data source) and the first problem of any that did not.
 */
export async function warmQueryPlans(
  apollo: ApolloServer<RouterContext>,
  schema: GraphQLSchema,
  documents: readonly string[],
): Promise<{ planned: number; failed: string[] }> {
  const texts = [...new Set(documents.filter((d) => PLANNABLE.test(d)))];
  const warmUp: RouterContext = {
    principal: { kind: 'service', id: 'router-warm-up', storefrontId: null, partnerId: null, roles: [], scopes: [] },
    warmUp: true,
  };
  let planned = 0;
  const failed: string[] = [];
  for (const query of texts) {
    const response = await apollo.executeOperation({ query, variables: placeholderVariables(schema, query) }, { contextValue: warmUp });
    const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
    const problem = errors.find((e) => e.message !== WARM_UP_MESSAGE);
    if (problem) failed.push(`${query.slice(0, 40)}…: ${problem.message}`);
    else planned += 1;
  }
  return { planned, failed };
}

/** Every operation text the storefront SDK sends (its generated `…Document` strings). */
export const sdkDocuments = (): string[] =>
  Object.entries(sdk).flatMap(([name, value]) => (name.endsWith('Document') && typeof value === 'string' ? [value] : []));
