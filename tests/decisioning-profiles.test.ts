import { randomUUID } from 'node:crypto';
import { profileChanged, warmDecisionProfiles } from '@dcrm/customer/domain/decision-profiles.js';
import { Customer } from '@dcrm/customer/entities/customer.entity.js';
import { databaseNamespace, executeBound, hotProfileKey, hotProfiles, seedId } from '@dcrm/kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { customType, decisionRule, INGEST, privateKey, until } from './support/decisioning.js';
import { KEYS, type Response, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * The hot copy of decisioning profiles: warmed in bulk from the customer subgraph into Redis, read by
 * the decision path instead of a call to the customer subgraph, and rewritten as a profile changes, so
 * the next decision sees a changed consent or mobile number (Nimbus, a custom event type per case).
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
let staff: Gql;
let ingest: Gql;
const NIMBUS = seedId('storefront', 'nimbus');
const redisUrl = process.env.REDIS_URL;

beforeAll(async () => {
  stack = await startTestStack();
  staff = (await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example')).gql;
  ingest = await privateKey(stack, staff, ['events:write']);
});
afterAll(() => stack.stop());

const CONSENT = `mutation ($input: ConsentSetInput!) { customerConsentSet(input: $input) { userErrors { code } } }`;
const UPDATE = `mutation ($input: CustomerUpdateInput!) { customerUpdate(input: $input) { customer { version } userErrors { code } } }`;

const customerOrm = () => {
  const booted = stack.subgraphs.find((s) => s.definition.name === 'customer');
  if (!booted) throw new Error('no customer subgraph');
  return booted.orm;
};
const mobile = () => `+3538${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

async function decide(type: string, identity: Record<string, string>) {
  const res = await ingest(INGEST, {
    events: [{ producer: 'profiles-test', eventId: randomUUID(), identity, type, payload: '{"value":1}' }],
  });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data?.eventsIngest.results[0] as { status: string; outcome: string; decisionId: string; reasons: { code: string }[] };
}
const decisionOf = async (id: string) =>
  (
    (await dbRows(stack, 'promotion', 'select segment, channel, outcome from "promotion"."decision" where id = ?', [id])) as {
      segment: string;
      channel: string | null;
      outcome: string;
    }[]
  )[0];

describe.skipIf(!redisUrl)('hot profiles', () => {
  it('a warmed profile is what the decision reads: no call to the customer subgraph for it', async () => {
    const c = await registerCustomer(stack.router.handler, KEYS.nimbus, { prefix: 'warm', marketingChannels: ['EMAIL'] });
    const number = mobile();
    await dbRows(stack, 'customer', 'update "customer"."customer" set mobile = ?, segment = ? where id = ?', [number, 'warmed', c.id]);
    const orm = customerOrm();
    const hot = hotProfiles(redisUrl as string, databaseNamespace(orm));
    try {
      const written = await warmDecisionProfiles((sql, params) => executeBound(orm.em.fork(), sql, params), hot, {
        storefrontId: NIMBUS,
        batch: 50,
      });
      expect(written).toBeGreaterThan(1);
    } finally {
      await hot.close();
    }
    const redis = new Redis(redisUrl as string);
    try {
      const stored = await redis.get(hotProfileKey(databaseNamespace(orm), `${NIMBUS}:m:${number}`));
      expect(JSON.parse(stored ?? 'null')).toMatchObject({ customerId: c.id, segment: 'warmed', consents: ['EMAIL'] });
    } finally {
      redis.disconnect();
    }
    // Changed behind the subgraph's back (no mutation, so no refresh): the decision still reads the warmed copy.
    await dbRows(stack, 'customer', 'update "customer"."customer" set segment = ? where id = ?', ['unseen', c.id]);
    const type = await customType(staff);
    await decisionRule(staff, { eventType: type, channels: ['EMAIL'] });
    const result = await decide(type, { msisdn: number });
    expect(result).toMatchObject({ status: 'ACCEPTED', outcome: 'ACTION' });
    expect(await decisionOf(result.decisionId)).toMatchObject({ segment: 'warmed', channel: 'EMAIL' });
  });

  it('a consent given or revoked is seen by the next decision', async () => {
    const c = await registerCustomer(stack.router.handler, KEYS.nimbus, { prefix: 'consent' });
    const type = await customType(staff);
    await decisionRule(staff, { eventType: type, channels: ['PUSH'] });
    // Seen once without consent: the profile is now cached in this process and in Redis.
    const before = await decide(type, { accountId: c.id });
    expect(before.outcome).toBe('NO_ACTION');
    expect((await c.gql(CONSENT, { input: { channel: 'PUSH', granted: true } })).body.data?.customerConsentSet.userErrors).toEqual([]);
    const given = await decide(type, { accountId: c.id });
    expect(given.outcome).toBe('ACTION');
    expect((await decisionOf(given.decisionId)).channel).toBe('PUSH');
    expect((await c.gql(CONSENT, { input: { channel: 'PUSH', granted: false } })).body.data?.customerConsentSet.userErrors).toEqual([]);
    expect((await decide(type, { accountId: c.id })).outcome).toBe('NO_ACTION');
  });

  it('a consent revoked while the hot copy cannot be written is still honoured by the next decision', async () => {
    const c = await registerCustomer(stack.router.handler, KEYS.nimbus, { prefix: 'stale', marketingChannels: ['EMAIL'] });
    const type = await customType(staff);
    await decisionRule(staff, { eventType: type, channels: ['EMAIL'] });
    // Decided once: the profile (EMAIL consented) is now cached in this process and in Redis.
    expect(await decide(type, { accountId: c.id })).toMatchObject({ outcome: 'ACTION' });
    const key = hotProfileKey(databaseNamespace(customerOrm()), `${NIMBUS}:a:${c.id}`);
    const redis = new Redis(redisUrl as string);
    try {
      expect(await redis.exists(key)).toBe(1);
      // The revocation commits, but Redis refuses the customer subgraph both the rewrite and the drop.
      const em = customerOrm().em.fork();
      const customer = await em.findOneOrFail(Customer, { id: c.id });
      customer.consents = customer.consents.map((consent) => (consent.channel === 'EMAIL' ? { ...consent, granted: false } : consent));
      await em.flush();
      const down = async () => {
        throw new Error('redis unavailable');
      };
      await profileChanged({ bus: stack.bus, hotProfiles: { write: down, drop: down } }, customer);
      await until(async () => (await redis.exists(key)) === 0, 'stale hot copy dropped');
    } finally {
      redis.disconnect();
    }
    expect(await decide(type, { accountId: c.id })).toMatchObject({ outcome: 'NO_ACTION' });
  });

  it('a new mobile number names the account at once; the old one no longer does', async () => {
    const c = await registerCustomer(stack.router.handler, KEYS.nimbus, { prefix: 'mobile', marketingChannels: ['EMAIL'] });
    const type = await customType(staff);
    await decisionRule(staff, { eventType: type, channels: ['EMAIL'] });
    const [first, second] = [mobile(), mobile()];
    const set = async (number: string) => {
      const { version } = (
        (await dbRows(stack, 'customer', 'select version from "customer"."customer" where id = ?', [c.id])) as { version: number }[]
      )[0];
      expect((await c.gql(UPDATE, { input: { version, mobile: number } })).body.data?.customerUpdate.userErrors).toEqual([]);
    };
    await set(first);
    expect(await decide(type, { msisdn: first })).toMatchObject({ status: 'ACCEPTED', outcome: 'ACTION' });
    await set(second);
    expect(await decide(type, { msisdn: second })).toMatchObject({ status: 'ACCEPTED', outcome: 'ACTION' });
    expect((await decide(type, { msisdn: first })).status).not.toBe('ACCEPTED');
  });
});
