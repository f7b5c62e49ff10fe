import { randomUUID } from 'node:crypto';
import { seedId } from '@dcrm/kit';
import { expect } from 'vitest';
import type { Stack } from '../../stack/src/stack.js';
import { dbRows } from './brand-matrix.js';
import { client, KEYS, type Response, registerCustomer, signIn, testIp } from './stack.js';

type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;

export const INGEST = `mutation ($events: [ExternalEventInput!]!) {
  eventsIngest(events: $events) { results { eventId status decisionId outcome reasons { code message field } } userErrors { code } }
}`;
const KEY_CREATE = `mutation ($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { secret userErrors { code message } } }`;
const TYPE_DEFINE = `mutation ($input: EventTypeDefineInput!) { eventTypeDefine(input: $input) { eventType { name } userErrors { code message } } }`;
export const RULE_CREATE = `mutation ($input: DecisionRuleCreateInput!) {
  decisionRuleCreate(input: $input) { decisionRule { id version name } userErrors { code field message } }
}`;

/** A PRIVATE key of the staff member's brand with the given scopes: a client sending it. */
export async function privateKey(stack: Stack, staff: Gql, scopes: string[]): Promise<Gql> {
  const res = await staff(KEY_CREATE, { input: { kind: 'PRIVATE', name: `Mediation ${randomUUID().slice(0, 6)}`, scopes } });
  const secret = res.body.data?.apiKeyCreate?.secret;
  if (!secret) throw new Error(`apiKeyCreate failed: ${JSON.stringify(res.body)}`);
  return client(stack.router.handler, secret, { 'x-forwarded-for': testIp() });
}

/** A custom event type of the staff member's brand, unique to the caller (payload: a number `value`, optional `tag`). */
export async function customType(staff: Gql): Promise<string> {
  const name = `T_${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
  const schema = { type: 'object', required: ['value'], properties: { value: { type: 'number' }, tag: { type: 'string' } } };
  const res = await staff(TYPE_DEFINE, { input: { name, payloadSchema: JSON.stringify(schema) } });
  expect(res.body.data?.eventTypeDefine.userErrors, JSON.stringify(res.body)).toEqual([]);
  return name;
}

/** A decision rule (INBOX offers, no cooldown, generous caps unless given). */
export async function decisionRule(staff: Gql, input: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const res = await staff(RULE_CREATE, {
    input: {
      name: `Rule ${randomUUID().slice(0, 6)}`,
      action: { kind: 'OFFER', template: { title: `Deal ${randomUUID().slice(0, 8)}`, message: 'For {{name}}' } },
      channels: ['INBOX'],
      cooldownMinutes: 0,
      dailyCap: 100,
      channelDailyCap: 100,
      ...input,
    },
  });
  expect(res.body.data?.decisionRuleCreate.userErrors, JSON.stringify(res.body)).toEqual([]);
  return res.body.data?.decisionRuleCreate.decisionRule;
}

/** A fresh Volt customer with a mobile number (E.164), signed in. */
export async function customerWithMobile(stack: Stack) {
  const mobile = `+3538${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const c = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'decide' });
  return { ...c, mobile };
}

export const event = (type: string, accountId: string, payload: Record<string, unknown> = { value: 1 }, producer = 'test-mediation') => ({
  producer,
  eventId: randomUUID(),
  identity: { accountId },
  type,
  payload: JSON.stringify(payload),
});

/** Decisions recorded for a producer's events. */
export const decisionRows = (stack: Stack, producer: string) =>
  dbRows(stack, 'promotion', 'select event_id, outcome, customer_id, rule_id, offer_id from "promotion"."decision" where producer = ?', [
    producer,
  ]) as Promise<{ event_id: string; outcome: string; customer_id: string; rule_id: string | null; offer_id: string | null }[]>;

/** Waits (polling, no time asserted) until `check` holds, or fails after `tries`. */
export async function until(check: () => Promise<boolean>, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting: ${what}`);
}

/** A new Volt staff member in the Marketing group (promotion:read/write) for the given segments only, signed in. */
export async function marketer(stack: Stack, admin: Gql, segments: string[]): Promise<Gql> {
  const email = `marketer-${randomUUID().slice(0, 8)}@volt.example`;
  const password = 'marketer-password-2026!';
  const made = await admin(
    'mutation ($input: StaffCreateInput!) { staffCreate(input: $input) { oneTimePassword userErrors { code message } } }',
    { input: { email, name: 'Marketer', segments, accessGroupIds: [seedId('access-group', 'marketing')] } },
  );
  const oneTime = made.body.data?.staffCreate.oneTimePassword;
  if (!oneTime) throw new Error(`staffCreate failed: ${JSON.stringify(made.body)}`);
  const anonymous = client(stack.router.handler, undefined, { 'x-forwarded-for': testIp() });
  await anonymous('mutation ($input: PasswordChangeInput!) { staffPasswordChange(input: $input) { ok } }', {
    input: { email, currentPassword: oneTime, newPassword: password },
  });
  return (await signIn(stack.router.handler, 'staffLogin', email, undefined, password)).gql;
}
