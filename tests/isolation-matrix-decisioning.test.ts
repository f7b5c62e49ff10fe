import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { decisioningOf } from '../subgraphs/promotion/src/domain/decisioning/index.js';
import { dbRows, expectRefusedAndUnchanged, succeeded } from './support/brand-matrix.js';
import { customType, decisionRows, decisionRule, event, INGEST, marketer, privateKey, RULE_CREATE } from './support/decisioning.js';
import {
  client,
  codes,
  KEYS,
  PRIVATE_KEYS,
  type Response,
  registerCustomer,
  STOREFRONT_IDS,
  signIn,
  startTestStack,
} from './support/stack.js';

/**
 * Decisioning across brands, segments and kinds of caller, through the router. Events go in only with
 * a private key holding `events:write`, and only about the key's own brand's customers; decisions,
 * rules, event types and KPIs are read by staff of the acting brand (decisions and KPIs: of their
 * segments too); rules and types are written there only. Everyone else is refused and changes nothing.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
let voltType: string;
let voltRule: { id: string; version: number };
let voltCustomer: { id: string };
let voltDecision: string;

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  const volt = await signIn(h, 'staffLogin', 'manager@volt.example');
  as.voltManager = volt.gql;
  as.voltManagerInNimbus = client(h, KEYS.nimbus, { authorization: `Bearer ${volt.accessToken}` });
  // Marketing staff (promotion:read) of the consumer segment, of business segments, and a care agent without promotion:read.
  as.consumerMarketer = await marketer(stack, volt.gql, ['consumer']);
  as.businessMarketer = await marketer(stack, volt.gql, ['smb', 'enterprise']);
  as.careAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  const regional = await signIn(h, 'staffLogin', 'regional@dcrm.example');
  as.regionalInNimbus = client(h, KEYS.nimbus, { authorization: `Bearer ${regional.accessToken}` });
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.shopper = client(h, KEYS.volt);
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.voltEvents = await privateKey(stack, as.voltManager, ['events:write']);
  as.nimbusEvents = await privateKey(stack, as.nimbusAgent, ['events:write']);

  voltType = await customType(as.voltManager);
  voltRule = await decisionRule(as.voltManager, { eventType: voltType });
  voltCustomer = await registerCustomer(h, KEYS.volt, { prefix: 'iso-decide' });
  const res = await as.voltEvents(INGEST, { events: [event(voltType, voltCustomer.id, { value: 1 }, `iso-${randomUUID().slice(0, 8)}`)] });
  voltDecision = res.body.data?.eventsIngest.results[0].decisionId;
  expect(voltDecision).toBeTruthy();
});
afterAll(() => stack.stop());

const DECISIONS = '{ decisions(first: 100) { nodes { id } } }';
const RULES = '{ decisionRules { id } }';
const TYPES = '{ eventTypes { name builtIn } }';
const KPIS = '{ decisionKpis { decisions byRule { rule { id } } } }';
const ids = (r: Response, field: string) =>
  ((r.body.data?.[field]?.nodes ?? r.body.data?.[field] ?? []) as { id: string }[]).map((n) => n.id);

describe('decisioning reads', () => {
  it('staff of the brand read decisions of their segments; other brands, other segments and other kinds none', async () => {
    expect(ids(await as.voltManager(DECISIONS), 'decisions')).toContain(voltDecision);
    expect(ids(await as.consumerMarketer(DECISIONS), 'decisions')).toContain(voltDecision);
    // The account is a consumer: staff of other segments do not see its decisions.
    expect(ids(await as.businessMarketer(DECISIONS), 'decisions')).not.toContain(voltDecision);
    expect(codes(await as.careAgent(DECISIONS))).toEqual(['FORBIDDEN']);
    expect(ids(await as.nimbusAgent(DECISIONS), 'decisions')).not.toContain(voltDecision);
    expect(ids(await as.regionalInNimbus(DECISIONS), 'decisions')).not.toContain(voltDecision);
    expect((await as.voltManagerInNimbus(DECISIONS)).status).toBe(401);
    for (const gql of [as.aoife, as.connectify, as.shopper, as.chatbot, as.voltEvents]) {
      for (const q of [DECISIONS, RULES, TYPES, KPIS]) expect(codes(await gql(q)).length, q).toBeGreaterThan(0);
    }
  });

  it('dead letters: staff of every segment of the brand read its own; other brands, segment staff and other kinds nothing', async () => {
    const booted = stack.subgraphs.find((s) => s.definition.name === 'promotion');
    const d = booted ? decisioningOf(booted.orm) : undefined;
    const producer = `iso-dead-${randomUUID().slice(0, 8)}`;
    await d?.deadLetters.add([
      { fields: ['storefront', STOREFRONT_IDS.volt, 'producer', producer, 'id', 'volt', 'type', 'X'], reasons: ['UNKNOWN_TYPE'] },
      { fields: ['storefront', STOREFRONT_IDS.nimbus, 'producer', producer, 'id', 'nimbus', 'type', 'X'], reasons: ['UNKNOWN_TYPE'] },
    ]);
    const DEAD = '{ decisionDeadLetters(first: 100) { nodes { eventId producer } counts { reason count } } }';
    const seen = async (gql: Gql) =>
      (((await gql(DEAD)).body.data?.decisionDeadLetters?.nodes ?? []) as { eventId: string; producer: string }[])
        .filter((n) => n.producer === producer)
        .map((n) => n.eventId);
    expect(await seen(as.voltManager)).toEqual(['volt']);
    expect(await seen(as.nimbusAgent)).toEqual(['nimbus']);
    expect(await seen(as.regionalInNimbus)).toEqual(['nimbus']);
    // A dead letter names no known customer, so no segment: staff of some segments only see none, nor counts.
    expect((await as.consumerMarketer(DEAD)).body.data?.decisionDeadLetters).toEqual({ nodes: [], counts: [] });
    expect(codes(await as.careAgent(DEAD))).toEqual(['FORBIDDEN']);
    expect((await as.voltManagerInNimbus(DEAD)).status).toBe(401);
    for (const gql of [as.aoife, as.connectify, as.shopper, as.chatbot, as.voltEvents]) {
      const res = await gql(DEAD);
      expect(codes(res).length).toBeGreaterThan(0);
      expect(res.body.data?.decisionDeadLetters ?? null).toBeNull();
    }
  });

  it('rules, event types and KPIs are the acting brand’s only', async () => {
    expect(ids(await as.voltManager(RULES), 'decisionRules')).toContain(voltRule.id);
    expect(ids(await as.nimbusAgent(RULES), 'decisionRules')).not.toContain(voltRule.id);
    expect(ids(await as.regionalInNimbus(RULES), 'decisionRules')).not.toContain(voltRule.id);
    const typeNames = async (gql: Gql) => (((await gql(TYPES)).body.data?.eventTypes ?? []) as { name: string }[]).map((t) => t.name);
    expect(await typeNames(as.voltManager)).toContain(voltType);
    expect(await typeNames(as.nimbusAgent)).not.toContain(voltType);
    expect(await typeNames(as.nimbusAgent)).toContain('DATA_USAGE');
    const ruleIds = async (gql: Gql) =>
      (((await gql(KPIS)).body.data?.decisionKpis.byRule ?? []) as { rule: { id: string } | null }[]).map((k) => k.rule?.id);
    expect(await ruleIds(as.voltManager)).toContain(voltRule.id);
    expect(await ruleIds(as.nimbusAgent)).not.toContain(voltRule.id);
    expect(await ruleIds(as.consumerMarketer)).toContain(voltRule.id);
    expect(await ruleIds(as.businessMarketer)).not.toContain(voltRule.id);
  });
});

describe('decisioning writes', () => {
  it('events go in only with events:write, and only about the key’s own brand’s customers', async () => {
    const producer = `iso-in-${randomUUID().slice(0, 8)}`;
    for (const [what, gql] of [
      ['public storefront key', as.shopper],
      ['customer', as.aoife],
      ['staff', as.voltManager],
      ['partner', as.connectify],
      ['private key without events:write', as.chatbot],
    ] as const) {
      const res = await gql(INGEST, { events: [event(voltType, voltCustomer.id, { value: 1 }, producer)] });
      expect(res.body.data?.eventsIngest ?? null, what).toBeNull();
      expect(codes(res).length, what).toBeGreaterThan(0);
    }
    // Another brand's key: the customer is no customer of its brand, and the type no type of its brand.
    const across = await as.nimbusEvents(INGEST, {
      events: [event('RECHARGE', voltCustomer.id, { amount: 10 }, producer), event(voltType, voltCustomer.id, { value: 1 }, producer)],
    });
    expect(across.body.data?.eventsIngest.results.map((r: { reasons: { code: string }[] }) => r.reasons[0]?.code)).toEqual([
      'UNKNOWN_CUSTOMER',
      'UNKNOWN_TYPE',
    ]);
    expect(await decisionRows(stack, producer)).toEqual([]);
  });

  it('event types and rules are written for the acting brand only; other brands and kinds change nothing', async () => {
    const UPDATE = `mutation ($input: DecisionRuleUpdateInput!) { decisionRuleUpdate(input: $input) { decisionRule { id } userErrors { code } } }`;
    const DEFINE = `mutation ($input: EventTypeDefineInput!) { eventTypeDefine(input: $input) { eventType { name } userErrors { code } } }`;
    const ruleRows = () => dbRows(stack, 'promotion', 'select * from "promotion"."decision_rule" where id = ?', [voltRule.id]);
    const typeRows = () =>
      dbRows(stack, 'promotion', 'select * from "promotion"."event_type" where name = ? order by storefront_id', [voltType]);
    const change = { id: voltRule.id, version: voltRule.version, name: 'Hijacked', dailyCap: 100 };
    for (const [what, gql, refusal] of [
      ['nimbus staff', as.nimbusAgent, 'NOT_FOUND'],
      ['regional acting in nimbus', as.regionalInNimbus, 'NOT_FOUND'],
      ['volt manager with the nimbus key', as.voltManagerInNimbus, 'HTTP 401'],
      ['customer', as.aoife, 'HTTP 400'],
      ['partner', as.connectify, 'HTTP 400'],
      ['events key', as.voltEvents, 'HTTP 400'],
    ] as const) {
      await expectRefusedAndUnchanged({
        mutation: 'decisionRuleUpdate',
        what,
        attempt: () => gql(UPDATE, { input: change }),
        refusal,
        rows: ruleRows,
      });
    }
    const schema = JSON.stringify({ type: 'object' });
    for (const [what, gql, refusal] of [
      ['volt manager with the nimbus key', as.voltManagerInNimbus, 'HTTP 401'],
      ['customer', as.aoife, 'HTTP 400'],
      ['partner', as.connectify, 'HTTP 400'],
    ] as const) {
      await expectRefusedAndUnchanged({
        mutation: 'eventTypeDefine',
        what,
        attempt: () => gql(DEFINE, { input: { name: voltType, payloadSchema: schema } }),
        refusal,
        rows: typeRows,
      });
    }
    // Nimbus declaring a type of the same name gets its own; Volt's schema stays as it was.
    const before = (await typeRows()) as { storefront_id: string }[];
    succeeded(await as.nimbusAgent(DEFINE, { input: { name: voltType, payloadSchema: schema } }), 'eventTypeDefine');
    const after = (await typeRows()) as { storefront_id: string }[];
    expect(after).toHaveLength(2);
    expect(after).toContainEqual(before[0]);
    // A rule of another brand's custom type cannot be made where the type is not declared.
    const otherType = await customType(as.voltManager);
    const refused = await as.nimbusAgent(RULE_CREATE, {
      input: { name: 'Borrowed type', eventType: otherType, action: { kind: 'OFFER', template: { title: 't', message: 'm' } } },
    });
    expect(refused.body.data?.decisionRuleCreate.userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'eventType'] }),
    ]);
    // The owning brand changes its own rule.
    succeeded(await as.voltManager(UPDATE, { input: { ...change, name: 'Renamed' } }), 'decisionRuleUpdate');
  });

  it('decisioning settings and channel rates are read, and settings written, for the acting brand only, by its promotion staff', async () => {
    const READ = '{ decisionSettings { dailyActionCap channelMinSample version } }';
    const SET = `mutation ($input: DecisionSettingsSetInput!) {
      decisionSettingsSet(input: $input) { decisionSettings { dailyActionCap version } userErrors { code } }
    }`;
    const voltId = STOREFRONT_IDS.volt;
    const voltRows = () => dbRows(stack, 'promotion', 'select * from "promotion"."decision_settings" where storefront_id = ?', [voltId]);
    const settingsOf = async (gql: Gql) =>
      (await gql(READ)).body.data?.decisionSettings as { dailyActionCap: number | null; version: number };
    // A cap no test reaches, distinctive enough to recognise: Volt's decisions stay as they were.
    const CAP = 987_654;
    const { version } = await settingsOf(as.voltManager);
    succeeded(await as.voltManager(SET, { input: { version, dailyActionCap: CAP } }), 'decisionSettingsSet');
    try {
      expect((await settingsOf(as.voltManager)).dailyActionCap).toBe(CAP);
      expect((await settingsOf(as.consumerMarketer)).dailyActionCap).toBe(CAP);
      expect((await settingsOf(as.nimbusAgent)).dailyActionCap).not.toBe(CAP);
      expect((await settingsOf(as.regionalInNimbus)).dailyActionCap).not.toBe(CAP);
      expect(codes(await as.careAgent(READ))).toEqual(['FORBIDDEN']);
      expect((await as.voltManagerInNimbus(READ)).status).toBe(401);
      for (const gql of [as.aoife, as.connectify, as.shopper, as.chatbot, as.voltEvents])
        expect(codes(await gql(READ)).length).toBeGreaterThan(0);
      // Channel rates: brand-wide for staff of every segment; in one of their own segments for the others.
      const RATES = 'query ($s: String) { decisionChannelRates(segment: $s) { channel sent } }';
      const rates = async (gql: Gql, s?: string) => ((await gql(RATES, { s })).body.data?.decisionChannelRates ?? null) as unknown[] | null;
      expect(await rates(as.voltManager)).toHaveLength(5);
      expect(await rates(as.consumerMarketer, 'consumer')).toHaveLength(5);
      expect(await rates(as.consumerMarketer)).toEqual([]);
      expect(await rates(as.consumerMarketer, 'smb')).toEqual([]);
      expect(codes(await as.careAgent(RATES))).toEqual(['FORBIDDEN']);
      expect((await as.voltManagerInNimbus(RATES)).status).toBe(401);
      for (const gql of [as.aoife, as.connectify, as.shopper, as.chatbot, as.voltEvents])
        expect(codes(await gql(RATES)).length).toBeGreaterThan(0);

      const current = (await settingsOf(as.voltManager)).version;
      for (const [what, gql, refusal] of [
        ['care agent without promotion:write', as.careAgent, 'FORBIDDEN'],
        ['volt manager with the nimbus key', as.voltManagerInNimbus, 'HTTP 401'],
        ['customer', as.aoife, 'HTTP 400'],
        ['partner', as.connectify, 'HTTP 400'],
        ['events key', as.voltEvents, 'HTTP 400'],
      ] as const) {
        await expectRefusedAndUnchanged({
          mutation: 'decisionSettingsSet',
          what,
          attempt: () => gql(SET, { input: { version: current, dailyActionCap: 1 } }),
          refusal,
          rows: voltRows,
        });
      }
      // Nimbus staff write Nimbus's settings (the same values: a touch), never Volt's.
      const before = await voltRows();
      const nimbus = await settingsOf(as.nimbusAgent);
      succeeded(await as.nimbusAgent(SET, { input: { version: nimbus.version } }), 'decisionSettingsSet');
      expect(await voltRows()).toEqual(before);
    } finally {
      const last = (await settingsOf(as.voltManager)).version;
      succeeded(await as.voltManager(SET, { input: { version: last, dailyActionCap: null } }), 'decisionSettingsSet');
    }
  });
});
