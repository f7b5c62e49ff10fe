import { parseArgs } from 'node:util';
import { type Account360, createSelfCareApp } from './app.js';

// Walks through the app's screens as a signed-in customer and prints what each would show.
const args = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const { values } = parseArgs({
  args,
  options: {
    email: { type: 'string', default: process.env.DCRM_EMAIL ?? 'aoife@example.com' },
    password: { type: 'string', default: process.env.DCRM_PASSWORD ?? 'dcrm-demo-2026' },
    listen: { type: 'string', default: '30' },
    'mark-read': { type: 'boolean', default: false },
  },
});

const app = createSelfCareApp({
  endpoint: process.env.DCRM_API_URL ?? 'http://localhost:4000/graphql',
  apiKey: process.env.DCRM_API_KEY ?? 'dcrm_pk_volt_demo_3f9c1a7e5b2d4c8a',
});

const title = (text: string) => console.log(`\n── ${text} ${'─'.repeat(Math.max(0, 60 - text.length))}`);
const money = (m: { amount: string; currencyCode: string }) =>
  new Intl.NumberFormat('en-IE', { style: 'currency', currency: m.currencyCode }).format(Number(m.amount));

function printAccount(a: Account360) {
  const p = a.profile;
  console.log(`${p.name} <${p.email}>${p.mobile ? `, ${p.mobile}` : ''}: ${p.type}, ${p.segment}, ${p.lifecycleStage}`);
  for (const ad of a.addresses ?? [])
    console.log(`  address (${ad.type}${ad.default ? ', default' : ''}): ${ad.line1}, ${ad.city} ${ad.postcode}, ${ad.country}`);
  for (const c of a.contacts)
    console.log(`  contact${c.primary ? ' (primary)' : ''}: ${c.name} ${c.email ?? ''} ${c.phone ?? ''}`.trimEnd());
  console.log(`  consents: ${a.consents.map((c) => `${c.channel} ${c.granted ? 'yes' : 'no'}`).join(', ') || 'none'}`);
  const orders = a.recentOrders ? a.recentOrders.map((o) => `${o.number} ${o.status}`).join(', ') || 'none' : 'unavailable right now';
  console.log(`  recent orders: ${orders}`);
  console.log(`  inbox: ${a.messages.unreadCount} unread`);
  console.log(`  offers: ${a.offers.map((o) => o.title).join(', ') || 'none'}`);
}

try {
  title('Sign in');
  const signedIn = await app.signIn(values.email, values.password);
  if (!signedIn.ok) {
    console.log(`Could not sign in: ${signedIn.errors.map((e) => e.message).join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log(`Signed in as ${signedIn.name}`);

    title('My account (360°)');
    const account = await app.account360();
    if (account) printAccount(account);

    title('Orders');
    const orders = await app.orders();
    if (orders.length === 0) console.log('No orders yet.');
    for (const o of orders) {
      console.log(
        `${o.number}  ${o.status}  placed ${o.placedAt.slice(0, 10)}  monthly ${money(o.totals.monthly)}  due now ${money(o.totals.dueNow)}`,
      );
      for (const l of o.lines) console.log(`    ${l.quantity} × ${l.name}`);
      console.log(`    history: ${o.history.nodes.map((h) => `${h.status} ${h.at.slice(0, 16).replace('T', ' ')}`).join(' → ')}`);
    }

    title('Messages');
    const inbox = await app.messages();
    for (const m of inbox.nodes) console.log(`${m.readAt ? ' ' : '•'} ${m.createdAt.slice(0, 10)}  ${m.title}: ${m.body}`);
    if (inbox.nodes.length === 0) console.log('Inbox empty.');
    const unread = inbox.nodes.filter((m) => !m.readAt).map((m) => m.id);
    if (values['mark-read'] && unread.length) console.log(`Marked ${unread.length} read; ${await app.markRead(unread)} unread left.`);

    const seconds = Number(values.listen);
    if (seconds > 0) {
      title(`Live offers (listening ${seconds}s)`);
      console.log(`Make ${signedIn.name} an offer as an agent (offerCreate with customerId ${signedIn.customerId}) to see it arrive.`);
      const stop = app.liveOffers(
        (offer) => console.log(`New offer: ${offer.title}: ${offer.message}${offer.couponCode ? ` (code ${offer.couponCode})` : ''}`),
        (error) => console.log(`Live offers stopped: ${error.message}`),
      );
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      stop();
    }
    await app.signOut();
    console.log('\nSigned out.');
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await app.dispose();
}
