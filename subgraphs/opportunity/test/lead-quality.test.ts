import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { codes, type Response, signIn, startTestStack } from '../../../tests/support/stack.js';
import { Lead } from '../src/entities/index.js';
import { freshBrand, insertLeads, opportunitySql, subgraph } from './support.js';

/**
 * Lead scoring, duplicate detection and merges through the router, in a brand of this file's own:
 * rules as data validated per fact, a score with its explanation recomputed on every change and when
 * the rules change; duplicates found on normalised keys and explained; leadMerge fills, marks, keeps
 * history, is idempotent and stays within the caller's brand and segments.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
let admin: Gql;
let brand: string;
let voltManager: Gql;
let consumerAgent: Gql;

beforeAll(async () => {
  stack = await startTestStack();
  ({ gql: admin, storefrontId: brand } = await freshBrand(stack));
  voltManager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
  consumerAgent = (await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example')).gql;
}, 60_000);
afterAll(() => stack.stop());

const SET_RULES = `mutation ($input: LeadScoringRulesSetInput!) { leadScoringRulesSet(input: $input) {
  ruleSet { storefrontId version rules { id name match points active conditions { field operator value } } facts { field type } }
  rescored userErrors { field code message } } }`;
const LEAD = `query ($id: ID!) { lead(id: $id) { id status score
  scoreExplanation { rule name points reason conditions { field operator expected actual } }
  duplicateOf { id } duplicates { lead { id } score reasons }
  mergedInto { id } mergeHistory { nodes { by mergedIds filled { field from } } } } }`;
const MERGE = `mutation ($input: LeadMergeInput!) { leadMerge(input: $input) {
  lead { id status firstName lastName company email mobile mergeHistory { nodes { mergedIds filled { field } } } }
  userErrors { field code message } } }`;

const RULES = [
  { id: 'hot', name: 'Hot lead', points: 30, conditions: [{ field: 'rating', operator: 'EQ', value: 'HOT' }] },
  { id: 'budget', name: 'Big budget', points: 20, conditions: [{ field: 'budget', operator: 'GTE', value: '1000' }] },
  {
    id: 'reachable',
    points: 10,
    conditions: [
      { field: 'hasEmail', operator: 'EQ', value: 'true' },
      { field: 'hasMobile', operator: 'EQ', value: 'true' },
    ],
  },
  { id: 'web', points: 5, conditions: [{ field: 'channel', operator: 'IN', values: ['WEB', 'SELF_CARE'] }] },
  { id: 'cold', points: -15, conditions: [{ field: 'rating', operator: 'EQ', value: 'COLD' }] },
];

const lead = async (gql: Gql, id: string) => (await gql(LEAD, { id })).body.data?.lead;
const tag = () => Math.random().toString(36).slice(2, 8);

describe('scoring rules', () => {
  it('refuses rules on unknown facts or with values of the wrong type, with every problem at its path', async () => {
    const res = await admin(SET_RULES, {
      input: {
        rules: [
          { points: 5, conditions: [{ field: 'shoeSize', operator: 'EQ', value: '42' }] },
          { points: 5, conditions: [{ field: 'budget', operator: 'GT', value: 'lots' }] },
          { points: 5000, conditions: [] },
        ],
      },
    });
    const payload = res.body.data?.leadScoringRulesSet;
    expect(payload.ruleSet).toBeNull();
    expect(payload.userErrors.map((e: { code: string; field: string[] }) => `${e.field.join('.')}:${e.code}`)).toEqual([
      'input.rules.0.conditions.0.path:UNKNOWN_FIELD',
      'input.rules.1.conditions.0.value:WRONG_TYPE',
      'input.rules.2.points:OUT_OF_RANGE',
    ]);
  });

  it('scores leads with an explanation, again on every change and when the rules change', async () => {
    const t = tag();
    const [before] = await insertLeads(stack, brand, [
      {
        channel: 'WEB',
        rating: 'HOT',
        budgetAmount: '2500.00',
        budgetCurrency: 'EUR',
        email: `s-${t}@example.com`,
        mobile: '+353871110001',
      },
    ]);
    expect(before.score).toBe(0);

    const set = await admin(SET_RULES, { input: { rules: RULES } });
    const payload = set.body.data?.leadScoringRulesSet;
    expect(payload.userErrors).toEqual([]);
    expect(payload.rescored).toBeGreaterThanOrEqual(1);
    expect(payload.ruleSet).toMatchObject({ storefrontId: brand, version: 1 });
    expect(payload.ruleSet.rules[3]).toMatchObject({
      id: 'web',
      match: 'ALL',
      points: 5,
      conditions: [{ field: 'channel', operator: 'IN', value: '["WEB","SELF_CARE"]' }],
    });
    expect(payload.ruleSet.facts).toContainEqual({ field: 'budget', type: 'number' });

    const scored = await lead(admin, before.id);
    expect(scored.score).toBe(65);
    expect(scored.scoreExplanation.map((r: { rule: string; points: number }) => [r.rule, r.points])).toEqual([
      ['hot', 30],
      ['budget', 20],
      ['reachable', 10],
      ['web', 5],
    ]);
    expect(scored.scoreExplanation[1]).toMatchObject({
      name: 'Big budget',
      reason: 'Big budget (+20): budget gte 1000 (was 2500)',
      conditions: [{ field: 'budget', operator: 'GTE', expected: '1000', actual: '2500' }],
    });

    // A change rescored in its own flush: COLD now, no mobile.
    const em = subgraph(stack, 'opportunity').orm.em.fork();
    const row = await em.findOneOrFail(Lead, { id: before.id });
    Object.assign(row, { rating: 'COLD', mobile: null });
    await em.flush();
    expect((await lead(admin, before.id)).score).toBe(20 + 5 - 15);

    // New leads are scored as they are written.
    const [fresh] = await insertLeads(stack, brand, [{ channel: 'SELF_CARE', rating: 'HOT', email: `f-${t}@example.com` }]);
    expect(fresh.score).toBe(35);
  });

  it('staff of another brand or without opportunity:manage cannot set them, and read none of another brand', async () => {
    const other = await voltManager(SET_RULES, { input: { storefrontId: brand, rules: [] } });
    expect(other.body.data?.leadScoringRulesSet.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
    expect(codes(await consumerAgent(SET_RULES, { input: { rules: [] } }))).toEqual(['FORBIDDEN']);
    const read = await voltManager('query ($id: ID) { leadScoringRules(storefrontId: $id) { storefrontId } }', { id: brand });
    expect(read.body.data?.leadScoringRules).toBeNull();
    const own = await admin('{ leadScoringRules { storefrontId rules { id } } }');
    expect(own.body.data?.leadScoringRules.rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.id));
  });
});

describe('duplicates and merges', () => {
  it('flags a new lead that matches an existing one on normalised keys, and explains the match', async () => {
    const t = tag();
    const [first] = await insertLeads(stack, brand, [
      {
        firstName: 'Jane',
        lastName: 'Dóe',
        email: `Jane.${t}@Example.com`,
        address: { line1: '1 Main St', city: 'Cork', postcode: 'T12 AB34' },
      },
    ]);
    const [second] = await insertLeads(stack, brand, [
      {
        firstName: 'doe',
        lastName: 'JANE',
        email: ` jane.${t}@example.com `,
        address: { line1: '1 main st', city: 'CORK', postcode: 't12ab34' },
      },
    ]);
    const [third] = await insertLeads(stack, brand, [{ firstName: 'Someone', lastName: 'Else', email: `other-${t}@example.com` }]);
    expect(second.duplicateOf).toBe(first.id);
    expect(third.duplicateOf).toBeNull();
    const seen = await lead(admin, second.id);
    expect(seen.duplicateOf).toEqual({ id: first.id });
    expect(seen.duplicates).toEqual([{ lead: { id: first.id }, score: 95, reasons: ['EMAIL', 'NAME_AND_ADDRESS'] }]);
    expect((await lead(admin, third.id)).duplicates).toEqual([]);
    const keys = await opportunitySql(stack, 'select email_key, name_key, address_key from opportunity.lead where id = ?', [second.id]);
    expect(keys[0]).toEqual({ email_key: `jane.${t}@example.com`, name_key: 'doe jane', address_key: '1 main st cork t12ab34' });
    // Demo leads carry their keys too (the seed's flush derives them), so new leads match them.
    const seeded = await opportunitySql(stack, 'select email_key, mobile_key, name_key from opportunity.lead where id = ?', [
      seedId('lead', 'nimbus-web-new'),
    ]);
    expect(seeded[0]).toEqual({ email_key: 'tom.hughes@example.co.uk', mobile_key: '+447700900101', name_key: 'hughes tom' });
  });

  it('merges duplicates into a survivor: empty fields filled, merged leads MERGED, history kept, idempotent', async () => {
    const t = tag();
    const [survivor] = await insertLeads(stack, brand, [{ firstName: 'Ann', lastName: 'Lee', email: `ann-${t}@example.com` }]);
    const [dupe] = await insertLeads(stack, brand, [
      {
        firstName: 'Ann',
        lastName: 'Lee',
        email: `ann-${t}@example.com`,
        mobile: '+353871119999',
        company: 'Lee Ltd',
        productIds: [seedId('product', 'x')],
      },
    ]);
    expect(dupe.duplicateOf).toBe(survivor.id);
    const merged = await admin(MERGE, { input: { survivorId: survivor.id, mergedIds: [dupe.id] } });
    const payload = merged.body.data?.leadMerge;
    expect(payload.userErrors).toEqual([]);
    expect(payload.lead).toMatchObject({ id: survivor.id, mobile: '+353871119999', company: 'Lee Ltd' });
    const [row] = await opportunitySql(stack, 'select product_ids from opportunity.lead where id = ?', [survivor.id]);
    expect(row.product_ids).toEqual([seedId('product', 'x')]);
    expect(payload.lead.mergeHistory.nodes).toEqual([
      { mergedIds: [dupe.id], filled: [{ field: 'company' }, { field: 'mobile' }, { field: 'productIds' }] },
    ]);
    const gone = await lead(admin, dupe.id);
    expect(gone).toMatchObject({ status: 'MERGED', mergedInto: { id: survivor.id }, duplicates: [] });
    expect((await lead(admin, survivor.id)).duplicates).toEqual([]);

    // Again: nothing changes, the history has one entry.
    const again = await admin(MERGE, { input: { survivorId: survivor.id, mergedIds: [dupe.id] } });
    expect(again.body.data?.leadMerge.lead.mergeHistory.nodes).toHaveLength(1);
    // A merged lead cannot survive a merge.
    const [third] = await insertLeads(stack, brand, [{ firstName: 'Ann', lastName: 'Lee', mobile: '+353871119999' }]);
    const backwards = await admin(MERGE, { input: { survivorId: dupe.id, mergedIds: [third.id] } });
    expect(backwards.body.data?.leadMerge.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_STATE']);
    const audit = await opportunitySql(
      stack,
      `select count(*)::int as n from opportunity.audit_record where entity_id = ? and action = 'UPDATE'`,
      [dupe.id],
    );
    expect(audit[0].n).toBeGreaterThanOrEqual(1);
  });

  it('other brands and segments cannot merge: NOT_FOUND, nothing written; input problems are userErrors', async () => {
    const t = tag();
    const [a, b] = await insertLeads(stack, brand, [
      { firstName: 'Bo', email: `bo-${t}@example.com` },
      { firstName: 'Bo', email: `bo2-${t}@example.com` },
    ]);
    const cross = await voltManager(MERGE, { input: { survivorId: a.id, mergedIds: [b.id] } });
    expect(cross.body.data?.leadMerge.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
    // Seeded Volt leads: the consumer agent may not touch the smb segment's.
    const smb = seedId('lead', 'volt-bulk-new');
    const consumer = seedId('lead', 'volt-web-new');
    const segment = await consumerAgent(MERGE, { input: { survivorId: consumer, mergedIds: [smb] } });
    expect(segment.body.data?.leadMerge.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field.join('.')])).toEqual([
      ['NOT_FOUND', 'input.mergedIds.0'],
    ]);
    const self = await admin(MERGE, { input: { survivorId: a.id, mergedIds: [a.id] } });
    expect(self.body.data?.leadMerge.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID']);
    expect((await lead(admin, b.id)).status).toBe('NEW');
  });
});

describe('through leadCreate / leadUpdate, and the lists', () => {
  const CREATE = `mutation ($input: LeadCreateInput!) { leadCreate(input: $input) {
    lead { id score version duplicateOf { id } } duplicates { lead { id } score reasons } userErrors { field code } } }`;
  const UPDATE = `mutation ($input: LeadUpdateInput!) { leadUpdate(input: $input) { lead { id score scoreExplanation { rule } } userErrors { code } } }`;
  const LIST = `query ($filter: LeadFilter, $sort: LeadSort, $after: String) { leads(first: 2, filter: $filter, sort: $sort, after: $after) {
    nodes { id score budget { amount } } pageInfo { hasNextPage endCursor } } }`;

  it('reports duplicates in the payload, flags the lead, scores on create and update; filters and sorts by score and budget', async () => {
    const t = tag();
    const first = (
      await admin(CREATE, {
        input: {
          firstName: 'Cara',
          lastName: 'Quinn',
          email: `cara-${t}@example.com`,
          mobile: '+353871117777',
          rating: 'HOT',
          budget: { amount: '5000', currencyCode: 'EUR' },
        },
      })
    ).body.data?.leadCreate;
    expect(first.userErrors).toEqual([]);
    expect(first.lead).toMatchObject({ score: 60, duplicateOf: null });
    const second = (
      await admin(CREATE, {
        input: { firstName: 'C.', lastName: 'Quinn', mobile: '+353871117777', budget: { amount: '3000', currencyCode: 'EUR' } },
      })
    ).body.data?.leadCreate;
    expect(second.lead.duplicateOf).toEqual({ id: first.lead.id });
    expect(second.duplicates).toEqual([{ lead: { id: first.lead.id }, score: 85, reasons: ['MOBILE'] }]);
    expect(second.lead.score).toBe(20);

    const updated = (await admin(UPDATE, { input: { id: second.lead.id, version: second.lead.version, rating: 'COLD' } })).body.data
      ?.leadUpdate;
    expect(updated.lead).toMatchObject({ score: 5, scoreExplanation: [{ rule: 'budget' }, { rule: 'cold' }] });

    const dupes = (await admin(LIST, { filter: { duplicate: true, minBudget: '1000', budgetCurrency: 'EUR' } })).body.data?.leads;
    expect(dupes.nodes.map((n: { id: string }) => n.id)).toEqual([second.lead.id]);
    const scored = (await admin(LIST, { filter: { minScore: 50, maxScore: 60 }, sort: 'SCORE' })).body.data?.leads;
    expect(scored.nodes.map((n: { id: string }) => n.id)).toContain(first.lead.id);
    expect(scored.nodes.every((n: { score: number }) => n.score >= 50 && n.score <= 60)).toBe(true);

    // By budget, highest first, page by page: every budgeted lead of the brand once, in order.
    const seen: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: { nodes: { budget: { amount: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = (
        await admin(LIST, { sort: 'BUDGET', after })
      ).body.data?.leads;
      seen.push(...page.nodes.map((n) => Number(n.budget.amount)));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const [{ n }] = await opportunitySql(
      stack,
      'select count(*)::int as n from opportunity.lead where storefront_id = ? and budget_amount is not null',
      [brand],
    );
    expect(seen).toHaveLength(n);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(seen.slice(0, 2)).toEqual([5000, 3000]);
  });
});
