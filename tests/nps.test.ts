import { jwtSecret, principalFromClaims, seedId, signAccessToken } from '@dcrm/kit';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, codes, distinctCodes, KEYS, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * NPS read back through the router: the customer's active survey, staff surveys, reports (summary, time
 * series, segments) and responses, each within the staff member's brand and segments. Writes happen in
 * Nimbus (no other test file creates Nimbus surveys); Volt's seeded responses are read only.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const VOLT_SURVEY = seedId('nps-survey', 'volt');
const hour = 3_600_000;

async function withScopes(token: string, scopes: string[]): Promise<Gql> {
  const claims = decodeJwt(token);
  const principal = principalFromClaims(claims);
  if (!principal) throw new Error('no principal in the access token');
  const { token: narrowed } = await signAccessToken({ ...principal, scopes }, jwtSecret(), String(claims.sid));
  return client(stack.router.handler, undefined, { authorization: `Bearer ${narrowed}` });
}

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.oliver = (await signIn(h, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)).gql;
  as.amelia = (await signIn(h, 'customerLogin', 'amelia@example.co.uk', KEYS.nimbus)).gql;
  as.cafe = (await signIn(h, 'customerLogin', 'hello@harbourcafe.example', KEYS.nimbus)).gql;
  const nimbus = await signIn(h, 'staffLogin', 'agent@nimbus.example');
  as.nimbusAgent = nimbus.gql;
  as.nimbusNoComments = await withScopes(nimbus.accessToken, ['nps:read']);
  as.nimbusNoNps = await withScopes(nimbus.accessToken, ['customer:read']);
  as.voltManager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.voltConsumer = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.shopper = client(h, KEYS.nimbus);
});
afterAll(() => stack.stop());

const ACTIVE = '{ npsActiveSurvey { id question scaleMin scaleMax } }';
const REPORT = `query ($surveyId: ID, $segment: String, $from: DateTime!, $to: DateTime!, $interval: NpsInterval!) {
  npsReport(surveyId: $surveyId, segment: $segment, from: $from, to: $to, interval: $interval) {
    summary { score responses promoters passives detractors }
    series { start end summary { score responses } }
    segments { segment summary { score responses } }
  }
}`;
const RESPONSES = `query ($surveyId: ID, $segment: String, $first: Int, $after: String) {
  npsSurveyResponses(surveyId: $surveyId, segment: $segment, first: $first, after: $after) {
    nodes { score segment channel } pageInfo { hasNextPage endCursor }
  }
}`;

describe('a new survey can be read back', () => {
  let surveyId: string;
  const from = new Date(Date.now() - hour).toISOString();
  const to = new Date(Date.now() + hour).toISOString();

  beforeAll(async () => {
    const created = await as.nimbusAgent(
      'mutation ($input: NpsSurveyCreateInput!) { npsSurveyCreate(input: $input) { survey { id name active scaleMax createdAt } userErrors { code } } }',
      { input: { name: 'Readback pulse', question: 'Would you recommend Nimbus to a friend?' } },
    );
    expect(created.body.data?.npsSurveyCreate.userErrors).toEqual([]);
    surveyId = created.body.data?.npsSurveyCreate.survey.id;
    const respond = 'mutation ($input: NpsRespondInput!) { npsRespond(input: $input) { userErrors { code } } }';
    for (const [who, score, comment] of [
      ['oliver', 10, 'Great coverage'],
      ['amelia', 3, 'Support was slow'],
      ['cafe', 8, null],
    ] as const) {
      const res = await as[who](respond, { input: { score, comment, channel: 'WEB' } });
      expect(res.body.data?.npsRespond.userErrors).toEqual([]);
    }
  });

  it("customers see their storefront's active survey: id, question and scale", async () => {
    const res = await as.oliver(ACTIVE);
    expect(res.body.data?.npsActiveSurvey).toEqual({
      id: surveyId,
      question: 'Would you recommend Nimbus to a friend?',
      scaleMin: 0,
      scaleMax: 10,
    });
    // Signed-in customers only: a storefront key alone is asked to sign in.
    expect(codes(await as.shopper(ACTIVE))).toEqual(['UNAUTHENTICATED']);
  });

  it('staff list their storefront surveys, newest first, page by page', async () => {
    const first = await as.nimbusAgent('{ npsSurveys(first: 1) { nodes { id name active } pageInfo { hasNextPage endCursor } } }');
    const page = first.body.data?.npsSurveys;
    expect(page.nodes).toEqual([{ id: surveyId, name: 'Readback pulse', active: true }]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await as.nimbusAgent('query ($after: String) { npsSurveys(first: 10, after: $after) { nodes { id active } } }', {
      after: page.pageInfo.endCursor,
    });
    const older = next.body.data?.npsSurveys.nodes as { id: string; active: boolean }[];
    expect(older.map((s) => s.id)).toContain(seedId('nps-survey', 'nimbus'));
    expect(older.every((s) => !s.active && s.id !== surveyId)).toBe(true);
    const volt = (await as.voltManager('{ npsSurveys(first: 100) { nodes { id } } }')).body.data?.npsSurveys.nodes as { id: string }[];
    expect(volt.map((s) => s.id)).not.toContain(surveyId);
  });

  it('reports the survey: summary, a daily series without gaps, and one entry per segment', async () => {
    const res = await as.nimbusAgent(REPORT, { surveyId, from, to, interval: 'DAY' });
    const report = res.body.data?.npsReport;
    expect(report.summary).toEqual({ score: 0, responses: 3, promoters: 1, passives: 1, detractors: 1 });
    expect(report.series.reduce((n: number, b: { summary: { responses: number } }) => n + b.summary.responses, 0)).toBe(3);
    for (let i = 1; i < report.series.length; i++) expect(report.series[i].start).toBe(report.series[i - 1].end);
    expect(report.segments).toEqual([
      { segment: 'consumer', summary: { score: 0, responses: 2 } },
      { segment: 'smb', summary: { score: 0, responses: 1 } },
    ]);
    const smb = (await as.nimbusAgent(REPORT, { surveyId, segment: 'smb', from, to, interval: 'MONTH' })).body.data?.npsReport;
    expect(smb.summary).toMatchObject({ responses: 1, passives: 1, score: 0 });
  });

  it('lists responses newest first; comments need customer:read as well as nps:read', async () => {
    const res = await as.nimbusAgent(
      `query ($surveyId: ID) { npsSurveyResponses(surveyId: $surveyId, first: 2) { nodes { score comment segment } pageInfo { hasNextPage endCursor } } }`,
      { surveyId },
    );
    const page = res.body.data?.npsSurveyResponses;
    expect(page.nodes.map((n: { score: number }) => n.score)).toEqual([8, 3]);
    expect(page.nodes[1]).toEqual({ score: 3, comment: 'Support was slow', segment: 'consumer' });
    const rest = await as.nimbusAgent(RESPONSES, { surveyId, first: 5, after: page.pageInfo.endCursor });
    expect(rest.body.data?.npsSurveyResponses.nodes).toEqual([{ score: 10, segment: 'consumer', channel: 'WEB' }]);

    const blind = await as.nimbusNoComments(
      `query ($surveyId: ID) { npsSurveyResponses(surveyId: $surveyId) { nodes { score comment } } }`,
      {
        surveyId,
      },
    );
    expect(codes(blind)).toContain('FORBIDDEN');
    const hidden = (blind.body.data?.npsSurveyResponses?.nodes ?? []) as { comment: string | null }[];
    expect(hidden).toHaveLength(3);
    expect(hidden.every((n) => n.comment === null)).toBe(true);
    expect((await as.nimbusNoComments(RESPONSES, { surveyId })).body.data?.npsSurveyResponses.nodes).toHaveLength(3);
  });
});

describe('who may read NPS', () => {
  const from = new Date(Date.now() - 60 * 24 * hour).toISOString();
  const to = new Date(Date.now() + hour).toISOString();

  it('staff of one brand get NOT_FOUND for another brand survey, and nothing of it in lists', async () => {
    expect(codes(await as.nimbusAgent(REPORT, { surveyId: VOLT_SURVEY, from, to, interval: 'WEEK' }))).toEqual(['NOT_FOUND']);
    expect(codes(await as.nimbusAgent(RESPONSES, { surveyId: VOLT_SURVEY }))).toEqual(['NOT_FOUND']);
  });

  it('staff see only their segments: in the report, per segment and in responses', async () => {
    const mine = (await as.voltConsumer(REPORT, { surveyId: VOLT_SURVEY, from, to, interval: 'WEEK' })).body.data?.npsReport;
    expect(mine.summary.responses).toBeGreaterThan(0);
    expect(mine.segments.map((s: { segment: string }) => s.segment)).toEqual(['consumer']);
    const all = (await as.voltManager(REPORT, { surveyId: VOLT_SURVEY, from, to, interval: 'WEEK' })).body.data?.npsReport;
    expect(all.summary.responses).toBeGreaterThan(mine.summary.responses);
    const other = (await as.voltConsumer(REPORT, { surveyId: VOLT_SURVEY, segment: 'smb', from, to, interval: 'WEEK' })).body.data
      ?.npsReport;
    expect(other.summary.responses).toBe(0);
    expect(other.segments).toEqual([]);
    const listed = (await as.voltConsumer(RESPONSES, { surveyId: VOLT_SURVEY, first: 100 })).body.data?.npsSurveyResponses.nodes;
    expect((listed as { segment: string }[]).every((n) => n.segment === 'consumer')).toBe(true);
    expect((await as.voltConsumer(RESPONSES, { segment: 'enterprise' })).body.data?.npsSurveyResponses.nodes).toEqual([]);
  });

  it('needs nps:read; customers and keys never reach the staff queries', async () => {
    expect(codes(await as.nimbusNoNps('{ npsSurveys { nodes { id } } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await as.nimbusNoNps(RESPONSES, {}))).toEqual(['FORBIDDEN']);
    for (const gql of [as.oliver, as.shopper]) {
      expect(codes(await gql('{ npsSurveys { nodes { id } } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(distinctCodes(await gql(REPORT, { from, to, interval: 'DAY' }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
  });

  it('bad input is refused: period backwards, too many buckets, a malformed survey id or cursor', async () => {
    const bad = async (variables: Record<string, unknown>) => codes(await as.nimbusAgent(REPORT, variables));
    expect(await bad({ from: to, to: from, interval: 'DAY' })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ from: '2015-01-01T00:00:00Z', to, interval: 'DAY' })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ surveyId: 'nope', from, to, interval: 'DAY' })).toEqual(['BAD_USER_INPUT']);
    expect(codes(await as.nimbusAgent(RESPONSES, { after: 'garbage' }))).toEqual(['BAD_USER_INPUT']);
  });
});
