import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { client, KEYS, registerCustomer, signIn, startTestStack, testIp } from './support/stack.js';

/**
 * The SMTP channel adapter against a real SMTP server (smtp-server, on a free port): with `SMTP_URL`
 * set, email leaves by SMTP instead of the outbox; a recipient the server refuses is recorded FAILED.
 */
type Mail = { from: string; to: string[]; raw: string };
const received: Mail[] = [];
const REFUSED = 'bounce@example.com';
let smtp: SMTPServer;
let stack: Stack;
const saved = { url: process.env.SMTP_URL, from: process.env.SMTP_FROM };

/** Quoted-printable soft breaks and escapes undone, enough to read a plain-text body. */
const decoded = (raw: string) =>
  raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === REFUSED) return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.SMTP_FROM = 'Volt <no-reply@volt.example>';
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  process.env.SMTP_URL = saved.url;
  process.env.SMTP_FROM = saved.from;
  if (saved.url === undefined) delete process.env.SMTP_URL;
  if (saved.from === undefined) delete process.env.SMTP_FROM;
});

const REQUEST = `mutation ($input: CustomerPasswordResetRequestInput!) { customerPasswordResetRequest(input: $input) { ok userErrors { code } } }`;
const RESET = `mutation ($input: CustomerPasswordResetInput!) { customerPasswordReset(input: $input) { ok userErrors { code } } }`;

describe('SMTP adapter', () => {
  it('delivers the password reset email to a real SMTP server, and the code in it works', async () => {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'smtp' });
    const gql = client(stack.router.handler, KEYS.volt, { 'x-forwarded-for': testIp() });
    expect((await gql(REQUEST, { input: { email: customer.email } })).body.data?.customerPasswordResetRequest).toEqual({
      ok: true,
      userErrors: [],
    });
    const mail = received.find((m) => m.to.includes(customer.email));
    expect(mail).toMatchObject({ from: 'no-reply@volt.example', to: [customer.email] });
    const text = decoded(mail?.raw ?? '');
    expect(text).toContain('Subject: Reset your Volt password');
    const token = /(pr_[A-Za-z0-9_-]+)/.exec(text)?.[1] as string;
    expect(token).toBeDefined();
    // Email went by SMTP, not to the outbox; the history says SENT.
    expect(
      await dbRows(stack, 'customer', 'select id from "customer"."notification_outbox" where recipient = ?', [customer.email]),
    ).toEqual([]);
    const [sent] = (await dbRows(
      stack,
      'customer',
      `select status from "customer"."notification_sent" where customer_id = ? and channel = 'EMAIL'`,
      [customer.id],
    )) as { status: string }[];
    expect(sent.status).toBe('SENT');
    expect((await gql(RESET, { input: { token, password: 'smtp-delivered-99' } })).body.data?.customerPasswordReset).toEqual({
      ok: true,
      userErrors: [],
    });
    await signIn(stack.router.handler, 'customerLogin', customer.email, KEYS.volt, 'smtp-delivered-99');
  });

  it('records a message the SMTP server refused as FAILED, with its reply code', async () => {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'smtp' });
    await dbRows(stack, 'customer', 'update "customer"."customer" set email = ? where id = ?', [REFUSED, customer.id]);
    const gql = client(stack.router.handler, KEYS.volt, { 'x-forwarded-for': testIp() });
    expect((await gql(REQUEST, { input: { email: REFUSED } })).body.data?.customerPasswordResetRequest.ok).toBe(true);
    const [sent] = (await dbRows(
      stack,
      'customer',
      `select status, error from "customer"."notification_sent" where customer_id = ? and channel = 'EMAIL'`,
      [customer.id],
    )) as { status: string; error: string }[];
    expect(sent).toEqual({ status: 'FAILED', error: 'SMTP refused: 550' });
  });
});
