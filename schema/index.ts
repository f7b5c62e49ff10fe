import { readFileSync } from 'node:fs';

/** The committed supergraph the router serves. */
export const loadSupergraph = (): string => readFileSync(new URL('./supergraph.graphql', import.meta.url), 'utf8');
