import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { dbRows, succeeded } from '../../../tests/support/brand-matrix.js';
import { codes, customerId, productId, type Response, STOREFRONT_IDS, signIn, startTestStack } from '../../../tests/support/stack.js';
import { Lead } from '../src/entities/index.js';

/**
 * The pipeline through the router: stages and transitions as data, opportunities created with lines
 * priced by the catalog, custom fields, history, lead qualification, filters and rejection analysis.
 * Every row this file writes is its own (fresh opportunities and leads); seeded rows are only read.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const run = Math.random().toString(36).slice(2, 8).toUpperCase();
const startedAt = new Date(Date.now() - 60_000).toISOString();

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.manager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.business = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.consumer = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.nimbus = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.catalogAdmin = (await signIn(h, 'staffLogin', 'admin@dcrm.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
});
afterAll(() => stack.stop());

const OPPORTUNITY = `id version name stage status tmfStatus segment partnerId customer { id }
  lines { productId name kind quantity unitOneOff unitMonthly currencyCode }
  estimatedValue { oneOff monthly firstYear currency }
  contact { name email mobile role } address { city country } credit { check score limit } budget { amount currencyCode }
  closeDate closedAt closeReasonCode competitor customFields { key label type value }
  history { nodes { fromStage toStage toStatus actor reasonCode reasonLabel competitor note at } }`;
const CREATE = `mutation ($input: OpportunityCreateInput!) { opportunityCreate(input: $input) {
  opportunity { ${OPPORTUNITY} } userErrors { field code message } } }`;
const UPDATE = `mutation ($input: OpportunityUpdateInput!) { opportunityUpdate(input: $input) {
  opportunity { ${OPPORTUNITY} } userErrors { field code message } } }`;
const TRANSITION = `mutation ($input: OpportunityTransitionInput!) { opportunityTransition(input: $input) {
  opportunity { ${OPPORTUNITY} } userErrors { field code message } } }`;
const QUALIFY = `mutation ($input: LeadQualifyInput!) { leadQualify(input: $input) {
  lead { id status opportunity { id } } opportunity { ${OPPORTUNITY} lead { id } } userErrors { field code message } } }`;

const errorsOf = (r: Response, mutation: string) =>
  ((r.body.data?.[mutation]?.userErrors ?? []) as { field: string[] | null; code: string }[]).map((e) => [
    e.code,
    e.field?.join('.') ?? null,
  ]);

const SIM_20 = productId('volt-sim-20gb');
const ROUTER = productId('5g-home-router');

async function create(gql: Gql, input: Record<string, unknown>) {
  return succeeded(await gql(CREATE, { input: { name: `Pipeline ${run}`, ...input } }), 'opportunityCreate').opportunity;
}
async function move(gql: Gql, o: { id: string; version: number }, to: string, extra: Record<string, unknown> = {}) {
  return gql(TRANSITION, { input: { id: o.id, version: o.version, to, ...extra } });
}

describe('life cycle as data', () => {
  it('each storefront has stages with TMF699 statuses, transitions with their requirements, idle limits', async () => {
    const res = await as.manager(`{ pipelineStages { code status tmfStatus position idleLimitHours
      transitions { to requiredFields guards } } }`);
    const stages = res.body.data?.pipelineStages as { code: string; status: string; tmfStatus: string; transitions: any[] }[];
    expect(stages.map((s) => s.code)).toEqual([
      'PROSPECTING',
      'QUALIFICATION',
      'PROPOSAL',
      'NEGOTIATION',
      'WON',
      'LOST',
      'REJECTED',
      'CANCELLED',
    ]);
    expect(stages.map((s) => [s.status, s.tmfStatus])).toEqual([
      ['OPEN', 'ACKNOWLEDGED'],
      ['OPEN', 'IN_PROGRESS'],
      ['OPEN', 'IN_PROGRESS'],
      ['OPEN', 'IN_PROGRESS'],
      ['WON', 'ACCEPTED'],
      ['LOST', 'REJECTED'],
      ['REJECTED', 'REJECTED'],
      ['CANCELLED', 'CANCELLED'],
    ]);
    const proposal = stages.find((s) => s.code === 'PROPOSAL');
    expect(proposal?.transitions).toContainEqual({
      to: 'WON',
      requiredFields: [],
      guards: ['HAS_LINES', 'CUSTOM_FIELDS_COMPLETE', 'APPROVALS_DONE'],
    });
    expect(proposal?.transitions).toContainEqual({ to: 'LOST', requiredFields: ['REASON_CODE'], guards: [] });
    const seeded = await as.manager(
      'query ($id: ID!) { opportunity(id: $id) { stage stageEnteredAt history { nodes { fromStage toStage actor } } } }',
      {
        id: seedId('opportunity', 'volt-globex-upsell'),
      },
    );
    expect(seeded.body.data?.opportunity).toMatchObject({
      stage: 'PROPOSAL',
      stageEnteredAt: expect.any(String),
      history: { nodes: [{ fromStage: null, toStage: 'PROPOSAL', actor: 'service:seed' }] },
    });
    const reasons = await as.business('{ rejectionReasons(kind: LOSS) { code kind } }');
    expect(reasons.body.data?.rejectionReasons.map((r: { code: string }) => r.code)).toContain('PRICE');
  });
});

describe('opportunities created directly', () => {
  it('for an existing customer: lines priced by the catalog, details, custom fields, a first history row', async () => {
    const o = await create(as.business, {
      type: 'UPSELL',
      category: 'ENTERPRISE_MOBILE',
      customerId: customerId('globex'),
      lines: [
        { productId: SIM_20, quantity: 2 },
        { productId: ROUTER, quantity: 1 },
      ],
      contact: { name: 'Ian Globex', email: ' IT@Globex.example ', mobile: '+353871230004', role: 'IT manager' },
      address: { line1: '1 Dock Road', city: 'Dublin', country: 'ie' },
      credit: { check: 'PASSED', score: 720, limit: '5000.00' },
      budget: { amount: '1000.00' },
      closeDate: '2027-01-31',
      customFields: [
        { key: 'contract_term', value: '24' },
        { key: 'competitor_offer', value: 'Rival Business 30GB' },
        { key: 'site_survey_needed', value: 'false' },
      ],
    });
    expect(o).toMatchObject({
      stage: 'PROSPECTING',
      status: 'OPEN',
      tmfStatus: 'ACKNOWLEDGED',
      segment: 'enterprise',
      customer: { id: customerId('globex') },
      estimatedValue: { oneOff: '249.00', monthly: '29.98', firstYear: '608.76', currency: 'EUR' },
      contact: { email: 'it@globex.example', role: 'IT manager' },
      address: { city: 'Dublin', country: 'IE' },
      credit: { check: 'PASSED', score: 720, limit: '5000.00' },
      budget: { amount: '1000.00', currencyCode: 'EUR' },
      closeDate: '2027-01-31',
    });
    expect(o.lines).toEqual([
      {
        productId: SIM_20,
        name: expect.any(String),
        kind: 'PLAN',
        quantity: 2,
        unitOneOff: null,
        unitMonthly: '14.99',
        currencyCode: 'EUR',
      },
      {
        productId: ROUTER,
        name: expect.any(String),
        kind: 'DEVICE',
        quantity: 1,
        unitOneOff: '249.00',
        unitMonthly: null,
        currencyCode: 'EUR',
      },
    ]);
    expect(o.customFields).toEqual([
      { key: 'competitor_offer', label: 'Competitor offer', type: 'TEXT', value: 'Rival Business 30GB' },
      { key: 'contract_term', label: 'Contract term (months)', type: 'SELECT', value: '24' },
      { key: 'site_survey_needed', label: 'Site survey needed', type: 'BOOLEAN', value: 'false' },
    ]);
    expect(o.history.nodes).toEqual([
      expect.objectContaining({ fromStage: null, toStage: 'PROSPECTING', toStatus: 'OPEN', actor: expect.stringMatching(/^staff:/) }),
    ]);
  });

  it('for a prospect; refuses bad input with userErrors naming the field, and writes nothing', async () => {
    const prospect = await create(as.consumer, { contact: { name: 'Orla New', mobile: '+353871239999' } });
    expect(prospect).toMatchObject({
      segment: 'consumer',
      customer: null,
      lines: [],
      estimatedValue: { firstYear: '0.00', currency: null },
    });
    const bad = await as.consumer(CREATE, {
      input: {
        name: `Bad ${run}`,
        lines: [{ productId: seedId('product', 'no-such-product'), quantity: 1 }],
        contact: { email: 'not-an-email' },
        closeDate: '2027-02-30',
        customFields: [
          { key: 'contract_term', value: '48' },
          { key: 'numbers_to_port', value: 'many' },
          { key: 'no_such_field', value: 'x' },
        ],
      },
    });
    expect(errorsOf(bad, 'opportunityCreate')).toEqual(
      expect.arrayContaining([
        ['INVALID', 'input.contact.email'],
        ['INVALID', 'input.closeDate'],
      ]),
    );
    const fields = await as.consumer(CREATE, {
      input: {
        name: `Bad ${run}`,
        contact: { name: 'X' },
        customFields: [
          { key: 'contract_term', value: '48' },
          { key: 'numbers_to_port', value: 'many' },
          { key: 'no_such_field', value: 'x' },
        ],
      },
    });
    expect(errorsOf(fields, 'opportunityCreate')).toEqual([
      ['INVALID', 'input.customFields.0'],
      ['INVALID', 'input.customFields.1'],
      ['UNKNOWN_FIELD', 'input.customFields.2'],
    ]);
    const product = await as.consumer(CREATE, {
      input: { name: `Bad ${run}`, contact: { name: 'X' }, lines: [{ productId: seedId('product', 'nope') }] },
    });
    expect(errorsOf(product, 'opportunityCreate')).toEqual([['NOT_FOUND', 'input.lines.0.productId']]);
    const noContact = await as.consumer(CREATE, { input: { name: `Bad ${run}` } });
    expect(errorsOf(noContact, 'opportunityCreate')).toEqual([['REQUIRED', 'input.contact']]);
    expect(await dbRows(stack, 'opportunity', `select id from "opportunity"."opportunity" where name = ?`, [`Bad ${run}`])).toEqual([]);
  });

  it('staff write only in their segments; without opportunity:write they are refused; partners for their own accounts', async () => {
    const other = await as.consumer(CREATE, { input: { name: `Pipeline ${run}`, customerId: customerId('globex') } });
    expect(errorsOf(other, 'opportunityCreate')).toEqual([['NOT_FOUND', 'input.customerId']]);
    const segment = await as.consumer(CREATE, { input: { name: `Pipeline ${run}`, segment: 'smb', contact: { name: 'X' } } });
    expect(errorsOf(segment, 'opportunityCreate')).toEqual([['FORBIDDEN', 'input.segment']]);
    const admin = await as.catalogAdmin(CREATE, { input: { name: `Pipeline ${run}`, contact: { name: 'X' } } });
    expect(errorsOf(admin, 'opportunityCreate')).toEqual([['FORBIDDEN', null]]);
    const own = await create(as.connectify, { customerId: customerId('connectify-one'), lines: [{ productId: SIM_20 }] });
    expect(own).toMatchObject({ partnerId: seedId('partner', 'connectify'), segment: 'consumer', estimatedValue: { monthly: '14.99' } });
    const notOwn = await as.connectify(CREATE, { input: { name: `Pipeline ${run}`, customerId: customerId('globex') } });
    expect(errorsOf(notOwn, 'opportunityCreate')).toEqual([['NOT_FOUND', 'input.customerId']]);
  });

  it('updates at the version read: a stale version is a CONFLICT; new lines are re-priced', async () => {
    const o = await create(as.business, { customerId: customerId('globex'), lines: [{ productId: SIM_20 }] });
    const updated = succeeded(
      await as.business(UPDATE, {
        input: {
          id: o.id,
          version: o.version,
          name: `Pipeline ${run} v2`,
          lines: [{ productId: SIM_20, quantity: 10 }],
          customFields: [{ key: 'numbers_to_port', value: '10' }],
        },
      }),
      'opportunityUpdate',
    ).opportunity;
    expect(updated).toMatchObject({ name: `Pipeline ${run} v2`, estimatedValue: { monthly: '149.90', firstYear: '1798.80' } });
    expect(updated.version).toBeGreaterThan(o.version);
    expect(updated.customFields).toContainEqual({ key: 'numbers_to_port', label: 'Numbers to port', type: 'NUMBER', value: '10' });
    const stale = await as.business(UPDATE, { input: { id: o.id, version: o.version, name: 'Stale' } });
    expect(errorsOf(stale, 'opportunityUpdate')).toEqual([['CONFLICT', 'input.version']]);
    const outside = await as.consumer(UPDATE, { input: { id: o.id, version: updated.version, name: 'Not mine' } });
    expect(errorsOf(outside, 'opportunityUpdate')).toEqual([['NOT_FOUND', 'input.id']]);
  });
});

describe('transitions, history, reasons', () => {
  it('moves only along allowed transitions, runs guards, requires a managed reason to lose, records history', async () => {
    let o = await create(as.business, { customerId: customerId('globex') });
    expect(errorsOf(await move(as.business, o, 'WON'), 'opportunityTransition')).toEqual([['INVALID_TRANSITION', 'input.to']]);
    o = succeeded(await move(as.business, o, 'QUALIFICATION', { note: 'Called' }), 'opportunityTransition').opportunity;
    expect(errorsOf(await move(as.business, o, 'PROPOSAL'), 'opportunityTransition')).toEqual([['GUARD_HAS_LINES', 'input.to']]);
    expect(errorsOf(await move(as.business, o, 'LOST'), 'opportunityTransition')).toEqual([['REQUIRED', 'input.reasonCode']]);
    expect(errorsOf(await move(as.business, o, 'LOST', { reasonCode: 'NOT_REACHABLE' }), 'opportunityTransition')).toEqual([
      ['INVALID_REASON', 'input.reasonCode'],
    ]);
    expect(
      errorsOf(await move(as.business, { ...o, version: o.version - 1 }, 'LOST', { reasonCode: 'PRICE' }), 'opportunityTransition'),
    ).toEqual([['CONFLICT', 'input.version']]);
    const lost = succeeded(
      await move(as.business, o, 'LOST', { reasonCode: 'PRICE', competitor: 'Rival', note: 'Too dear' }),
      'opportunityTransition',
    ).opportunity;
    expect(lost).toMatchObject({ stage: 'LOST', status: 'LOST', tmfStatus: 'REJECTED', closeReasonCode: 'PRICE', competitor: 'Rival' });
    expect(lost.closedAt).toBeTruthy();
    expect(lost.history.nodes.map((h: { fromStage: string | null; toStage: string }) => [h.fromStage, h.toStage])).toEqual([
      [null, 'PROSPECTING'],
      ['PROSPECTING', 'QUALIFICATION'],
      ['QUALIFICATION', 'LOST'],
    ]);
    expect(lost.history.nodes[2]).toMatchObject({
      reasonCode: 'PRICE',
      reasonLabel: 'Price too high',
      competitor: 'Rival',
      note: 'Too dear',
    });
    const events = await dbRows(stack, 'opportunity', `select type from "opportunity"."outbox" where payload->>'opportunityId' = ?`, [
      o.id,
    ]);
    expect(events).toEqual([{ type: 'dcrm.opportunity.lost' }]);
  });

  it('wins through the guarded path and emits opportunity.won; rejection needs a rejection reason', async () => {
    let o = await create(as.business, { customerId: customerId('globex'), lines: [{ productId: ROUTER }] });
    for (const to of ['QUALIFICATION', 'PROPOSAL', 'WON'])
      o = succeeded(await move(as.business, o, to), 'opportunityTransition').opportunity;
    expect(o).toMatchObject({ status: 'WON', tmfStatus: 'ACCEPTED' });
    const events = await dbRows(stack, 'opportunity', `select type from "opportunity"."outbox" where payload->>'opportunityId' = ?`, [
      o.id,
    ]);
    expect(events).toEqual([{ type: 'dcrm.opportunity.won' }]);
    const r = await create(as.consumer, { contact: { name: 'Reject me' } });
    const rejected = succeeded(await move(as.consumer, r, 'REJECTED', { reasonCode: 'NO_COVERAGE' }), 'opportunityTransition').opportunity;
    expect(rejected).toMatchObject({ status: 'REJECTED', closeReasonCode: 'NO_COVERAGE' });
  });

  it('managers manage the reasons; rejection analysis counts by reason, segment and period within their rows', async () => {
    const code = `TEST_${run}`;
    const REASON = `mutation ($input: RejectionReasonCreateInput!) { rejectionReasonCreate(input: $input) { reason { id code version active } userErrors { code field } } }`;
    const reason = succeeded(
      await as.manager(REASON, { input: { code, label: 'Test reason', kind: 'REJECTION' } }),
      'rejectionReasonCreate',
    ).reason;
    expect(errorsOf(await as.manager(REASON, { input: { code, label: 'Again', kind: 'REJECTION' } }), 'rejectionReasonCreate')).toEqual([
      ['TAKEN', 'input.code'],
    ]);
    expect(codes(await as.business(REASON, { input: { code: `${code}X`, label: 'No', kind: 'LOSS' } }))).toEqual(['FORBIDDEN']);
    const o = await create(as.consumer, { contact: { name: 'Analysed' } });
    succeeded(await move(as.consumer, o, 'REJECTED', { reasonCode: code }), 'opportunityTransition');
    const UPDATE_REASON = `mutation ($input: RejectionReasonUpdateInput!) { rejectionReasonUpdate(input: $input) { reason { active version } userErrors { code field } } }`;
    const retired = succeeded(
      await as.manager(UPDATE_REASON, { input: { id: reason.id, version: reason.version, active: false } }),
      'rejectionReasonUpdate',
    );
    expect(retired.reason.active).toBe(false);
    expect(
      errorsOf(await as.manager(UPDATE_REASON, { input: { id: reason.id, version: reason.version, label: 'x' } }), 'rejectionReasonUpdate'),
    ).toEqual([['CONFLICT', 'input.version']]);

    const ANALYSIS = `query ($from: DateTime!, $to: DateTime!, $by: RejectionGroupBy!) {
      opportunityRejectionAnalysis(from: $from, to: $to, groupBy: $by) { key label rejected lost total } }`;
    const window = { from: startedAt, to: new Date(Date.now() + 3_600_000).toISOString() };
    const byReason = (await as.manager(ANALYSIS, { ...window, by: 'REASON' })).body.data?.opportunityRejectionAnalysis;
    expect(byReason).toContainEqual({ key: code, label: 'Test reason', rejected: 1, lost: 0, total: 1 });
    expect(byReason.find((r: { key: string }) => r.key === 'PRICE')?.lost).toBeGreaterThanOrEqual(1);
    const bySegment = (await as.manager(ANALYSIS, { ...window, by: 'SEGMENT' })).body.data?.opportunityRejectionAnalysis;
    expect(bySegment.map((r: { key: string }) => r.key)).toEqual(expect.arrayContaining(['consumer', 'enterprise']));
    const byPeriod = (await as.manager(ANALYSIS, { ...window, by: 'PERIOD' })).body.data?.opportunityRejectionAnalysis;
    expect(byPeriod[0].key).toMatch(/^\d{4}-\d{2}$/);
    expect(codes(await as.business(ANALYSIS, { ...window, by: 'REASON' }))).toEqual(['FORBIDDEN']);
    const nimbus = (await as.nimbus(ANALYSIS, { ...window, by: 'REASON' })).body.data?.opportunityRejectionAnalysis;
    expect(nimbus.map((r: { key: string }) => r.key)).not.toContain(code);
  });
});

describe('custom fields', () => {
  it('are defined per storefront; required ones and select options are enforced', async () => {
    const DEFINE = `mutation ($input: CustomFieldDefineInput!) { customFieldDefine(input: $input) { definition { key type options required } userErrors { code field } } }`;
    const key = `survey_slot_${run.toLowerCase()}`;
    expect(
      errorsOf(await as.nimbus(DEFINE, { input: { entity: 'OPPORTUNITY', key, label: 'Slot', type: 'SELECT' } }), 'customFieldDefine'),
    ).toEqual([['INVALID', 'input.options']]);
    expect(codes(await as.business(DEFINE, { input: { entity: 'OPPORTUNITY', key, label: 'Slot', type: 'TEXT' } }))).toEqual(['FORBIDDEN']);
    // Required in Nimbus only for the length of this test (Nimbus opportunities are created by this file alone).
    const defined = succeeded(
      await as.nimbus(DEFINE, {
        input: { entity: 'OPPORTUNITY', key, label: 'Survey slot', type: 'SELECT', options: ['AM', 'PM'], required: true },
      }),
      'customFieldDefine',
    );
    expect(defined.definition).toEqual({ key, type: 'SELECT', options: ['AM', 'PM'], required: true });
    try {
      const missing = await as.nimbus(CREATE, { input: { name: `Pipeline ${run}`, contact: { name: 'Nimbus prospect' } } });
      expect(errorsOf(missing, 'opportunityCreate')).toEqual([['REQUIRED', `input.customFields.${key}`]]);
      const o = await create(as.nimbus, { contact: { name: 'Nimbus prospect' }, customFields: [{ key, value: 'PM' }] });
      expect(o.customFields).toContainEqual({ key, label: 'Survey slot', type: 'SELECT', value: 'PM' });
      const list = await as.nimbus('{ customFieldDefinitions(entity: OPPORTUNITY) { key required } }');
      expect(list.body.data?.customFieldDefinitions).toContainEqual({ key, required: true });
      expect(
        (await as.manager('{ customFieldDefinitions(entity: OPPORTUNITY) { key } }')).body.data?.customFieldDefinitions,
      ).not.toContainEqual({ key });
    } finally {
      succeeded(
        await as.nimbus(DEFINE, {
          input: { entity: 'OPPORTUNITY', key, label: 'Survey slot', type: 'SELECT', options: ['AM', 'PM'], required: false },
        }),
        'customFieldDefine',
      );
    }
  });
});

describe('lead qualification', () => {
  async function freshLead(segment: string, productIds: string[]) {
    const opportunity = stack.subgraphs.find((s) => s.definition.name === 'opportunity') as Stack['subgraphs'][number];
    const em = opportunity.orm.em.fork();
    const lead = em.create(Lead, {
      storefrontId: STOREFRONT_IDS.volt,
      channel: 'WEB',
      status: 'NEW',
      source: 'pipeline test',
      segment,
      firstName: 'Quinn',
      lastName: `Lead ${run}`,
      company: `Quinn ${run} Ltd`,
      email: `quinn-${run.toLowerCase()}@example.com`,
      mobile: '+353871237777',
      capturedAt: new Date(),
      productIds,
      scoreExplanation: [],
    });
    await em.flush();
    return lead.id;
  }

  it('marks the lead QUALIFIED and creates its opportunity once, emitting lead.qualified', async () => {
    const leadId = await freshLead('smb', [SIM_20]);
    expect(errorsOf(await as.consumer(QUALIFY, { input: { leadId } }), 'leadQualify')).toEqual([['NOT_FOUND', 'input.leadId']]);
    const first = succeeded(await as.business(QUALIFY, { input: { leadId, closeDate: '2027-03-01' } }), 'leadQualify');
    expect(first.lead).toMatchObject({ id: leadId, status: 'QUALIFIED', opportunity: { id: first.opportunity.id } });
    expect(first.opportunity).toMatchObject({
      name: `Quinn ${run} Ltd`,
      segment: 'smb',
      stage: 'PROSPECTING',
      lead: { id: leadId },
      contact: { name: `Quinn Lead ${run}`, email: `quinn-${run.toLowerCase()}@example.com` },
      estimatedValue: { monthly: '14.99' },
      closeDate: '2027-03-01',
    });
    const again = succeeded(await as.business(QUALIFY, { input: { leadId } }), 'leadQualify');
    expect(again.opportunity.id).toBe(first.opportunity.id);
    const events = await dbRows(stack, 'opportunity', `select type from "opportunity"."outbox" where payload->>'leadId' = ?`, [leadId]);
    expect(events).toEqual([{ type: 'dcrm.lead.qualified' }]);
  });

  it('two qualifications at once end with one opportunity', async () => {
    const leadId = await freshLead('consumer', []);
    const [a, b] = await Promise.all([as.consumer(QUALIFY, { input: { leadId } }), as.manager(QUALIFY, { input: { leadId } })]);
    const ids = [succeeded(a, 'leadQualify').opportunity.id, succeeded(b, 'leadQualify').opportunity.id];
    expect(ids[0]).toBe(ids[1]);
    expect(await dbRows(stack, 'opportunity', 'select id from "opportunity"."opportunity" where lead_id = ?', [leadId])).toHaveLength(1);
  });
});

describe('filters and sort', () => {
  it('filters by stage, status, owner, customer, close date and value; sorts by value and close date with cursors', async () => {
    const cheap = await create(as.business, { customerId: customerId('globex'), lines: [{ productId: SIM_20 }], closeDate: '2031-05-02' });
    const dear = await create(as.business, {
      customerId: customerId('globex'),
      lines: [{ productId: ROUTER, quantity: 4 }],
      closeDate: '2031-05-01',
    });
    const QUERY = `query ($filter: OpportunityFilter, $sort: OpportunitySort, $first: Int, $after: String) {
      opportunities(filter: $filter, sort: $sort, first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const filter = {
      customerIds: [customerId('globex')],
      closeDateFrom: '2031-05-01',
      closeDateTo: '2031-05-02',
      statuses: ['OPEN'],
      stages: ['PROSPECTING'],
    };
    const ids = async (variables: Record<string, unknown>) => {
      const res = await as.business(QUERY, variables);
      expect(res.body.errors).toBeUndefined();
      return res.body.data?.opportunities;
    };
    expect((await ids({ filter, sort: 'VALUE' })).nodes.map((n: { id: string }) => n.id)).toEqual([dear.id, cheap.id]);
    expect((await ids({ filter, sort: 'CLOSE_DATE' })).nodes.map((n: { id: string }) => n.id)).toEqual([dear.id, cheap.id]);
    const page1 = await ids({ filter, sort: 'VALUE', first: 1 });
    expect(page1.nodes.map((n: { id: string }) => n.id)).toEqual([dear.id]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(
      (await ids({ filter, sort: 'VALUE', first: 1, after: page1.pageInfo.endCursor })).nodes.map((n: { id: string }) => n.id),
    ).toEqual([cheap.id]);
    expect((await ids({ filter: { ...filter, valueMin: '500' } })).nodes.map((n: { id: string }) => n.id)).toEqual([dear.id]);
    const owner = cheap.history.nodes[0].actor.slice('staff:'.length);
    expect((await ids({ filter: { ...filter, ownerStaffIds: [owner] } })).nodes).toHaveLength(2);
    expect((await ids({ filter: { ...filter, statuses: ['WON'] } })).nodes).toEqual([]);
    expect(codes(await as.business(QUERY, { filter: { closeDateFrom: 'soon' } }))).toEqual(['BAD_USER_INPUT']);
  });
});
