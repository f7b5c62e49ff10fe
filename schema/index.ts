import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';

/** The committed supergraph the router serves. */
export const loadSupergraph = (): string => readFileSync(new URL('./supergraph.graphql', import.meta.url), 'utf8');

/** The committed view of the API one audience is served (`storefront`, `partner`, `staff`: see kit's views.ts). */
export const loadView = (audience: string): string => readFileSync(new URL(`./views/${audience}.graphql`, import.meta.url), 'utf8');

/**
 * The subgraphs a supergraph was composed from: the `name` of each `join__Graph` value's
 * `@join__graph`, in the enum's order. The production router finds its subgraphs this way, so it
 * needs no subgraph's code.
 */
export function subgraphNames(supergraphSdl: string): string[] {
  const graphs = parse(supergraphSdl).definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph');
  if (graphs?.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error('not a supergraph: no join__Graph enum');
  return (graphs.values ?? []).map((value) => {
    const name = value.directives?.find((d) => d.name.value === 'join__graph')?.arguments?.find((a) => a.name.value === 'name')?.value;
    if (name?.kind !== Kind.STRING) throw new Error(`join__Graph.${value.name.value} has no @join__graph(name:)`);
    return name.value;
  });
}
