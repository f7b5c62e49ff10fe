import type { GraphQLSchema } from 'graphql';
import type { PassedOperation } from './context.js';

/** The longest text remembered: the SDK's documents are a few KiB; a larger text runs through Apollo each time. */
export const MAX_TEXT = 32 * 1024;
/** Text remembered in all (characters); the documents parsed from it, which Apollo's cache mostly shares, are some times more. */
export const MAX_TOTAL_TEXT = 2 * 1024 * 1024;

export type OperationMemory = {
  /** The operation remembered for this view (`schema`), text and name on this supergraph; refreshed as most recently used. */
  get(
    supergraph: GraphQLSchema | null,
    schema: GraphQLSchema,
    query: string,
    operationName: string | undefined,
  ): PassedOperation | undefined;
  /** Remembers `operation` (passed through for `operation.schema`) unless it was planned on another supergraph than this one. */
  set(supergraph: GraphQLSchema | null, operation: PassedOperation, query: string, operationName: string | undefined): void;
  readonly size: number;
};

/**
 * The fast path's operations (fast-path.ts) by view, operation name and text, least recently used
 * dropped first beyond `maxText` characters of text. Everything is forgotten when the supergraph
 * changes (another API schema object): plans, and which subgraph answers a query, may have changed.
 */
export function operationMemory(maxText = MAX_TOTAL_TEXT): OperationMemory {
  const entries = new Map<string, { operation: PassedOperation; length: number }>();
  let text = 0;
  // A number per view schema: keys stay short, and views never share an entry.
  const ids = new WeakMap<GraphQLSchema, number>();
  let views = 0;
  let on: GraphQLSchema | null = null;
  const keyOf = (schema: GraphQLSchema, query: string, operationName: string | undefined) => {
    let id = ids.get(schema);
    if (id === undefined) ids.set(schema, (id = views++));
    return `${id}\u0000${operationName ?? ''}\u0000${query}`;
  };
  const onSupergraph = (supergraph: GraphQLSchema | null) => {
    if (supergraph === on) return;
    entries.clear();
    text = 0;
    on = supergraph;
  };
  const drop = (key: string) => {
    const found = entries.get(key);
    if (!found) return;
    entries.delete(key);
    text -= found.length;
  };
  return {
    get(supergraph, schema, query, operationName) {
      onSupergraph(supergraph);
      if (!supergraph || query.length > MAX_TEXT) return undefined;
      const key = keyOf(schema, query, operationName);
      const found = entries.get(key);
      if (!found) return undefined;
      entries.delete(key);
      entries.set(key, found);
      return found.operation;
    },
    set(supergraph, operation, query, operationName) {
      onSupergraph(supergraph);
      if (!supergraph || operation.supergraph !== supergraph || query.length > MAX_TEXT) return;
      const key = keyOf(operation.schema, query, operationName);
      drop(key);
      entries.set(key, { operation, length: query.length });
      text += query.length;
      for (const oldest of entries.keys()) {
        if (text <= maxText) break;
        drop(oldest);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
