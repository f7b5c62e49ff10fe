/**
 * Rules as data: conditions on a plain fact object → an outcome (points for scoring, or a target such as
 * an approver level, a team id or an SLA policy id). Pure (no I/O, no clock). Used by lead scoring,
 * assignment, quote approval and SLA policy selection; `validateRules` (rules-validate.ts) turns
 * GraphQL input into rules.
 *
 * - A condition reads `path` (dot-separated own properties, `lead.budget`, `lines.0.sku`) from the fact.
 *   Missing, null and undefined values are "absent".
 * - eq / neq: a number (or decimal string such as "12.50") equals a number numerically; anything else
 *   compares strictly (case matters: normalise facts first). neq is the negation of eq (absent → true).
 * - in / notIn: the value is a list; the actual matches when it eq-matches one element (an actual list:
 *   when any of its elements does). notIn is the negation of in (absent → true).
 * - gt / gte / lt / lte: both sides numbers or decimal strings, compared as numbers; otherwise false.
 * - contains: an actual text contains the value text (case-insensitive); an actual list has an element
 *   eq to the value.
 * - exists: value true (the default) when the actual is present and not ''; value false: the opposite.
 * - A rule holds when `match` is 'all' (the default; no conditions → always, a catch-all) or 'any' (at
 *   least one condition; none → never). Inactive rules (`active: false`) are skipped.
 * - Order: priority desc (default 0), then the given order. Mode 'first' stops at the first match
 *   (assignment, SLA policy); 'all' (the default) returns every match (scoring, approvals).
 * - points: the sum of the matches' points; target: the first match's non-null target.
 */

export const RULE_OPERATORS = ['eq', 'neq', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export type RuleScalar = string | number | boolean | null;
export type RuleValue = RuleScalar | RuleScalar[];

export type RuleCondition = { path: string; operator: RuleOperator; value?: RuleValue };

export type Rule = {
  id: string;
  name?: string;
  /** 'all' (default): every condition; 'any': at least one. */
  match?: 'all' | 'any';
  conditions: RuleCondition[];
  /** Higher first; default 0. */
  priority?: number;
  /** Default true. */
  active?: boolean;
  /** Scoring: points this rule adds (may be negative). */
  points?: number | null;
  /** Routing: what this rule selects (approver level, team id, policy id…). */
  target?: string | null;
};

/** One condition as evaluated: what it asked, what the fact had, whether it held. */
export type ConditionCheck = { path: string; operator: RuleOperator; expected: RuleValue | undefined; actual: unknown; holds: boolean };

export type RuleMatch = { rule: Rule; holds: boolean; points: number; target: string | null; conditions: ConditionCheck[] };

export type RuleEvaluation = {
  /** Matching rules in evaluation order (at most one in 'first' mode). */
  matches: RuleMatch[];
  /** Rules that were evaluated and did not hold (only with `explainMisses`). */
  misses: RuleMatch[];
  /** Sum of the matches' points. */
  points: number;
  /** The first match's non-null target. */
  target: string | null;
};

export type EvaluateOptions = { mode?: 'first' | 'all'; explainMisses?: boolean };

const UNSAFE = new Set(['__proto__', 'prototype', 'constructor']);

/** Reads a dot path from a fact through own properties only; undefined when any step is missing. */
export function readPath(fact: unknown, path: string): unknown {
  let current: unknown = fact;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || UNSAFE.has(key) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** A number, or a decimal string as a number; null otherwise. */
function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
  return null;
}

const absent = (value: unknown): boolean => value === undefined || value === null;

function equals(actual: unknown, expected: RuleScalar): boolean {
  if (typeof expected === 'number') {
    const n = numeric(actual);
    return n !== null && n === expected;
  }
  return actual === expected;
}

function isIn(actual: unknown, list: RuleValue | undefined): boolean {
  if (absent(actual) || !Array.isArray(list)) return false;
  const actuals = Array.isArray(actual) ? actual : [actual];
  return actuals.some((a) => list.some((e) => equals(a, e)));
}

function compare(actual: unknown, expected: RuleValue | undefined, test: (a: number, e: number) => boolean): boolean {
  const a = numeric(actual);
  const e = numeric(expected);
  return a !== null && e !== null && test(a, e);
}

/** Whether one condition holds for an actual value (see the header for each operator). */
export function conditionHolds(operator: RuleOperator, actual: unknown, expected: RuleValue | undefined): boolean {
  switch (operator) {
    case 'eq':
      return !Array.isArray(expected) && !absent(actual) && equals(actual, expected ?? null);
    case 'neq':
      return !conditionHolds('eq', actual, expected);
    case 'in':
      return isIn(actual, expected);
    case 'notIn':
      return !isIn(actual, expected);
    case 'gt':
      return compare(actual, expected, (a, e) => a > e);
    case 'gte':
      return compare(actual, expected, (a, e) => a >= e);
    case 'lt':
      return compare(actual, expected, (a, e) => a < e);
    case 'lte':
      return compare(actual, expected, (a, e) => a <= e);
    case 'contains':
      if (typeof actual === 'string') return typeof expected === 'string' && actual.toLowerCase().includes(expected.toLowerCase());
      return Array.isArray(actual) && !Array.isArray(expected) && actual.some((a) => equals(a, expected ?? null));
    case 'exists': {
      const present = !absent(actual) && actual !== '';
      return expected === false ? !present : present;
    }
  }
}

/** Evaluates one rule against a fact, checking every condition so the explanation is complete. */
export function evaluateRule(rule: Rule, fact: unknown): RuleMatch {
  const conditions = rule.conditions.map((c): ConditionCheck => {
    const actual = readPath(fact, c.path);
    return { path: c.path, operator: c.operator, expected: c.value, actual, holds: conditionHolds(c.operator, actual, c.value) };
  });
  const holds = rule.match === 'any' ? conditions.some((c) => c.holds) : conditions.every((c) => c.holds);
  return { rule, holds, points: holds ? (rule.points ?? 0) : 0, target: rule.target ?? null, conditions };
}

/** Rules in evaluation order: active only, priority desc, then as given. */
export const orderRules = <R extends Rule>(rules: readonly R[]): R[] =>
  rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.active !== false)
    .sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.index - b.index)
    .map(({ rule }) => rule);

/** Evaluates rules against a fact: the matches with their explanations, total points and the first target. */
export function evaluateRules(rules: readonly Rule[], fact: unknown, options: EvaluateOptions = {}): RuleEvaluation {
  const matches: RuleMatch[] = [];
  const misses: RuleMatch[] = [];
  for (const rule of orderRules(rules)) {
    const result = evaluateRule(rule, fact);
    if (!result.holds) {
      if (options.explainMisses) misses.push(result);
      continue;
    }
    matches.push(result);
    if (options.mode === 'first') break;
  }
  return {
    matches,
    misses,
    points: matches.reduce((sum, m) => sum + m.points, 0),
    target: matches.find((m) => m.target !== null)?.target ?? null,
  };
}

const show = (value: unknown): string =>
  value === undefined ? 'absent' : Array.isArray(value) ? `[${value.map(show).join(', ')}]` : JSON.stringify(value);

/** One line a person reads: `Big budget (+20): budget gte 10000 (was "25000") and segment in ["SMB"] (was "SMB")`. */
export function explainMatch(match: RuleMatch): string {
  const rule = match.rule;
  const outcome =
    rule.points != null ? ` (${rule.points >= 0 ? '+' : ''}${rule.points})` : rule.target != null ? ` (→ ${rule.target})` : '';
  const parts = match.conditions.map(
    (c) =>
      `${c.path} ${c.operator}${c.operator === 'exists' && c.expected === undefined ? '' : ` ${show(c.expected)}`} (was ${show(c.actual)}${c.holds ? '' : ', not met'})`,
  );
  const joined = parts.length ? parts.join(rule.match === 'any' ? ' or ' : ' and ') : 'always';
  return `${rule.name ?? rule.id}${outcome}: ${joined}`;
}
