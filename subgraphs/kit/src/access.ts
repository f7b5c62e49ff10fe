import {
  type ConstDirectiveNode,
  defaultFieldResolver,
  type GraphQLFieldResolver,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLSchema,
  Kind,
} from 'graphql';
import { forbidden, unauthenticated } from './errors.js';
import { hasScope, type Principal, type PrincipalKind } from './principal.js';

export type AccessRule = { kinds: PrincipalKind[] | null; scopes: string[] };

/** `@internal`: staff with every scope (and the account holder when `holder`); anyone else is refused. */
export type InternalRule = { scopes: string[]; holder: boolean };

type WithPrincipal = { principal: Principal };

function stringList(node: ConstDirectiveNode, name: string): string[] | null {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return null;
  if (arg.value.kind !== Kind.LIST) throw new Error(`@${node.name.value}(${name}:) must be a list`);
  return arg.value.values.map((v) => (v.kind === Kind.STRING ? v.value : String(v)));
}

const ruleOf = (node: ConstDirectiveNode): AccessRule => ({
  kinds: stringList(node, 'kinds') as PrincipalKind[] | null,
  scopes: stringList(node, 'scopes') ?? [],
});

/** The `@access` rule among directives, if any. */
export function readRule(directives: readonly ConstDirectiveNode[] | undefined): AccessRule | null {
  const node = directives?.find((d) => d.name.value === 'access');
  return node ? ruleOf(node) : null;
}

/** The `@lookup` rules of a type (repeatable: any one admits). */
const readLookups = (directives: readonly ConstDirectiveNode[]): AccessRule[] =>
  directives.filter((d) => d.name.value === 'lookup').map(ruleOf);

/** The `@internal` rule among directives, if any. */
export function readInternal(directives: readonly ConstDirectiveNode[] | undefined): InternalRule | null {
  const node = directives?.find((d) => d.name.value === 'internal');
  if (!node) return null;
  const holder = node.arguments?.find((a) => a.name.value === 'holder')?.value;
  return { scopes: stringList(node, 'scopes') ?? [], holder: holder?.kind === Kind.BOOLEAN && holder.value };
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

/** True when the principal satisfies the rule (the test `assertAccess` applies, without throwing). */
export function admits(principal: Principal, rule: AccessRule): boolean {
  if (rule.kinds && !rule.kinds.includes(principal.kind)) return false;
  return rule.scopes.every((scope) => hasScope(principal, scope));
}

/**
 * Throws FORBIDDEN unless the principal may read an internal field. Always FORBIDDEN, never
 * UNAUTHENTICATED: no sign-in a key holder or partner could do would grant it.
 */
export function assertInternal(principal: Principal, rule: InternalRule): void {
  if (principal.kind === 'service') return;
  if (rule.holder && principal.kind === 'customer') return;
  if (principal.kind !== 'staff') throw forbidden('Internal field: staff only');
  for (const scope of rule.scopes) {
    if (!hasScope(principal, scope)) throw forbidden(`Missing scope ${scope}`);
  }
}

function guard<T>(
  resolve: GraphQLFieldResolver<unknown, T>,
  rules: AccessRule[],
  internal: InternalRule | null,
): GraphQLFieldResolver<unknown, T> {
  return (source, args, context, info) => {
    const { principal } = context as unknown as WithPrincipal;
    assertAccess(principal, rules);
    if (internal) assertInternal(principal, internal);
    return resolve(source, args, context, info);
  };
}

type ReferenceResolver = (ref: unknown, context: WithPrincipal, info: unknown) => unknown;
type SubgraphExtensions = { apollo?: { subgraph?: { resolveReference?: ReferenceResolver } } };

/** @apollo/subgraph 2.15 keeps `__resolveReference` in `type.extensions.apollo.subgraph`. */
function guardReference(type: GraphQLObjectType, guard: (principal: Principal) => boolean): void {
  const extensions = type.extensions as SubgraphExtensions;
  const original = extensions.apollo?.subgraph?.resolveReference;
  if (!original) return;
  const guarded: ReferenceResolver = (ref, context, info) => (guard(context.principal) ? original(ref, context, info) : null);
  (type as { extensions: unknown }).extensions = {
    ...extensions,
    apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference: guarded } },
  };
}

/**
 * Enforces `@access` by wrapping resolvers in place (so the federation metadata that
 * @apollo/subgraph keeps on the type objects stays attached). An object-level rule applies to every
 * field of the type and to `_entities` lookups of it. `@lookup` rules apply to `_entities` lookups
 * alone, and a refused lookup is null, like a row the caller may not see. `@internal` fields must be
 * nullable: a refusal nulls the field alone, not its parent.
 */
export function applyAccessDirectives(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    const typeDirectives = [type.astNode, ...type.extensionASTNodes].flatMap((n) => n?.directives ?? []);
    const typeRule = readRule(typeDirectives);
    const lookups = readLookups(typeDirectives);
    if (typeRule)
      guardReference(type, (principal) => {
        assertAccess(principal, [typeRule]);
        return true;
      });
    if (lookups.length) guardReference(type, (principal) => lookups.some((rule) => admits(principal, rule)));
    for (const field of Object.values(type.getFields())) {
      const fieldRule = readRule(field.astNode?.directives);
      const rules = [typeRule, fieldRule].filter((r): r is AccessRule => r !== null);
      const internal = readInternal(field.astNode?.directives);
      if (internal && field.type instanceof GraphQLNonNull) throw new Error(`@internal field ${type.name}.${field.name} must be nullable`);
      if (rules.length > 0 || internal) field.resolve = guard(field.resolve ?? defaultFieldResolver, rules, internal);
    }
  }
  return schema;
}
