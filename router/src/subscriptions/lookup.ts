import type { ApolloServer } from '@apollo/server';
import type { Principal } from '@dcrm/kit/principal.js';
import type { FormattedExecutionResult } from 'graphql-ws';
import type { RouterContext } from '../context.js';
import type { Plan } from './plan.js';

// A lookup answering only these means "not for this subscriber": nothing is delivered.
const NOT_VISIBLE = new Set(['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED']);

/** What one event delivers to one subscriber: a result to send, or `null` for nothing. */
export type Lookup = (
  plan: Plan,
  principal: Principal,
  offerId: string,
  /** Runs the execution (in the subscription's event span). */
  traced?: (run: () => Promise<FormattedExecutionResult | null>) => Promise<FormattedExecutionResult | null>,
) => Promise<FormattedExecutionResult | null>;

/** Runs a plan's lookup for an event as the subscriber. Subscribers of one channel with the same principal and operation share one lookup per event. */
export function createLookup(apollo: ApolloServer<RouterContext>): Lookup {
  const inFlight = new Map<string, Promise<FormattedExecutionResult | null>>();
  return (plan, principal, offerId, traced = (run) => run()) => {
    const { clientIp: _ip, ...who } = principal;
    const key = JSON.stringify([offerId, who, plan.query, plan.operationName, plan.variables]);
    let pending = inFlight.get(key);
    if (!pending) {
      pending = traced(() => runLookup(apollo, plan, principal, offerId)).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}

async function runLookup(
  apollo: ApolloServer<RouterContext>,
  plan: Plan,
  principal: Principal,
  offerId: string,
): Promise<FormattedExecutionResult | null> {
  const response = await apollo.executeOperation(
    {
      query: plan.query,
      operationName: plan.operationName,
      variables: plan.keyVariable ? { ...plan.variables, [plan.keyVariable]: offerId } : plan.variables,
    },
    { contextValue: { principal } },
  );
  if (response.body.kind !== 'single') return null;
  const { data, errors } = response.body.singleResult;
  const offer = data?.[plan.responseKey];
  if (offer === null || offer === undefined) {
    // Not this subscriber's offer (or gone): nothing to deliver. Other failures are reported, masked.
    const reportable = (errors ?? []).filter((e) => !NOT_VISIBLE.has(String(e.extensions?.code)));
    return reportable.length > 0 ? { data: null, errors: reportable } : null;
  }
  return errors?.length ? { data: { [plan.responseKey]: offer }, errors } : { data: { [plan.responseKey]: offer } };
}
