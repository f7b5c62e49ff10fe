import { evaluateRules } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { guardNames } from '../pipeline/guards.js';
import { dueAt, escalationKey } from './activity.js';
import './approvals.js';

describe('escalation timing', () => {
  it('level n is due n idle limits after the idle period began; no limit, never', () => {
    const since = new Date('2026-12-01T09:00:00Z');
    expect(dueAt(since, 72, 1)?.toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(dueAt(since, 72, 2)?.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(dueAt(since, null, 1)).toBeNull();
    expect(escalationKey('abc')).toBe('opportunity-escalation:abc');
  });
});

describe('approvals', () => {
  it('register their guard by name; approval rules select every kind a stage move needs', () => {
    expect(guardNames()).toContain('APPROVALS_DONE');
    const rules = [
      { id: 'won', conditions: [{ path: 'toStage', operator: 'eq' as const, value: 'WON' }], target: 'MANAGER_APPROVAL' },
      { id: 'big', conditions: [{ path: 'value', operator: 'gte' as const, value: 10000 }], target: 'BUDGET_APPROVAL' },
    ];
    const kinds = (fact: object) => evaluateRules(rules, fact).matches.map((m) => m.target);
    expect(kinds({ toStage: 'WON', value: 12000 })).toEqual(['MANAGER_APPROVAL', 'BUDGET_APPROVAL']);
    expect(kinds({ toStage: 'NEGOTIATION', value: 500 })).toEqual([]);
  });
});
