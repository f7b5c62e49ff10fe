import type { Stack } from '../../stack/src/stack.js';

/**
 * Takes one in-process subgraph "off the network": every call to it — from the router and from other
 * subgraphs — fails as a refused connection would, until the returned function brings it back. Only the
 * test's stack object changes; production code has no switch for this.
 */
export function takeDown(stack: Stack, name: string): () => void {
  const booted = stack.subgraphs.find((s) => s.definition.name === name);
  if (!booted) throw new Error(`no subgraph ${name}`);
  const server = booted.server;
  const execute = server.execute;
  server.execute = async () => {
    throw Object.assign(new Error(`connect ECONNREFUSED (${name} is down)`), { code: 'ECONNREFUSED' });
  };
  return () => {
    server.execute = execute;
  };
}
