import type { ApolloServer } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql-ws';
import type { RouterContext } from '../context.js';
import { eventOffer } from './event-offer.js';
import type { LookupCache } from './lookup-cache.js';
import type { Plan } from './plan.js';
import type { View } from './view.js';

// A lookup answering only these means "not for this subscriber": nothing is delivered.
const NOT_VISIBLE = new Set(['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED']);

type Traced = (run: () => Promise<FormattedExecutionResult | null>) => Promise<FormattedExecutionResult | null>;

/** What one event delivers to the subscribers of a view: a result to send, or `null` for nothing. */
export type Lookup = {
  /**
   * Runs a plan's lookup for an event as the view's principal. Every subscriber of the event with the
   * same view key gets the same promise, hence the same result object: one gateway execution per event.
   * `event`: its payload, whose copy of a public offer spares the gateway fetching it (event-offer.ts).
   */
  run(plan: Plan, view: View, offerId: string, traced?: Traced, event?: unknown): Promise<FormattedExecutionResult | null>;
  /** Gateway executions run so far (each shared by every subscriber of its event and view). */
  executions(): number;
};

/** `cache`: the catalog content public offers' lookups may be answered from (lookup-cache.ts). */
export function createLookup(apollo: ApolloServer<RouterContext>, cache?: LookupCache): Lookup {
  // By event key, then by view key: a view keeps one key string (V8 hashes it once), so each of an
  // event's thousand subscribers costs two map reads, not a key built, copied and hashed for each.
  const inFlight = new Map<string, Map<string, Promise<FormattedExecutionResult | null>>>();
  let executions = 0;
  return {
    run(plan, view, offerId, traced = (run) => run(), event = null) {
      let byView = inFlight.get(offerId);
      if (!byView) {
        byView = new Map();
        inFlight.set(offerId, byView);
        // Shared by the subscribers of one event only (their lookups start in the same turn, before any
        // reads the database): a later event about the same id (a bulk operation's next progress) must
        // read afresh, not join a lookup that may have read the state before it.
        setImmediate(() => inFlight.delete(offerId));
      }
      let pending = byView.get(view.key);
      if (!pending) {
        executions++;
        pending = traced(() => runLookup(apollo, plan, view, offerId, eventOffer(event, offerId, view), cache));
        byView.set(view.key, pending);
      }
      return pending;
    },
    executions: () => executions,
  };
}

async function runLookup(
  apollo: ApolloServer<RouterContext>,
  plan: Plan,
  view: View,
  offerId: string,
  fromEvent: RouterContext['eventOffer'],
  cache: LookupCache | undefined,
): Promise<FormattedExecutionResult | null> {
  const context: RouterContext = { principal: view.principal };
  if (fromEvent) context.eventOffer = fromEvent;
  if (view.byContext && cache) context.kept = { viewKey: view.key, cache };
  const response = await apollo.executeOperation(
    {
      query: plan.query,
      operationName: plan.operationName,
      variables: plan.keyVariable ? { ...plan.variables, [plan.keyVariable]: offerId } : plan.variables,
    },
    { contextValue: context },
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
