import { randomUUID } from 'node:crypto';
import { SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import { signedHeaders } from '@dcrm/kit/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { type client, codes, KEYS, registerCustomer, STOREFRONT_IDS, signIn, startWithManager } from './support/stack.js';

/**
 * Notification templates (staff with `notification:manage`, per brand, checked at save), the one send
 * service other subgraphs call, the sent history (staff with `notification:read`, and the account
 * holder in their own 360° view) and resend, through the router.
 */
let stack: Stack;
type Gql = ReturnType<typeof client>;
let manager: Gql;
let agent: Gql;
let business: Gql;
let nimbus: Gql;

const TEMPLATE = 'id key channel locale subject body variables storefront { id } version';
const CREATE = `mutation ($input: NotificationTemplateCreateInput!) { notificationTemplateCreate(input: $input) { template { ${TEMPLATE} } userErrors { code field message } } }`;
const UPDATE = `mutation ($input: NotificationTemplateUpdateInput!) { notificationTemplateUpdate(input: $input) { template { ${TEMPLATE} } userErrors { code field } } }`;
const PREVIEW = `query ($input: NotificationTemplatePreviewInput!) { notificationTemplatePreview(input: $input) { preview { subject body } userErrors { code field } } }`;
const SENT = 'id templateKey channel recipient subject body status error resendOfId customer { id }';
const HISTORY = `query ($filter: NotificationSentFilter) { notificationsSent(filter: $filter, first: 50) { nodes { ${SENT} } } }`;
const RESEND = `mutation ($id: ID!) { notificationResend(input: { id: $id }) { notification { ${SENT} } userErrors { code } } }`;
const SEND = `mutation ($input: NotificationSendInput!) { notificationSend(input: $input) { results { customerId outcome channels } userErrors { code field message } } }`;

const key = () => `test.t${Math.random().toString(36).slice(2, 9)}`;
const customerSql = (sql: string, params: unknown[] = []) => dbRows(stack, 'customer', sql, params) as Promise<Record<string, unknown>[]>;

/** The cart subgraph's way in: a signed service principal straight to the customer subgraph. */
async function serviceSend(storefrontId: string, messages: Record<string, unknown>[], batch?: Record<string, unknown>) {
  const principal = servicePrincipal('cart', storefrontId, [SERVICE_SCOPES.messageSend]);
  const body = { query: SEND, variables: { input: { messages, ...(batch ? { batch } : {}) } } };
  const handler = stack.subgraphs.find((s) => s.definition.name === 'customer')?.server.handler as Parameters<typeof request>[0];
  const res = await request(handler)
    .post('/graphql')
    .set(signedHeaders(principal, 'customer', body))
    .send(body);
  return res.body.data?.notificationSend as {
    results: { customerId: string; outcome: string; channels: string[] }[];
    userErrors: { code: string }[];
  };
}

beforeAll(async () => {
  ({ stack, manager } = await startWithManager());
  const h = stack.router.handler;
  agent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  business = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  nimbus = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
});
afterAll(() => stack.stop());

describe('notification templates', () => {
  it('staff list their brand templates and the defaults; the seeded demo templates are there', async () => {
    const list = (await manager('{ notificationTemplates { key channel storefront { id } } }')).body.data?.notificationTemplates;
    expect(list).toContainEqual({ key: 'cart.reminder', channel: 'EMAIL', storefront: { id: STOREFRONT_IDS.volt } });
    expect(list).toContainEqual({ key: 'cart.reminder', channel: 'EMAIL', storefront: null });
    expect(list).toContainEqual({ key: 'campaign.offer', channel: 'SITE_MESSAGE', storefront: null });
    expect(list).toContainEqual({ key: 'customer.passwordReset', channel: 'EMAIL', storefront: { id: STOREFRONT_IDS.volt } });
    expect(list.some((t: { storefront: { id: string } | null }) => t.storefront?.id === STOREFRONT_IDS.nimbus)).toBe(false);
  });

  it('are checked when saved: parse, declared variables only, one per key, channel and locale', async () => {
    const k = key();
    const bad = (
      await manager(CREATE, {
        input: { key: k, channel: 'EMAIL', subject: 'Hi {{name}}', body: 'Code {{code}} {{#each x}}{{/each}}', variables: ['name'] },
      })
    ).body.data?.notificationTemplateCreate;
    expect(bad.template).toBeNull();
    expect(bad.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_TEMPLATE', 'INVALID_TEMPLATE']);
    const broken = (await manager(CREATE, { input: { key: k, channel: 'SMS', body: 'Hi {{name', variables: ['name'] } })).body.data
      ?.notificationTemplateCreate;
    expect(broken.userErrors).toMatchObject([{ code: 'INVALID_TEMPLATE', field: ['input', 'body'] }]);
    expect(await customerSql('select id from "customer"."notification_template" where key = ?', [k])).toEqual([]);

    const made = (
      await manager(CREATE, {
        input: { key: k, channel: 'SMS', body: 'Hi {{name}}, {{#if code}}code {{code}}{{/if}}', variables: ['name', 'code'] },
      })
    ).body.data?.notificationTemplateCreate;
    expect(made).toMatchObject({
      template: { key: k, channel: 'SMS', locale: 'en', storefront: { id: STOREFRONT_IDS.volt }, version: 1 },
      userErrors: [],
    });
    const again = (await manager(CREATE, { input: { key: k, channel: 'SMS', body: 'x', variables: [] } })).body.data
      ?.notificationTemplateCreate;
    expect(again.userErrors).toMatchObject([{ code: 'TAKEN' }]);

    const stale = (await manager(UPDATE, { input: { id: made.template.id, version: 0, body: 'x' } })).body.data?.notificationTemplateUpdate;
    expect(stale.userErrors).toMatchObject([{ code: 'CONFLICT' }]);
    const undeclared = (await manager(UPDATE, { input: { id: made.template.id, version: 1, variables: ['name'] } })).body.data
      ?.notificationTemplateUpdate;
    expect(undeclared.userErrors).toMatchObject([{ code: 'INVALID_TEMPLATE', field: ['input', 'body'] }]);
    const updated = (await manager(UPDATE, { input: { id: made.template.id, version: 1, body: 'Hello {{name}}' } })).body.data
      ?.notificationTemplateUpdate;
    expect(updated).toMatchObject({ template: { body: 'Hello {{name}}', version: 2 }, userErrors: [] });

    // The defaults are read-only; another brand's staff cannot see or change Volt's template.
    const defaultId = (await customerSql(`select id from "customer"."notification_template" where storefront_id is null limit 1`))[0].id;
    expect(
      (await manager(UPDATE, { input: { id: defaultId, version: 1, body: 'x' } })).body.data?.notificationTemplateUpdate.userErrors,
    ).toMatchObject([{ code: 'NOT_FOUND' }]);
    expect(
      (await nimbus(UPDATE, { input: { id: made.template.id, version: 2, body: 'x' } })).body.data?.notificationTemplateUpdate.userErrors,
    ).toMatchObject([{ code: 'NOT_FOUND' }]);
    expect((await nimbus(`{ notificationTemplates(key: "${k}") { id } }`)).body.data?.notificationTemplates).toEqual([]);
  });

  it('preview renders with sample data, strictly, and sends nothing', async () => {
    const vars = [
      { name: 'name', value: 'Aoife' },
      { name: 'url', value: 'https://volt.example/r' },
    ];
    const brand = (await manager(PREVIEW, { input: { key: 'cart.reminder', channel: 'EMAIL', sampleVariables: vars } })).body.data
      ?.notificationTemplatePreview;
    expect(brand).toEqual({
      preview: {
        subject: 'Volt: your cart is waiting',
        body: 'Hi Aoife, your Volt cart is saved. Pick up where you left off: https://volt.example/r',
      },
      userErrors: [],
    });
    const fallback = (await manager(PREVIEW, { input: { key: 'cart.reminder', channel: 'SMS', locale: 'fr', sampleVariables: vars } })).body
      .data?.notificationTemplatePreview;
    expect(fallback.preview).toEqual({ subject: null, body: 'Your cart is waiting: https://volt.example/r' });
    const missing = (await manager(PREVIEW, { input: { key: 'cart.reminder', channel: 'EMAIL', sampleVariables: [] } })).body.data
      ?.notificationTemplatePreview;
    expect(missing).toMatchObject({ preview: null, userErrors: [{ code: 'MISSING_VARIABLES' }] });
  });

  it('need notification:manage: care agents, customers and keys are refused', async () => {
    expect(codes(await agent(CREATE, { input: { key: key(), channel: 'SMS', body: 'x', variables: [] } }))).toEqual(['FORBIDDEN']);
    expect(codes(await agent('{ notificationTemplates { id } }'))).toEqual(['FORBIDDEN']);
    const shopper = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'notify' });
    expect((await shopper.gql('{ notificationTemplates { id } }')).status).toBe(400);
  });
});

describe('the send service, sent history and resend', () => {
  it('honours preferences and consents, records every message, and the history is brand- and segment-scoped', async () => {
    const keen = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'notify', marketingChannels: ['EMAIL', 'SMS'] });
    await keen.gql(
      'mutation { notificationPreferenceSet(input: { type: "CART_REMINDERS", channels: [EMAIL, SMS] }) { userErrors { code } } }',
    );
    const shy = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'notify' });
    const url = { name: 'url', value: 'https://volt.example/r?token=abc' };
    const message = (customerId: string, dedupeKey: string) => ({
      customerId,
      templateKey: 'cart.reminder',
      variables: [url],
      preferenceType: 'CART_REMINDERS',
      marketing: true,
      dedupeKey,
    });

    const first = await serviceSend(STOREFRONT_IDS.volt, [message(keen.id, `t:${keen.id}`), message(shy.id, `t:${shy.id}`)]);
    expect(first.userErrors).toEqual([]);
    // No mobile on the account: SMS is recorded as failed, the rest is sent.
    expect(first.results).toEqual([
      { customerId: keen.id, outcome: 'SENT', channels: ['SITE_MESSAGE', 'EMAIL'] },
      { customerId: shy.id, outcome: 'OPTED_OUT', channels: [] },
    ]);
    const retried = await serviceSend(STOREFRONT_IDS.volt, [message(keen.id, `t:${keen.id}`)]);
    expect(retried.results[0].outcome).toBe('DUPLICATE');
    // Another brand's service call does not reach Volt's accounts; a missing variable sends nothing at all.
    expect((await serviceSend(STOREFRONT_IDS.nimbus, [message(keen.id, 'other')])).results[0].outcome).toBe('SKIPPED');
    const incomplete = await serviceSend(STOREFRONT_IDS.volt, [{ ...message(keen.id, 'incomplete'), variables: [] }]);
    expect(incomplete.userErrors).toMatchObject([{ code: 'MISSING_VARIABLES' }]);
    expect(await customerSql(`select id from "customer"."notification_sent" where dedupe_key like 'incomplete%'`)).toEqual([]);

    const history = (await manager(HISTORY, { filter: { customerId: keen.id } })).body.data?.notificationsSent.nodes;
    expect(history).toHaveLength(3);
    expect(history).toContainEqual(
      expect.objectContaining({
        channel: 'EMAIL',
        recipient: keen.email,
        subject: 'Volt: your cart is waiting',
        status: 'SENT',
        customer: { id: keen.id },
      }),
    );
    expect(history).toContainEqual(expect.objectContaining({ channel: 'SMS', status: 'FAILED', error: 'No SMS address', recipient: null }));
    expect(history).toContainEqual(expect.objectContaining({ channel: 'SITE_MESSAGE', subject: 'Your cart is waiting', status: 'SENT' }));
    const [outbox] = await customerSql('select recipient, subject, body from "customer"."notification_outbox" where recipient = ?', [
      keen.email,
    ]);
    expect(outbox).toMatchObject({ subject: 'Volt: your cart is waiting', body: expect.stringContaining(url.value) });
    const inbox = (await keen.gql('{ me { siteMessages { nodes { title body } } } }')).body.data?.me.siteMessages.nodes;
    expect(inbox).toEqual([{ title: 'Your cart is waiting', body: `Pick up where you left off: ${url.value}` }]);

    // The 360° view: the holder sees their own; staff with notification:read; others see nothing.
    const own = (await keen.gql('{ me { notificationsSent { nodes { channel status } } } }')).body.data?.me.notificationsSent.nodes;
    expect(own).toHaveLength(3);
    const view = (await agent(`{ customer(id: "${keen.id}") { notificationsSent { nodes { channel } } } }`)).body.data?.customer;
    expect(view.notificationsSent.nodes).toHaveLength(3);
    expect((await business(HISTORY, { filter: { customerId: keen.id } })).body.data?.notificationsSent.nodes).toEqual([]);
    expect((await nimbus(HISTORY, { filter: { customerId: keen.id } })).body.data?.notificationsSent.nodes).toEqual([]);

    // Resend: the same text to the same channel, recorded as a resend; consent withdrawn stops marketing resends.
    const email = history.find((n: { channel: string }) => n.channel === 'EMAIL');
    const resent = (await manager(RESEND, { id: email.id })).body.data?.notificationResend;
    expect(resent).toMatchObject({
      notification: { channel: 'EMAIL', body: email.body, resendOfId: email.id, status: 'SENT' },
      userErrors: [],
    });
    expect(await customerSql('select id from "customer"."notification_outbox" where recipient = ?', [keen.email])).toHaveLength(2);
    expect(codes(await agent(RESEND, { id: email.id }))).toEqual(['FORBIDDEN']);
    expect((await nimbus(RESEND, { id: email.id })).body.data?.notificationResend.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    await keen.gql('mutation { customerConsentSet(input: { channel: EMAIL, granted: false }) { userErrors { code } } }');
    expect((await manager(RESEND, { id: email.id })).body.data?.notificationResend.userErrors).toEqual([{ code: 'NO_CONSENT' }]);
  });

  it('sends a batch (one template, values per customer) as the same messages one by one, and refuses values that do not match the names', async () => {
    const a = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'batch', marketingChannels: ['EMAIL'] });
    const b = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'batch' });
    const tag = randomUUID();
    const batch = (values: (string | null)[][]) => ({
      templateKey: 'campaign.offer',
      channels: ['SITE_MESSAGE'],
      preferenceType: 'OFFERS',
      variableNames: ['title', 'message', 'link'],
      recipients: [a, b].map((c, i) => ({ customerId: c.id, dedupeKey: `${tag}:${c.id}`, values: values[i] })),
    });
    const wrong = await serviceSend(
      STOREFRONT_IDS.volt,
      [],
      batch([
        ['Hi A', 'For A', null],
        ['Hi B', 'For B'],
      ]),
    );
    expect(wrong.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: ['input', 'batch', 'recipients', '1', 'values'] }),
    ]);
    expect(await customerSql('select id from "customer"."notification_sent" where dedupe_key like ?', [`${tag}%`])).toEqual([]);

    // Texts travel to PostgreSQL as array elements: quotes, braces, commas, backslashes and the word NULL stay text.
    const title = 'Hi "A", {x} \\ NULL';
    const sent = await serviceSend(
      STOREFRONT_IDS.volt,
      [],
      batch([
        [title, 'For A', null],
        ['Hi B', 'For B', 'https://volt.example/o'],
      ]),
    );
    expect(sent.userErrors).toEqual([]);
    expect(sent.results).toEqual([
      { customerId: a.id, outcome: 'SENT', channels: ['SITE_MESSAGE'] },
      // Marketing to an account without any consent, as for any message.
      { customerId: b.id, outcome: 'OPTED_OUT', channels: [] },
    ]);
    const inbox = await customerSql('select customer_id, title from "customer"."site_message" where customer_id in (?, ?)', [a.id, b.id]);
    expect(inbox).toEqual([{ customer_id: a.id, title }]);
    expect(await customerSql('select subject from "customer"."notification_sent" where dedupe_key like ?', [`${tag}%`])).toEqual([
      { subject: title },
    ]);
    // Keyed per customer as any message: sent again, nothing is.
    const again = await serviceSend(
      STOREFRONT_IDS.volt,
      [],
      batch([
        ['Hi A', 'For A', null],
        ['Hi B', 'For B', null],
      ]),
    );
    expect(again.results.map((r) => r.outcome)).toEqual(['DUPLICATE', 'OPTED_OUT']);
  });

  it('sends a batch whose recipients each name their own channels in one call, every outgoing message in the outbox', async () => {
    const a = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'perchannel', marketingChannels: ['EMAIL', 'PUSH'] });
    const b = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'perchannel', marketingChannels: ['EMAIL', 'PUSH'] });
    const tag = randomUUID();
    const sent = await serviceSend(STOREFRONT_IDS.volt, [], {
      templateKey: 'campaign.offer',
      channels: ['SITE_MESSAGE'],
      preferenceType: 'OFFERS',
      variableNames: ['title', 'message', 'link'],
      recipients: [
        // Quotes, a backslash, braces and commas: the outbox's texts are bound as arrays and must come back intact.
        { customerId: a.id, dedupeKey: `${tag}:a`, values: ['Hi "A", {1} \\ 2', 'For A, {x}', null], channels: ['EMAIL'] },
        { customerId: b.id, dedupeKey: `${tag}:b`, values: ['Hi B', 'For B', null], channels: ['PUSH'] },
      ],
    });
    expect(sent.userErrors).toEqual([]);
    expect(sent.results).toEqual([
      { customerId: a.id, outcome: 'SENT', channels: ['EMAIL'] },
      { customerId: b.id, outcome: 'SENT', channels: ['PUSH'] },
    ]);
    const outbox = await customerSql(
      'select channel, recipient from "customer"."notification_outbox" where recipient in (?, ?) order by channel',
      [a.email, b.id],
    );
    expect(outbox).toEqual([
      { channel: 'EMAIL', recipient: a.email },
      { channel: 'PUSH', recipient: b.id },
    ]);
    // What leaves is what was recorded, byte for byte, and the tricky text is in it.
    const both = await customerSql(
      `select o.subject, o.body, s.subject as sent_subject, s.body as sent_body from "customer"."notification_outbox" o
         join "customer"."notification_sent" s on s.id = o.sent_id where o.recipient = ?`,
      [a.email],
    );
    expect(both).toHaveLength(1);
    expect(both[0].subject).toBe(both[0].sent_subject);
    expect(both[0].body).toBe(both[0].sent_body);
    expect(`${both[0].subject} ${both[0].body}`).toContain('Hi "A", {1} \\ 2');
    // The batch's own channels are not added: neither inbox got a message.
    expect(await customerSql('select id from "customer"."site_message" where customer_id in (?, ?)', [a.id, b.id])).toEqual([]);
  });

  it('refuses the send mutation to everyone but services', async () => {
    const res = await manager(SEND, { input: { messages: [] } });
    expect(res.status).toBe(400);
    expect(codes(res)).toContain('GRAPHQL_VALIDATION_FAILED');
  });
});
