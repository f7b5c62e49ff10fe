import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { customType, decisionRule, RULE_CREATE } from './support/decisioning.js';
import { type Gql, STOREFRONT_IDS, startWithManager } from './support/stack.js';

/**
 * Money staff write for decisioning, refused through the router: a brand's daily budget or a rule's
 * cost out of range is an OUT_OF_RANGE userError naming the field, and nothing changes (read back).
 * Volt's daily budget: no other test file sets it (the isolation matrix touches its action cap only).
 */
let stack: Stack;
let manager: Gql;

beforeAll(async () => {
  ({ stack, manager } = await startWithManager());
});
afterAll(() => stack.stop());

const SETTINGS = '{ decisionSettings { dailyActionCap dailyBudget channelMinSample version } }';
const SETTINGS_SET = `mutation ($input: DecisionSettingsSetInput!) {
  decisionSettingsSet(input: $input) { decisionSettings { dailyBudget } userErrors { code field } }
}`;
const RULE_UPDATE = `mutation ($input: DecisionRuleUpdateInput!) {
  decisionRuleUpdate(input: $input) { decisionRule { version } userErrors { code field } }
}`;
const RULES = '{ decisionRules { id name version action { kind cost } } }';

const budgetRow = async () =>
  (await dbRows(stack, 'promotion', 'select daily_budget_minor from "promotion"."decision_settings" where storefront_id = ?', [
    STOREFRONT_IDS.volt,
  ])) as { daily_budget_minor: string | number | null }[];

describe('decisioning money out of range', () => {
  it("a brand's daily budget out of range is OUT_OF_RANGE and leaves the settings as they were", async () => {
    const before = (await manager(SETTINGS)).body.data?.decisionSettings;
    const rowBefore = await budgetRow();
    for (const dailyBudget of ['20000000.01', '-0.01']) {
      const res = await manager(SETTINGS_SET, { input: { version: before.version, dailyBudget } });
      expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
      expect(res.body.data?.decisionSettingsSet, dailyBudget).toEqual({
        decisionSettings: null,
        userErrors: [{ code: 'OUT_OF_RANGE', field: ['input', 'dailyBudget'] }],
      });
      const after = (await manager(SETTINGS)).body.data?.decisionSettings;
      expect(after.dailyBudget).toBe(before.dailyBudget);
      expect(after.channelMinSample).toBe(before.channelMinSample);
      expect(await budgetRow()).toEqual(rowBefore);
    }
  });

  it("a rule's cost out of range is OUT_OF_RANGE: the rule is neither created nor changed", async () => {
    const type = await customType(manager);
    const action = (cost: string) => ({ kind: 'OFFER', cost, template: { title: 'Deal', message: 'For {{name}}' } });
    const name = `Refused ${randomUUID().slice(0, 8)}`;
    const created = await manager(RULE_CREATE, {
      input: {
        name,
        eventType: type,
        action: action('20000000.01'),
        channels: ['INBOX'],
        cooldownMinutes: 0,
        dailyCap: 1,
        channelDailyCap: 1,
      },
    });
    expect(created.body.data?.decisionRuleCreate.userErrors).toEqual([
      expect.objectContaining({ code: 'OUT_OF_RANGE', field: ['input', 'action', 'cost'] }),
    ]);
    const rules = async () => (await manager(RULES)).body.data?.decisionRules as { id: string; name: string; version: number }[];
    expect((await rules()).filter((r) => r.name === name)).toEqual([]);

    const rule = await decisionRule(manager, { eventType: type, action: action('2.50') });
    const before = (await rules()).find((r) => r.id === rule.id);
    expect(before).toMatchObject({ version: rule.version, action: { cost: '2.50' } });
    for (const cost of ['-1.00', '20000000.01']) {
      const res = await manager(RULE_UPDATE, { input: { id: rule.id, version: rule.version, action: action(cost) } });
      expect(res.body.data?.decisionRuleUpdate, cost).toEqual({
        decisionRule: null,
        userErrors: [{ code: 'OUT_OF_RANGE', field: ['input', 'action', 'cost'] }],
      });
      expect((await rules()).find((r) => r.id === rule.id)).toEqual(before);
    }
  });
});
