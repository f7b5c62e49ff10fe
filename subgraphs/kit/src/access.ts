import {
  type ConstDirectiveNode,
  defaultFieldResolver,
  type GraphQLFieldResolver,
  GraphQLObjectType,
  type GraphQLSchema,
  Kind,
} from 'graphql';
import { forbidden, unauthenticated } from './errors.js';
import { hasScope, type Principal, type PrincipalKind } from './principal.js';

export type AccessRule = { kinds: PrincipalKind[] | null; scopes: string[] };

type WithPrincipal = { principal: Principal };

function readRule(directives: readonly ConstDirectiveNode[] | undefined): AccessRule | null {
  const node = directives?.find((d) => d.name.value === 'access');
  if (!node) return null;
  const list = (name: string): string[] | null => {
    const arg = node.arguments?.find((a) => a.name.value === name);
    if (!arg) return null;
    if (arg.value.kind !== Kind.LIST) throw new Error(`@access(${name}:) must be a list`);
    return arg.value.values.map((v) => (v.kind === Kind.STRING ? v.value : String(v)));
  };
  return { kinds: list('kinds') as PrincipalKind[] | null, scopes: list('scopes') ?? [] };
}

/**
 * Throws UNAUTHENTICATED/FORBIDDEN unless the principal satisfies every rule. Service principals are
 * no exception: a field admits them only when its `kinds` name `service`, and only with its scopes.
 */
export function assertAccess(principal: Principal, rules: AccessRule[]): void {
  for (const rule of rules) {
    if (rule.kinds && !rule.kinds.includes(principal.kind)) {
      throw principal.kind === 'anonymous' ? unauthenticated() : forbidden();
    }
    for (const scope of rule.scopes) {
      if (!hasScope(principal, scope)) throw forbidden(`Missing scope ${scope}`);
    }
  }
}

function guard<T>(resolve: GraphQLFieldResolver<unknown, T>, rules: AccessRule[]): GraphQLFieldResolver<unknown, T> {
  return (source, args, context, info) => {
    assertAccess((context as unknown as WithPrincipal).principal, rules);
    return resolve(source, args, context, info);
  };
}

type ReferenceResolver = (ref: unknown, context: WithPrincipal, info: unknown) => unknown;
type SubgraphExtensions = { apollo?: { subgraph?: { resolveReference?: ReferenceResolver } } };

/** @apollo/subgraph 2.15 keeps `__resolveReference` in `type.extensions.apollo.subgraph`. */
function guardReference(type: GraphQLObjectType, rule: AccessRule): void {
  const extensions = type.extensions as SubgraphExtensions;
  const original = extensions.apollo?.subgraph?.resolveReference;
  if (!original) return;
  const guarded: ReferenceResolver = (ref, context, info) => {
    assertAccess(context.principal, [rule]);
    return original(ref, context, info);
  };
  (type as { extensions: unknown }).extensions = {
    ...extensions,
    apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference: guarded } },
  };
}

/**
 * Enforces `@access` by wrapping resolvers in place (so the federation metadata that
 * @apollo/subgraph keeps on the type objects stays attached). An object-level rule applies to every
 * field of the type and to `_entities` lookups of it.
 */
export function applyAccessDirectives(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    const typeRule = readRule([type.astNode, ...type.extensionASTNodes].flatMap((n) => n?.directives ?? []));
    if (typeRule) guardReference(type, typeRule);
    for (const field of Object.values(type.getFields())) {
      const fieldRule = readRule(field.astNode?.directives);
      const rules = [typeRule, fieldRule].filter((r): r is AccessRule => r !== null);
      if (rules.length > 0) field.resolve = guard(field.resolve ?? defaultFieldResolver, rules);
    }
  }
  return schema;
}
