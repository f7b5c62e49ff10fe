import { describe, expect, it } from 'vitest';
import { conditionHolds, evaluateRules, explainMatch, type Rule, readPath } from './rules.js';
import { parseRuleOperator, validateRules } from './rules-validate.js';

describe('conditionHolds', () => {
  it('eq / neq: numbers numerically (decimal strings too), other values strictly; absent is never eq', () => {
    expect(conditionHolds('eq', '12.50', 12.5)).toBe(true);
    expect(conditionHolds('eq', 12, 12)).toBe(true);
    expect(conditionHolds('eq', 'SMB', 'SMB')).toBe(true);
    expect(conditionHolds('eq', 'smb', 'SMB')).toBe(false);
    expect(conditionHolds('eq', undefined, null)).toBe(false);
    expect(conditionHolds('eq', true, true)).toBe(true);
    expect(conditionHolds('neq', undefined, 'SMB')).toBe(true);
    expect(conditionHolds('neq', 'SMB', 'SMB')).toBe(false);
  });

  it('in / notIn: one of the list; a list actual matches on any element; absent is never in', () => {
    expect(conditionHolds('in', 'WEST', ['NORTH', 'WEST'])).toBe(true);
    expect(conditionHolds('in', ['p1', 'p9'], ['p9'])).toBe(true);
    expect(conditionHolds('in', undefined, ['x'])).toBe(false);
    expect(conditionHolds('notIn', undefined, ['x'])).toBe(true);
    expect(conditionHolds('notIn', 'x', ['x'])).toBe(false);
  });

  it('gt / gte / lt / lte compare numbers and decimal strings, anything else is false', () => {
    expect(conditionHolds('gt', '1000.01', 1000)).toBe(true);
    expect(conditionHolds('gt', 1000, '1000')).toBe(false);
    expect(conditionHolds('gte', 1000, 1000)).toBe(true);
    expect(conditionHolds('lt', -1, 0)).toBe(true);
    expect(conditionHolds('lte', 'ten', 100)).toBe(false);
    expect(conditionHolds('gt', undefined, 0)).toBe(false);
  });

  it('contains: case-insensitive in text, element in a list; exists: present and not blank', () => {
    expect(conditionHolds('contains', 'Fibre 1G Pro', 'fibre')).toBe(true);
    expect(conditionHolds('contains', ['a', 'b'], 'b')).toBe(true);
    expect(conditionHolds('contains', 42, '4')).toBe(false);
    expect(conditionHolds('exists', 'x', undefined)).toBe(true);
    expect(conditionHolds('exists', '', true)).toBe(false);
    expect(conditionHolds('exists', null, false)).toBe(true);
  });

  it('reads own properties only, by dot path and list index', () => {
    const fact = { lead: { budget: 5 }, lines: [{ sku: 'A' }] };
    expect(readPath(fact, 'lead.budget')).toBe(5);
    expect(readPath(fact, 'lines.0.sku')).toBe('A');
    expect(readPath(fact, 'lead.missing.deeper')).toBeUndefined();
    expect(readPath(fact, 'lead.constructor')).toBeUndefined();
    expect(readPath(fact, '__proto__')).toBeUndefined();
    expect(readPath(fact, 'lead.toString')).toBeUndefined();
  });
});

describe('evaluateRules', () => {
  const scoring: Rule[] = [
    { id: 'budget', name: 'Big budget', conditions: [{ path: 'budget', operator: 'gte', value: 10000 }], points: 20 },
    { id: 'hot', conditions: [{ path: 'rating', operator: 'eq', value: 'HOT' }], points: 30 },
    {
      id: 'b2b',
      match: 'any',
      conditions: [
        { path: 'segment', operator: 'in', value: ['SMB', 'ENTERPRISE'] },
        { path: 'company', operator: 'exists' },
      ],
      points: 10,
    },
    { id: 'off', active: false, conditions: [], points: 1000 },
  ];

  it('scores: sums the points of every match and explains each with the actual values', () => {
    const result = evaluateRules(scoring, { budget: '25000.00', rating: 'WARM', segment: 'SMB' }, { explainMisses: true });
    expect(result.points).toBe(30);
    expect(result.matches.map((m) => m.rule.id)).toEqual(['budget', 'b2b']);
    expect(result.matches[1].conditions).toEqual([
      { path: 'segment', operator: 'in', expected: ['SMB', 'ENTERPRISE'], actual: 'SMB', holds: true },
      { path: 'company', operator: 'exists', expected: undefined, actual: undefined, holds: false },
    ]);
    expect(result.misses.map((m) => m.rule.id)).toEqual(['hot']);
    expect(explainMatch(result.matches[0])).toBe('Big budget (+20): budget gte 10000 (was "25000.00")');
    expect(explainMatch(result.matches[1])).toBe(
      'b2b (+10): segment in ["SMB", "ENTERPRISE"] (was "SMB") or company exists (was absent, not met)',
    );
  });

  it('assigns: first match by priority then order; a rule with no conditions is the catch-all', () => {
    const assignment: Rule[] = [
      { id: 'default', priority: -1, conditions: [], target: 'team-general' },
      { id: 'west', conditions: [{ path: 'region', operator: 'eq', value: 'WEST' }], target: 'team-west' },
      {
        id: 'west-fibre',
        priority: 10,
        conditions: [
          { path: 'region', operator: 'eq', value: 'WEST' },
          { path: 'productIds', operator: 'contains', value: 'fibre-1g' },
        ],
        target: 'team-fibre',
      },
    ];
    expect(evaluateRules(assignment, { region: 'WEST', productIds: ['fibre-1g'] }, { mode: 'first' })).toMatchObject({
      target: 'team-fibre',
      matches: [{ rule: { id: 'west-fibre' } }],
    });
    expect(evaluateRules(assignment, { region: 'WEST', productIds: [] }, { mode: 'first' }).target).toBe('team-west');
    expect(evaluateRules(assignment, { region: 'EAST' }, { mode: 'first' }).target).toBe('team-general');
  });

  it('approves: every matching approval rule, the highest priority target first', () => {
    const approvals: Rule[] = [
      { id: 'discount', conditions: [{ path: 'discountPercent', operator: 'gt', value: 10 }], target: 'MANAGER' },
      { id: 'total', priority: 5, conditions: [{ path: 'total', operator: 'gt', value: 50000 }], target: 'FINANCE' },
    ];
    const both = evaluateRules(approvals, { discountPercent: 15, total: '80000.00' });
    expect(both.matches.map((m) => m.target)).toEqual(['FINANCE', 'MANAGER']);
    expect(both.target).toBe('FINANCE');
    expect(evaluateRules(approvals, { discountPercent: 5, total: '100.00' })).toMatchObject({ matches: [], target: null, points: 0 });
  });

  it('an "any" rule without conditions never holds', () => {
    expect(evaluateRules([{ id: 'x', match: 'any', conditions: [], target: 'T' }], {}).matches).toEqual([]);
  });
});

describe('validateRules', () => {
  const fields = { segment: 'string', budget: 'number', vip: 'boolean', productIds: 'stringList' } as const;

  it('turns GraphQL input (enum operators, values as text) into typed rules', () => {
    const result = validateRules(
      [
        {
          name: ' Big SMB ',
          match: 'ALL',
          conditions: [
            { path: 'budget', operator: 'GTE', value: '10000' },
            { path: 'segment', operator: 'NOT_IN', values: ['CONSUMER'] },
            { path: 'vip', operator: 'EQ', value: 'true' },
            { path: 'productIds', operator: 'CONTAINS', value: 'fibre-1g' },
            { path: 'segment', operator: 'EXISTS' },
          ],
          points: 25,
        },
      ],
      { fields, outcome: 'points' },
    );
    expect(result).toEqual({
      ok: true,
      value: [
        {
          id: '1',
          name: 'Big SMB',
          match: 'all',
          priority: 0,
          active: true,
          conditions: [
            { path: 'budget', operator: 'gte', value: 10000 },
            { path: 'segment', operator: 'notIn', value: ['CONSUMER'] },
            { path: 'vip', operator: 'eq', value: true },
            { path: 'productIds', operator: 'contains', value: 'fibre-1g' },
            { path: 'segment', operator: 'exists' },
          ],
          points: 25,
          target: null,
        },
      ],
    });
    expect(parseRuleOperator('not_in')).toBe('notIn');
    expect(parseRuleOperator('between')).toBeNull();
  });

  it('reports every problem at once, with the input path of each', () => {
    const result = validateRules(
      [
        {
          id: 'a',
          conditions: [
            { path: 'budgett', operator: 'gt', value: 1 },
            { path: 'budget', operator: 'between', value: 1 },
            { path: 'budget', operator: 'gt', value: 'lots' },
            { path: 'segment', operator: 'lt', value: 3 },
            { path: 'segment', operator: 'in', value: 'SMB' },
            { path: 'productIds', operator: 'eq', value: 'x' },
          ],
          target: 'CEO',
        },
        { id: 'a', conditions: [], target: 'MANAGER', priority: 1.5 },
      ],
      { fields, outcome: 'target', targets: ['MANAGER', 'FINANCE'] },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.code, e.field?.slice(2).join('.')])).toEqual([
      ['UNKNOWN_FIELD', '0.conditions.0.path'],
      ['UNKNOWN_OPERATOR', '0.conditions.1.operator'],
      ['WRONG_TYPE', '0.conditions.2.value'],
      ['WRONG_TYPE', '0.conditions.3.value'],
      ['WRONG_TYPE', '0.conditions.4.value'],
      ['WRONG_TYPE', '0.conditions.5.value'],
      ['INVALID', '0.target'],
      ['OUT_OF_RANGE', '1.priority'],
    ]);
    expect(result.errors[0].message).toBe('Unknown field "budgett"; use one of: segment, budget, vip, productIds');
    expect(result.errors[3].message).toBe('"lt" compares numbers; "segment" is string');
  });

  it('refuses duplicate ids, missing points and too many rules', () => {
    const dup = validateRules(
      [
        { id: 'x', conditions: [], points: 1 },
        { id: 'x', conditions: [] },
      ],
      { fields, outcome: 'points' },
    );
    expect(dup.ok ? [] : dup.errors.map((e) => e.code)).toEqual(['OUT_OF_RANGE']);
    const dup2 = validateRules(
      [
        { id: 'x', conditions: [], points: 1 },
        { id: 'x', conditions: [], points: 2 },
      ],
      { fields, outcome: 'points' },
    );
    expect(dup2.ok ? [] : dup2.errors.map((e) => e.code)).toEqual(['DUPLICATE']);
    const many = validateRules(
      Array.from({ length: 3 }, () => ({ conditions: [], points: 1 })),
      { fields, outcome: 'points', maxRules: 2 },
    );
    expect(many.ok ? [] : many.errors.map((e) => e.code)).toEqual(['TOO_MANY']);
  });
});
