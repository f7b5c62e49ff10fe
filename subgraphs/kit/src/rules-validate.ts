import { type Result, type UserError, userError } from './errors.js';
import { RULE_OPERATORS, type Rule, type RuleCondition, type RuleOperator, type RuleScalar, type RuleValue } from './rules.js';

/**
 * Turns rule data received from GraphQL input into rules, or a list of every problem (UserError with
 * the input path, e.g. ['input', 'rules', '0', 'conditions', '1', 'value']). The caller declares the
 * fact's fields and their types: a path outside them, an operator that does not suit the type, or a
 * value of the wrong type is refused. Values may arrive typed (number, boolean) or as text (a GraphQL
 * `String` input): text is converted to the field's type. Operators are accepted as `notIn` or as the
 * GraphQL enum spelling `NOT_IN`.
 */

export type FactFieldType = 'string' | 'number' | 'boolean' | 'stringList' | 'numberList';
/** The fact's fields a rule may read: path → type, e.g. `{ segment: 'string', budget: 'number', productIds: 'stringList' }`. */
export type FactFields = Readonly<Record<string, FactFieldType>>;

export type RuleConditionInput = { path?: string | null; operator?: string | null; value?: unknown; values?: unknown[] | null };
export type RuleInput = {
  id?: string | null;
  name?: string | null;
  match?: string | null;
  priority?: number | null;
  active?: boolean | null;
  conditions?: RuleConditionInput[] | null;
  points?: number | null;
  target?: string | null;
};

export type ValidateRulesOptions = {
  fields: FactFields;
  /** 'points': each rule needs whole-number points; 'target': each rule needs a target. */
  outcome: 'points' | 'target';
  /** Allowed targets (e.g. ['MANAGER', 'FINANCE']); any non-blank text when absent. */
  targets?: readonly string[];
  maxRules?: number;
  maxConditions?: number;
  /** Points lie within ±maxPoints (default 1000). */
  maxPoints?: number;
  /** Where the rules sit in the input (default ['input', 'rules']). */
  field?: string[];
};

/** The codes rule validation reports: a family whose mutations take rules lists them all in its enum. */
export type RulesErrorCode =
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_OPERATOR'
  | 'WRONG_TYPE'
  | 'TOO_LONG'
  | 'INVALID'
  | 'OUT_OF_RANGE'
  | 'TOO_MANY'
  | 'REQUIRED'
  | 'DUPLICATE';
type RuleError = UserError<RulesErrorCode>;

const OPERATOR_BY_KEY = new Map<string, RuleOperator>(RULE_OPERATORS.map((op) => [op.toLowerCase(), op]));
const MAX_LIST = 500;
const MAX_TEXT = 200;

/** `NOT_IN`, `notIn`, `notin` → 'notIn'; null when unknown. */
export const parseRuleOperator = (raw: string): RuleOperator | null => OPERATOR_BY_KEY.get(raw.replace(/_/g, '').toLowerCase()) ?? null;

const scalarTypeOf = (type: FactFieldType): 'string' | 'number' | 'boolean' =>
  type === 'stringList' ? 'string' : type === 'numberList' ? 'number' : type;

/** Converts one input value to a field type; undefined when it does not fit. */
function coerce(raw: unknown, type: 'string' | 'number' | 'boolean'): RuleScalar | undefined {
  if (type === 'string') return typeof raw === 'string' && raw.length <= MAX_TEXT ? raw : undefined;
  if (type === 'number') {
    if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
    return typeof raw === 'string' && /^-?\d+(?:\.\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
  }
  if (typeof raw === 'boolean') return raw;
  return raw === 'true' ? true : raw === 'false' ? false : undefined;
}

function conditionOf(input: RuleConditionInput, fields: FactFields, at: string[], errors: RuleError[]): RuleCondition | null {
  const before = errors.length;
  const path = typeof input.path === 'string' ? input.path.trim() : '';
  const type = Object.hasOwn(fields, path) ? fields[path] : undefined;
  if (!type) {
    const known = Object.keys(fields).join(', ');
    errors.push(
      userError('UNKNOWN_FIELD', path ? `Unknown field "${path}"; use one of: ${known}` : `A field is required; use one of: ${known}`, [
        ...at,
        'path',
      ]),
    );
  }
  const operator = typeof input.operator === 'string' ? parseRuleOperator(input.operator) : null;
  if (!operator)
    errors.push(
      userError('UNKNOWN_OPERATOR', `Unknown operator "${input.operator ?? ''}"; use one of: ${RULE_OPERATORS.join(', ')}`, [
        ...at,
        'operator',
      ]),
    );
  if (!type || !operator) return null;

  const raw = input.values ?? input.value;
  const valueAt = [...at, input.values != null ? 'values' : 'value'];
  const wrong = (message: string) => errors.push(userError('WRONG_TYPE', message, valueAt));
  const isList = type === 'stringList' || type === 'numberList';
  const scalar = scalarTypeOf(type);
  let value: RuleValue | undefined;
  if (operator === 'exists') {
    value = raw == null ? undefined : coerce(raw, 'boolean');
    if (raw != null && value === undefined) wrong('"exists" takes true or false');
  } else if (operator === 'in' || operator === 'notIn') {
    const list = Array.isArray(raw) ? raw : null;
    if (!list || list.length === 0 || list.length > MAX_LIST) wrong(`"${operator}" takes a list of 1 to ${MAX_LIST} values`);
    else {
      const items = list.map((item) => coerce(item, scalar));
      if (items.some((item) => item === undefined)) wrong(`Every value of "${path}" must be ${article(scalar)}`);
      else value = items as RuleScalar[];
    }
  } else if (['gt', 'gte', 'lt', 'lte'].includes(operator)) {
    if (type !== 'number') wrong(`"${operator}" compares numbers; "${path}" is ${type}`);
    else if ((value = coerce(raw, 'number')) === undefined) wrong(`"${path}" ${operator} needs a number`);
  } else if (operator === 'contains') {
    if (type !== 'string' && !isList) wrong(`"contains" needs a text or list field; "${path}" is ${type}`);
    else if ((value = coerce(raw, scalar)) === undefined) wrong(`"${path}" contains needs ${article(scalar)}`);
  } else if (isList) {
    wrong(`"${path}" is a list: use contains, in or notIn`);
  } else if ((value = coerce(raw, scalar)) === undefined) {
    wrong(`"${path}" ${operator} needs ${article(scalar)}`);
  }
  if (errors.length > before) return null;
  return value === undefined ? { path, operator } : { path, operator, value };
}

const article = (type: 'string' | 'number' | 'boolean') => (type === 'string' ? `a text of at most ${MAX_TEXT} characters` : `a ${type}`);

function ruleOf(input: RuleInput, index: number, options: ValidateRulesOptions, at: string[], errors: RuleError[]): Rule | null {
  const before = errors.length;
  const id = input.id?.trim() || String(index + 1);
  if (id.length > 100) errors.push(userError('TOO_LONG', 'An id has at most 100 characters', [...at, 'id']));
  const name = input.name?.trim() || undefined;
  if (name && name.length > MAX_TEXT) errors.push(userError('TOO_LONG', `A name has at most ${MAX_TEXT} characters`, [...at, 'name']));
  const match = input.match == null ? 'all' : input.match.toLowerCase();
  if (match !== 'all' && match !== 'any') errors.push(userError('INVALID', 'match is "all" or "any"', [...at, 'match']));
  const priority = input.priority ?? 0;
  if (!Number.isInteger(priority) || Math.abs(priority) > 1000)
    errors.push(userError('OUT_OF_RANGE', 'priority is a whole number from -1000 to 1000', [...at, 'priority']));

  const conditionInputs = input.conditions ?? [];
  const maxConditions = options.maxConditions ?? 20;
  if (!Array.isArray(conditionInputs) || conditionInputs.length > maxConditions)
    errors.push(userError('TOO_MANY', `A rule has at most ${maxConditions} conditions`, [...at, 'conditions']));
  const conditions = (Array.isArray(conditionInputs) ? conditionInputs.slice(0, maxConditions) : []).map((c, j) =>
    conditionOf(c ?? {}, options.fields, [...at, 'conditions', String(j)], errors),
  );

  const maxPoints = options.maxPoints ?? 1000;
  const points = input.points ?? null;
  const target = input.target?.trim() || null;
  if (options.outcome === 'points' && (points === null || !Number.isInteger(points) || Math.abs(points) > maxPoints))
    errors.push(userError('OUT_OF_RANGE', `points is a whole number from -${maxPoints} to ${maxPoints}`, [...at, 'points']));
  if (options.outcome === 'target') {
    const allowed = options.targets;
    if (!target) errors.push(userError('REQUIRED', 'A target is required', [...at, 'target']));
    else if (allowed && !allowed.includes(target))
      errors.push(userError('INVALID', `Unknown target "${target}"; use one of: ${allowed.join(', ')}`, [...at, 'target']));
    else if (target.length > 100) errors.push(userError('TOO_LONG', 'A target has at most 100 characters', [...at, 'target']));
  }
  if (errors.length > before) return null;
  return {
    id,
    ...(name ? { name } : {}),
    match: match as 'all' | 'any',
    priority,
    active: input.active ?? true,
    conditions: conditions as RuleCondition[],
    points: options.outcome === 'points' ? points : null,
    target,
  };
}

/** Validates rule data from GraphQL input; every problem is reported at once. */
export function validateRules(
  input: readonly RuleInput[] | null | undefined,
  options: ValidateRulesOptions,
): Result<Rule[], RulesErrorCode> {
  const at = options.field ?? ['input', 'rules'];
  const maxRules = options.maxRules ?? 200;
  if (!Array.isArray(input)) return { ok: false, errors: [userError('REQUIRED', 'A list of rules is required', at)] };
  if (input.length > maxRules) return { ok: false, errors: [userError('TOO_MANY', `At most ${maxRules} rules`, at)] };
  const errors: RuleError[] = [];
  const rules = input.map((rule, i) => ruleOf(rule ?? {}, i, options, [...at, String(i)], errors));
  const seen = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    if (!rule) continue;
    if (seen.has(rule.id)) errors.push(userError('DUPLICATE', `The id "${rule.id}" is used twice`, [...at, String(i), 'id']));
    seen.add(rule.id);
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: rules as Rule[] };
}
