/**
 * The per-audience schema views (schema/views/<audience>.graphql): the API schema filtered by the
 * subgraphs' own `@access(kinds:)` and `@internal` directives (kit's `inView` says who is in), so the
 * directives that refuse a field at run time are also what hides it. Built with @graphql-tools/utils:
 * `mapSchema` drops the fields an audience cannot reach, `pruneSchema` the types, arguments' input
 * types and enums nothing reachable uses any more.
 */
import { type AccessRule, AUDIENCES, type Audience, inView, readInternal, readRule, type SubgraphDefinition } from '@dcrm/kit';
import { MapperKind, mapSchema, pruneSchema } from '@graphql-tools/utils';
import { type DefinitionNode, type GraphQLSchema, Kind, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';

type ObjectNode = ObjectTypeDefinitionNode | ObjectTypeExtensionNode;
const isObject = (d: DefinitionNode): d is ObjectNode => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION;

/**
 * `Type.field` → the audiences whose view has it. A field several subgraphs resolve (shareable) is in
 * a view when any of them admits the audience; `@external` copies resolve nothing and do not count.
 */
export function fieldAudiences(subgraphs: Pick<SubgraphDefinition, 'typeDefs'>[]): Map<string, Set<Audience>> {
  const audiences = new Map<string, Set<Audience>>();
  for (const { typeDefs } of subgraphs) {
    const objects = typeDefs.definitions.filter(isObject);
    // A type's rule covers its fields in this subgraph, wherever the type is defined or extended.
    const typeRules = new Map<string, AccessRule>();
    for (const node of objects) {
      const rule = readRule(node.directives);
      if (rule) typeRules.set(node.name.value, rule);
    }
    for (const node of objects) {
      for (const field of node.fields ?? []) {
        if (field.directives?.some((d) => d.name.value === 'external')) continue;
        const rules = [typeRules.get(node.name.value), readRule(field.directives)].filter(
          (r): r is AccessRule => r !== undefined && r !== null,
        );
        const internal = readInternal(field.directives);
        const coordinate = `${node.name.value}.${field.name.value}`;
        const admitted = audiences.get(coordinate) ?? new Set<Audience>();
        for (const audience of AUDIENCES) if (inView(audience, rules, internal)) admitted.add(audience);
        audiences.set(coordinate, admitted);
      }
    }
  }
  return audiences;
}

/** The API schema as one audience sees it. */
export function viewSchema(api: GraphQLSchema, audience: Audience, audiences: Map<string, Set<Audience>>): GraphQLSchema {
  const filtered = mapSchema(api, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const admitted = audiences.get(`${typeName}.${fieldName}`);
      return !admitted || admitted.has(audience) ? config : null;
    },
  });
  return pruneSchema(filtered);
}

/** Every audience's view of the API schema. */
export function viewSchemas(api: GraphQLSchema, subgraphs: Pick<SubgraphDefinition, 'typeDefs'>[]): Record<Audience, GraphQLSchema> {
  const audiences = fieldAudiences(subgraphs);
  return Object.fromEntries(AUDIENCES.map((audience) => [audience, viewSchema(api, audience, audiences)])) as Record<
    Audience,
    GraphQLSchema
  >;
}
