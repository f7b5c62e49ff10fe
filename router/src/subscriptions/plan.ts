import { bulkOperationChannel, offerChannels } from '@dcrm/kit/events.js';
import { isUuid } from '@dcrm/kit/ids.js';
import { loggerFor } from '@dcrm/kit/logger.js';
import type { Principal } from '@dcrm/kit/principal.js';
import { screenOperation } from '@dcrm/kit/request-screen.js';
import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { queryCost } from '../cost/calculate.js';
import { type LookupTarget, lookupQuery, OFFER_TARGET, OFFER_VARIABLE } from '../offer-lookup.js';
import { operationContext } from '../request-context.js';
import { readsContextOnly } from './view.js';

/** What a subscription became at subscribe time: one lookup query, run for each event on its channel. */
export type Plan = {
  channel: string;
  /** The event payload's property that names what to look up (`offerId`, `operationId`). */
  eventKey: string;
  /** The lookup's variable the event's key goes in (null: the lookup keeps the subscription's own arguments). */
  keyVariable: string | null;
  /** `query($__offerId: ID!, …) { <responseKey>: offer(id: $__offerId) { …selection… } }`, the same text for every event. */
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  responseKey: string;
  /** Public offers selecting context fields only (view.ts): subscribers in the same context share each event's lookup. */
  byContext: boolean;
};

/** The same limits as HTTP, and the schema to check a subscriber's operations against: their view (null until the supergraph is loaded). */
export type PlanLimits = {
  schema: (principal: Principal) => GraphQLSchema | null;
  validationRules: ValidationRule[];
  maxTokens: number;
  maxQueryCost: number;
};

export type Planned = { plan: Plan; document: DocumentNode; schema: GraphQLSchema };

export const failure = (code: string, message: string) => new GraphQLError(message, { extensions: { code } });

/**
 * Checks a subscribe message once, as HTTP checks a request (screening, parse, validation, variables,
 * cost), and rewrites its single field into the lookup each event runs. Refusals are GraphQL errors.
 */
export function planSubscription(payload: SubscribePayload, principal: Principal, limits: PlanLimits): Planned | GraphQLError[] {
  const schema = limits.schema(principal);
  if (!schema) return [failure('INTERNAL_SERVER_ERROR', 'The schema is not loaded yet; try again')];
  const checked = checkOperation(payload, schema, limits);
  if (Array.isArray(checked)) return checked;
  const { document, operation, field } = checked;
  const definitions = operation.variableDefinitions ?? [];
  if (definitions.some((d) => d.variable.name.value === OFFER_VARIABLE))
    return [failure('BAD_USER_INPUT', `$${OFFER_VARIABLE} is reserved`)];
  const variables = payload.variables ?? {};
  const coerced = getVariableValues(schema, definitions, variables);
  if (coerced.errors) return coerced.errors.map((e) => new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT' } }));
  const source = sourceOf(field, principal, coerced.coerced);
  if (source instanceof GraphQLError) return [source];
  const { channel, eventKey, target } = source;
  try {
    // Checked once here; the lookup keeps the directive, so each event runs in it (request-context.ts).
    operationContext(schema, operation, coerced.coerced);
  } catch (error) {
    return [failure('BAD_USER_INPUT', (error as GraphQLError).message)];
  }
  const tooCostly = costRefusal(schema, document, variables, operation, limits.maxQueryCost);
  if (tooCostly) return [tooCostly];

  const inContext = operation.directives?.filter((d) => d.name.value === 'inContext');
  const query = lookupQuery(document, operation.name?.value, definitions, field, target, inContext);
  // The rewrite keeps the client's selection as it is; if it ever failed validation that would be our bug.
  const lookupDocument = parse(query);
  const rewritten = validate(schema, lookupDocument, specifiedRules);
  if (rewritten.length > 0) {
    loggerFor('subscriptions').error({ errors: rewritten.map((e) => e.message), query }, 'subscription rewrite is invalid');
    return [failure('INTERNAL_SERVER_ERROR', 'Internal server error')];
  }
  const plan = {
    channel,
    eventKey,
    keyVariable: target.byEvent ? OFFER_VARIABLE : null,
    query,
    operationName: operation.name?.value,
    variables,
    responseKey: field.alias?.value ?? field.name.value,
    byContext: field.name.value === 'storefrontOffers' && readsContextOnly(schema, lookupDocument),
  };
  return { plan, document, schema };
}

type Checked = { document: DocumentNode; operation: OperationDefinitionNode; field: FieldNode };

/** Screening, parse and validation as for HTTP; then exactly one subscription field. */
function checkOperation(payload: SubscribePayload, schema: GraphQLSchema, limits: PlanLimits): Checked | GraphQLError[] {
  const screened = screenOperation({ query: payload.query, variables: payload.variables, extensions: payload.extensions });
  if (screened) return [new GraphQLError(screened.message, { extensions: { code: screened.extensions.code } })];
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: limits.maxTokens });
  } catch (error) {
    return [failure('GRAPHQL_PARSE_FAILED', error instanceof GraphQLError ? error.message : 'Syntax error')];
  }
  const invalid = validate(schema, document, [...specifiedRules, ...limits.validationRules]);
  if (invalid.length > 0)
    return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  const operation = getOperationAST(document, payload.operationName ?? undefined);
  if (!operation) return [failure('BAD_REQUEST', 'Unable to identify the operation: send operationName')];
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return [failure('BAD_REQUEST', 'This socket serves subscriptions; send queries and mutations with POST /graphql')];
  }
  const [field, ...more] = operation.selectionSet.selections;
  if (more.length > 0 || field?.kind !== Kind.FIELD || field.directives?.length || !field.selectionSet) {
    return [
      failure(
        'BAD_REQUEST',
        'A subscription selects exactly one field (offerReceived, storefrontOffers or bulkOperationProgress), without directives',
      ),
    ];
  }
  return { document, operation, field };
}

type Source = { channel: string; eventKey: string; target: LookupTarget };

const BULK_TARGET: LookupTarget = { field: 'bulkOperation', byEvent: false };

/** The bus channel a subscription field listens on, for this subscriber, and how its events are looked up. */
function sourceOf(field: FieldNode, principal: Principal, variables: Record<string, unknown>): Source | GraphQLError {
  if (field.name.value === 'bulkOperationProgress') {
    // Staff only; the lookup (`bulkOperation(id:)`, as the subscriber) answers only operations of their brands.
    if (principal.kind !== 'staff') return failure('FORBIDDEN', 'Bulk operation progress is for staff');
    const arg = field.arguments?.find((a) => a.name.value === 'id')?.value;
    const id = arg?.kind === Kind.VARIABLE ? variables[arg.name.value] : arg?.kind === Kind.STRING ? arg.value : null;
    if (!isUuid(id)) return failure('BAD_USER_INPUT', 'Not a valid bulk operation id');
    return { channel: bulkOperationChannel(id), eventKey: 'operationId', target: BULK_TARGET };
  }
  const channel = channelOf(field, principal);
  return channel instanceof GraphQLError ? channel : { channel, eventKey: 'offerId', target: OFFER_TARGET };
}

/** The bus channel an offer subscription listens on, for this subscriber: personal offers need the customer, storefront offers a key. */
function channelOf(field: FieldNode, principal: Principal): string | GraphQLError {
  if (field.name.value === 'offerReceived') {
    if (principal.kind !== 'customer' || !principal.id) {
      return principal.kind === 'anonymous'
        ? failure('UNAUTHENTICATED', 'Sign in as a customer to receive personal offers')
        : failure('FORBIDDEN', 'Personal offers are for the signed-in customer');
    }
    return offerChannels.customer(principal.id);
  }
  if (field.name.value === 'storefrontOffers') {
    if (!principal.storefrontId) return failure('FORBIDDEN', 'Storefront offers need a storefront: send its x-api-key');
    return offerChannels.storefront(principal.storefrontId);
  }
  return failure('BAD_REQUEST', `Unknown subscription ${field.name.value}`);
}

// Each event runs the selection again: one that costs too much is refused once, here.
function costRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operation: OperationDefinitionNode,
  maxQueryCost: number,
): GraphQLError | null {
  const cost = queryCost(schema, document, variables, operation.name?.value);
  if (cost <= maxQueryCost) return null;
  return new GraphQLError(`This subscription costs ${cost} per event; the most one operation may cost is ${maxQueryCost}.`, {
    extensions: { code: 'THROTTLED', reason: 'MAX_COST_EXCEEDED', cost: { requestedQueryCost: cost } },
  });
}
