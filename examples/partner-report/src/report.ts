import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createStorefrontClient,
  errorCodes,
  type GraphQLResult,
  type StorefrontClient,
  type TypedDocumentString,
} from '@dcrm/storefront-sdk';

// The SDK's ready-made operations are a storefront's; a partner's queries are defined here, typed by hand
// against schema/views/partner.graphql (the partner view), and sent with the SDK's `request`.

type Money = { amount: string; currencyCode: string };

export type ReportOrder = { id: string; number: string; status: string; placedAt: string; totals: { dueNow: Money; monthly: Money } };
type OrderPage = { nodes: ReportOrder[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

export type ReportAccount = {
  id: string;
  name: string;
  type: string;
  segment: string;
  lifecycleStage: string;
  partner: { name: string } | null;
  orders: ReportOrder[];
};

const ORDER_FIELDS =
  'nodes { id number status placedAt totals { dueNow { amount currencyCode } monthly { amount currencyCode } } } pageInfo { hasNextPage endCursor }';

type AccountsResult = {
  customers: {
    nodes: Array<Omit<ReportAccount, 'orders'> & { orders: OrderPage }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

/** The accounts the caller may see, a page at a time, each with its first orders (federated `Customer.orders`). */
const AccountsDocument = `query PartnerAccounts($first: Int!, $after: String, $orders: Int!) {
  customers(first: $first, after: $after) {
    nodes { id name type segment lifecycleStage partner { name } orders(first: $orders) { ${ORDER_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}` as TypedDocumentString<AccountsResult, { first: number; after?: string | null; orders: number }>;

/** More orders of one account, when it has more than the first page. */
const AccountOrdersDocument = `query PartnerAccountOrders($id: ID!, $first: Int!, $after: String) {
  customer(id: $id) { id orders(first: $first, after: $after) { ${ORDER_FIELDS} } }
}` as TypedDocumentString<{ customer: { id: string; orders: OrderPage } | null }, { id: string; first: number; after?: string | null }>;

/** One account by id, to show what happens outside the partner's own. */
const ProbeDocument = `query PartnerProbe($id: ID!) {
  customer(id: $id) { id name partner { name } }
}` as TypedDocumentString<{ customer: { id: string; name: string; partner: { name: string } | null } | null }, { id: string }>;

const failure = (what: string, errors?: ReadonlyArray<{ message: string; extensions?: { code?: string } }>) =>
  new Error(`${what}: ${errors?.map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ') || 'no data'}`);

/** Every account the partner manages, with all their orders (newest first). */
export async function partnerReport(client: StorefrontClient, options: { pageSize?: number } = {}): Promise<ReportAccount[]> {
  const first = options.pageSize ?? 50;
  const accounts: ReportAccount[] = [];
  let after: string | null = null;
  for (;;) {
    const { data, errors }: GraphQLResult<AccountsResult> = await client.request(AccountsDocument, {
      first,
      after,
      orders: first,
    });
    if (!data) throw failure('customers', errors);
    for (const node of data.customers.nodes) {
      const orders = [...node.orders.nodes];
      let page = node.orders.pageInfo;
      while (page.hasNextPage) {
        const more = await client.request(AccountOrdersDocument, { id: node.id, first, after: page.endCursor });
        if (!more.data?.customer) throw failure(`orders of ${node.id}`, more.errors);
        orders.push(...more.data.customer.orders.nodes);
        page = more.data.customer.orders.pageInfo;
      }
      accounts.push({ ...node, orders });
    }
    if (!data.customers.pageInfo.hasNextPage) return accounts;
    after = data.customers.pageInfo.endCursor;
  }
}

export type ProbeResult = { visible: true; name: string; partner: string | null } | { visible: false; code: string };

/** Asks for one account by id: a partner sees its own, and NOT_FOUND for anyone else's (never FORBIDDEN, which would confirm it exists). */
export async function probeAccount(client: StorefrontClient, customerId: string): Promise<ProbeResult> {
  const result = await client.request(ProbeDocument, { id: customerId });
  const customer = result.data?.customer;
  if (customer) return { visible: true, name: customer.name, partner: customer.partner?.name ?? null };
  return { visible: false, code: errorCodes(result)[0] ?? 'NOT_FOUND' };
}

const money = (m: Money) => new Intl.NumberFormat('en-IE', { style: 'currency', currency: m.currencyCode }).format(Number(m.amount));

/** The report as a text table: one row per order (an account without orders gets one row). */
export function formatReport(accounts: readonly ReportAccount[]): string {
  const header = ['Account', 'Type', 'Stage', 'Order', 'Status', 'Placed', 'Due now', 'Monthly'];
  const rows = accounts.flatMap((a) => {
    const account = [a.name, a.type, a.lifecycleStage];
    if (a.orders.length === 0) return [[...account, '—', '', '', '', '']];
    return a.orders.map((o, i) => [
      ...(i === 0 ? account : ['', '', '']),
      o.number,
      o.status,
      o.placedAt.slice(0, 10),
      money(o.totals.dueNow),
      money(o.totals.monthly),
    ]);
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const orders = accounts.reduce((n, a) => n + a.orders.length, 0);
  return [
    line(header),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
    '',
    `${accounts.length} accounts, ${orders} orders`,
  ].join('\n');
}

async function main() {
  // `pnpm start -- --probe <id>` may pass the `--` through.
  const args = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
  const { values } = parseArgs({ args, options: { probe: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log('Usage: pnpm --filter @dcrm/example-partner-report start [-- --probe <customerId>]');
    return;
  }
  const client = createStorefrontClient({
    endpoint: process.env.DCRM_API_URL ?? 'http://localhost:4000/graphql',
    // The partner's private key: the API acts as that partner (Connectify's demo key by default).
    apiKey: process.env.DCRM_PARTNER_KEY ?? 'dcrm_sk_connectify_demo_2b8f4e6a1c9d',
  });
  try {
    const accounts = await partnerReport(client);
    const partners = [...new Set(accounts.map((a) => a.partner?.name ?? '—'))];
    console.log(`Accounts of ${partners.join(', ')}\n`);
    console.log(formatReport(accounts));
    if (values.probe) {
      const probe = await probeAccount(client, values.probe);
      console.log(
        `\nProbe ${values.probe}: ${probe.visible ? `visible (${probe.name}, partner ${probe.partner ?? '—'})` : `${probe.code}: not one of this partner's accounts`}`,
      );
    }
  } finally {
    await client.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
