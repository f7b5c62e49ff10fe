import { newId, seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, expectRefusedAndUnchanged, refusalOf, staffMutations, succeeded, type WriteAttempt } from './support/brand-matrix.js';
import { client, customerId, KEYS, productId, registerCustomer, STOREFRONT_IDS, signIn, startTestStack } from './support/stack.js';

/**
 * Brand isolation of staff writes, through the router: every staff mutation of the catalog and
 * customer subgraphs tried on the other brand's rows is refused like an unknown id and changes
 * nothing; the owning brand's staff succeed; staff granted both brands act on either by sending that
 * brand's storefront key; single-brand staff presenting another brand's key are refused.
 */
let stack: Stack;
type Gql = ReturnType<typeof client>;
const as = {} as Record<'volt' | 'nimbus' | 'regional' | 'regionalInNimbus' | 'admin', Gql>;
const tokens = {} as Record<'volt' | 'regional', string>;

const VOLT = STOREFRONT_IDS.volt;
const NIMBUS = STOREFRONT_IDS.nimbus;
const LIST = { volt: seedId('price-list', 'volt'), nimbus: seedId('price-list', 'nimbus') };
// Seeded products: Nimbus only, Volt only, sold by both (see subgraphs/catalog/src/seed/demo-data.ts).
const NIMBUS_PLAN = productId('nimbus-fibre-500');
const NIMBUS_ADDON = productId('static-ip');
const VOLT_ADDON = productId('data-boost-20gb');
const SHARED_ADDON = productId('data-boost-5gb');
const NIMBUS_BUSINESS = customerId('nimbus-business');
const NIMBUS_KEY_ID = seedId('api-key', 'Nimbus web storefront');

const slug = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 9)}`;
const M = {
  productCreate: `mutation ($input: ProductCreateInput!) { productCreate(input: $input) { product { id } userErrors { code field } } }`,
  productUpdate: `mutation ($input: ProductUpdateInput!) { productUpdate(input: $input) { product { id name } userErrors { code field } } }`,
  productArchive: `mutation ($input: ProductArchiveInput!) { productArchive(input: $input) { product { id status } userErrors { code field } } }`,
  priceSet: `mutation ($input: PriceSetInput!) { priceSet(input: $input) { price { id } userErrors { code field } } }`,
  priceListCreate: `mutation ($input: PriceListCreateInput!) { priceListCreate(input: $input) { priceList { id } userErrors { code field } } }`,
  categoryCreate: `mutation ($input: CategoryCreateInput!) { categoryCreate(input: $input) { category { id } userErrors { code field } } }`,
  assortmentUpdate: `mutation ($input: AssortmentUpdateInput!) { assortmentUpdate(input: $input) { productCount userErrors { code field } } }`,
  storefrontOriginsSet: `mutation ($input: StorefrontOriginsSetInput!) { storefrontOriginsSet(input: $input) { storefront { allowedOrigins } userErrors { code field } } }`,
  customerUpdate: `mutation ($input: CustomerUpdateInput!) { customerUpdate(input: $input) { customer { id name } userErrors { code field } } }`,
  customerConsentSet: `mutation ($input: ConsentSetInput!) { customerConsentSet(input: $input) { customer { id } userErrors { code field } } }`,
  interactionLog: `mutation ($input: InteractionLogInput!) { interactionLog(input: $input) { interaction { id } userErrors { code field } } }`,
  customerAddressAdd: `mutation ($input: AddressAddInput!) { customerAddressAdd(input: $input) { customer { addresses { id } } userErrors { code field } } }`,
  customerAddressRemove: `mutation ($input: AccountItemRemoveInput!) { customerAddressRemove(input: $input) { customer { id } userErrors { code field } } }`,
  customerContactAdd: `mutation ($input: ContactAddInput!) { customerContactAdd(input: $input) { customer { contacts { id } } userErrors { code field } } }`,
  customerContactRemove: `mutation ($input: AccountItemRemoveInput!) { customerContactRemove(input: $input) { customer { id } userErrors { code field } } }`,
  customerChildCreate: `mutation ($input: CustomerChildCreateInput!) { customerChildCreate(input: $input) { customer { id } userErrors { code field } } }`,
  npsSurveyCreate: `mutation ($input: NpsSurveyCreateInput!) { npsSurveyCreate(input: $input) { survey { id } userErrors { code field } } }`,
  apiKeyCreate: `mutation ($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { apiKey { id } userErrors { code field } } }`,
  apiKeyRotate: `mutation ($input: ApiKeyIdInput!) { apiKeyRotate(input: $input) { apiKey { id } userErrors { code field } } }`,
  apiKeyRevoke: `mutation ($input: ApiKeyIdInput!) { apiKeyRevoke(input: $input) { apiKey { id } userErrors { code field } } }`,
  apiKeyCostBudgetSet: `mutation ($input: ApiKeyCostBudgetSetInput!) { apiKeyCostBudgetSet(input: $input) { apiKey { id } userErrors { code field } } }`,
  staffCreate: `mutation ($input: StaffCreateInput!) { staffCreate(input: $input) { staff { id } userErrors { code field } } }`,
  staffUpdate: `mutation ($input: StaffUpdateInput!) { staffUpdate(input: $input) { staff { id } userErrors { code field } } }`,
  staffDeactivate: `mutation ($input: StaffIdInput!) { staffDeactivate(input: $input) { staff { id } userErrors { code field } } }`,
  accessGroupCreate: `mutation ($input: AccessGroupCreateInput!) { accessGroupCreate(input: $input) { accessGroup { id } userErrors { code field } } }`,
  accessGroupUpdate: `mutation ($input: AccessGroupUpdateInput!) { accessGroupUpdate(input: $input) { accessGroup { id } userErrors { code field } } }`,
  accessGroupAssign: `mutation ($input: AccessGroupAssignInput!) { accessGroupAssign(input: $input) { staff { id } userErrors { code field } } }`,
  accessGroupRemove: `mutation ($input: AccessGroupAssignInput!) { accessGroupRemove(input: $input) { staff { id } userErrors { code field } } }`,
  partnerUserCreate: `mutation ($input: PartnerUserCreateInput!) { partnerUserCreate(input: $input) { partnerUser { id } userErrors { code field } } }`,
  partnerUserDeactivate: `mutation ($input: PartnerUserIdInput!) { partnerUserDeactivate(input: $input) { partnerUser { id } userErrors { code field } } }`,
  notificationTemplateCreate: `mutation ($input: NotificationTemplateCreateInput!) { notificationTemplateCreate(input: $input) { template { id } userErrors { code field } } }`,
  notificationTemplateUpdate: `mutation ($input: NotificationTemplateUpdateInput!) { notificationTemplateUpdate(input: $input) { template { id } userErrors { code field } } }`,
  notificationResend: `mutation ($input: NotificationResendInput!) { notificationResend(input: $input) { notification { id } userErrors { code field } } }`,
  bulkOperationCreate: `mutation ($input: BulkOperationCreateInput!) { bulkOperationCreate(input: $input) { bulkOperation { id } userErrors { code field } } }`,
  bulkOperationConfirm: `mutation ($input: BulkOperationIdInput!) { bulkOperationConfirm(input: $input) { bulkOperation { id } userErrors { code field } } }`,
  bulkOperationCancel: `mutation ($input: BulkOperationIdInput!) { bulkOperationCancel(input: $input) { bulkOperation { id } userErrors { code field } } }`,
  teamCreate: `mutation ($input: TeamCreateInput!) { teamCreate(input: $input) { team { id } userErrors { code field } } }`,
  teamUpdate: `mutation ($input: TeamUpdateInput!) { teamUpdate(input: $input) { team { id } userErrors { code field } } }`,
  teamMemberAdd: `mutation ($input: TeamMemberInput!) { teamMemberAdd(input: $input) { team { id } userErrors { code field } } }`,
  teamMemberRemove: `mutation ($input: TeamMemberInput!) { teamMemberRemove(input: $input) { team { id } userErrors { code field } } }`,
  staffInboxMarkRead: `mutation ($input: StaffInboxMarkReadInput!) { staffInboxMarkRead(input: $input) { unreadCount userErrors { code field } } }`,
};
type Name = keyof typeof M;
const run = (gql: Gql, name: Name, input: Record<string, unknown>) => gql(M[name], { input });

// Rows read back from the database around each attempt.
const catalogRows = (sql: string, params: unknown[]) => () => dbRows(stack, 'catalog', sql, params);
const customerRows = (sql: string, params: unknown[]) => () => dbRows(stack, 'customer', sql, params);
const product = (id: string) => catalogRows('select * from "catalog"."product" where id = ?', [id]);
const assortment = (storefrontId: string) =>
  catalogRows('select product_id, position from "catalog"."storefront_product" where storefront_id = ? order by product_id', [
    storefrontId,
  ]);
const prices = (productId: string) => catalogRows('select * from "catalog"."price" where product_id = ? order by id', [productId]);
const priceLists = catalogRows('select * from "catalog"."price_list" order by id', []);
const origins = (storefrontId: string) => catalogRows('select allowed_origins from "catalog"."storefront" where id = ?', [storefrontId]);
const customer = (id: string) => customerRows('select * from "customer"."customer" where id = ?', [id]);
const children = (table: string, id: string) => customerRows(`select * from "customer"."${table}" where customer_id = ? order by id`, [id]);
const apiKeys = customerRows('select id, name, revoked_at from "customer"."api_key" order by id', []);
const surveys = customerRows('select id, active from "customer"."nps_survey" order by id', []);
const bulkOperations = (storefrontId: string) =>
  customerRows('select id, status, confirmed_at from "customer"."bulk_operation" where storefront_id = ? order by id', [storefrontId]);
const staffIds = customerRows('select id from "customer"."staff" order by id', []);
const staffMember = (id: string) => customerRows('select * from "customer"."staff" where id = ?', [id]);
const groups = customerRows('select * from "customer"."access_group" order by id', []);
const memberships = (id: string) => customerRows('select * from "customer"."staff_access_group" where staff_id = ? order by 2', [id]);
const partnerUsers = (partnerId: string) =>
  customerRows('select * from "customer"."partner_user" where partner_id = ? order by id', [partnerId]);
const NIMBUS_AGENT = seedId('staff', 'nimbus-agent');
const TEAMS = { nimbusSales: seedId('team', 'nimbus-sales'), voltSales: seedId('team', 'volt-sales'), finance: seedId('team', 'finance') };
const teams = customerRows('select * from "customer"."team" order by id', []);
const teamRow = (id: string) => customerRows('select * from "customer"."team" where id = ?', [id]);
const teamMembers = (id: string) => customerRows('select staff_id from "customer"."team_member" where team_id = ? order by staff_id', [id]);
const VOLT_AGENT = seedId('staff', 'volt-consumer');
const CARE_GROUP = seedId('access-group', 'care');

// Rows of the owning brand (Nimbus), made by its own staff: the victims of the attempts below.
const nimbus = {} as {
  product: string;
  customer: string;
  address: string;
  contact: string;
  key: string;
  version: number;
  group: string;
  partner: string;
  partnerUser: string;
  bulk: string;
};

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  const volt = await signIn(h, 'staffLogin', 'manager@volt.example');
  const regional = await signIn(h, 'staffLogin', 'regional@dcrm.example');
  tokens.volt = volt.accessToken;
  tokens.regional = regional.accessToken;
  as.volt = volt.gql;
  as.nimbus = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.regional = regional.gql;
  as.regionalInNimbus = client(h, KEYS.nimbus, { authorization: `Bearer ${regional.accessToken}` });
  as.admin = (await signIn(h, 'staffLogin', 'admin@dcrm.example')).gql;

  // The owning brand's own writes succeed (so every refusal below is about the brand, not the input).
  nimbus.product = succeeded(
    await run(as.nimbus, 'productCreate', { slug: slug('nimbus-own'), name: 'Nimbus own plan', kind: 'PLAN', description: 'x' }),
    'productCreate',
  ).product.id;
  succeeded(
    await run(as.nimbus, 'priceSet', {
      priceListId: LIST.nimbus,
      productId: nimbus.product,
      type: 'RECURRING',
      amount: '20.00',
      interval: 'MONTH',
    }),
    'priceSet',
  );
  nimbus.customer = (await registerCustomer(h, KEYS.nimbus, { prefix: 'brand-writes' })).id;
  const address = succeeded(
    await run(as.nimbus, 'customerAddressAdd', {
      customerId: nimbus.customer,
      type: 'BILLING',
      line1: '1 High St',
      city: 'Leeds',
      postcode: 'LS1 1AA',
      country: 'GB',
    }),
    'customerAddressAdd',
  );
  nimbus.address = address.customer.addresses[0].id;
  const contact = succeeded(
    await run(as.nimbus, 'customerContactAdd', { customerId: nimbus.customer, name: 'Nora' }),
    'customerContactAdd',
  );
  nimbus.contact = contact.customer.contacts[0].id;
  const key = succeeded(await run(as.nimbus, 'apiKeyCreate', { kind: 'PRIVATE', name: 'Nimbus CRM sync', scopes: [] }), 'apiKeyCreate');
  nimbus.key = key.apiKey.id;
  const upload = ['priceListId,product,type,amount,interval', `${LIST.nimbus},${nimbus.product},RECURRING,21.00,MONTH`].join('\n');
  nimbus.bulk = succeeded(
    await run(as.nimbus, 'bulkOperationCreate', { action: 'price.update', format: 'CSV', content: upload }),
    'bulkOperationCreate',
  ).bulkOperation.id;
  const read = await as.nimbus(`query ($id: ID!) { customer(id: $id) { version } }`, { id: nimbus.customer });
  nimbus.version = read.body.data?.customer.version;
  // Administration: a Nimbus access group, and a Nimbus partner (no mutation creates partners) with a user.
  nimbus.group = succeeded(
    await run(as.nimbus, 'accessGroupCreate', { name: slug('Nimbus group'), scopes: ['customer:read'] }),
    'accessGroupCreate',
  ).accessGroup.id;
  nimbus.partner = newId();
  await dbRows(
    stack,
    'customer',
    'insert into "customer"."partner" (id, storefront_id, name, code, created_at) values (?, ?, ?, ?, now())',
    [nimbus.partner, NIMBUS, 'Nimbus Resellers', slug('nimbus-resellers')],
  );
  nimbus.partnerUser = succeeded(
    await run(as.nimbus, 'partnerUserCreate', {
      partnerId: nimbus.partner,
      email: `${slug('ops')}@nimbus.example`,
      name: 'Ops',
      password: 'nimbus-partner-42',
    }),
    'partnerUserCreate',
  ).partnerUser.id;
});

// Notification fixtures of Nimbus: a template of its own and a message sent to its customer.
const nimbusNotify = {} as { template: string; sent: string; inbox: string };
beforeAll(async () => {
  const template = succeeded(
    await run(as.nimbus, 'notificationTemplateCreate', {
      key: `nimbus.t${slug('n').slice(2)}`,
      channel: 'SMS',
      body: 'Hi {{name}}',
      variables: ['name'],
    }),
    'notificationTemplateCreate',
  );
  nimbusNotify.template = template.template.id;
  const { id, email } = await registerCustomer(stack.router.handler, KEYS.nimbus, { prefix: 'brand-writes' });
  await client(stack.router.handler, KEYS.nimbus)('mutation ($e: String!) { customerPasswordResetRequest(input: { email: $e }) { ok } }', {
    e: email,
  });
  const [sent] = (await dbRows(stack, 'customer', 'select id from "customer"."notification_sent" where customer_id = ?', [id])) as {
    id: string;
  }[];
  nimbusNotify.sent = sent.id;
  nimbusNotify.inbox = newId();
  await dbRows(
    stack,
    'customer',
    `insert into "customer"."staff_message" (id, staff_id, storefront_id, title, body, created_at) values (?, ?, ?, 'Ticket assigned', 'x', now())`,
    [nimbusNotify.inbox, NIMBUS_AGENT, NIMBUS],
  );
});
const notificationRows = customerRows(
  'select id, body, version from "customer"."notification_template" where storefront_id is not null order by id',
  [],
);
const sentRows = customerRows('select id, status from "customer"."notification_sent" order by id', []);

afterAll(() => stack.stop());

/** Volt's manager (catalog, care, security and marketing scopes; every segment) against Nimbus's rows. */
const voltAgainstNimbus = (): WriteAttempt[] => [
  // catalog
  {
    mutation: 'productCreate',
    what: "into Nimbus's storefront",
    attempt: () => run(as.volt, 'productCreate', { slug: slug('x'), name: 'X', kind: 'PLAN', description: 'x', storefrontIds: [NIMBUS] }),
    refusal: 'NOT_FOUND',
    rows: assortment(NIMBUS),
  },
  {
    mutation: 'productCreate',
    what: 'into Volt with a Nimbus-only add-on',
    attempt: () =>
      run(as.volt, 'productCreate', { slug: slug('x'), name: 'X', kind: 'PLAN', description: 'x', compatibleAddonIds: [NIMBUS_ADDON] }),
    refusal: 'NOT_FOUND',
    rows: assortment(VOLT),
  },
  {
    mutation: 'productUpdate',
    what: 'a Nimbus plan',
    attempt: () => run(as.volt, 'productUpdate', { id: NIMBUS_PLAN, name: 'Hijacked' }),
    refusal: 'NOT_FOUND',
    rows: product(NIMBUS_PLAN),
  },
  {
    mutation: 'productUpdate',
    what: "Nimbus staff's new product",
    attempt: () => run(as.volt, 'productUpdate', { id: nimbus.product, name: 'Hijacked' }),
    refusal: 'NOT_FOUND',
    rows: product(nimbus.product),
  },
  {
    mutation: 'productUpdate',
    what: 'an add-on Nimbus sells too',
    attempt: () => run(as.volt, 'productUpdate', { id: SHARED_ADDON, name: 'Hijacked' }),
    refusal: 'FORBIDDEN',
    rows: product(SHARED_ADDON),
  },
  {
    mutation: 'productArchive',
    what: 'a Nimbus plan',
    attempt: () => run(as.volt, 'productArchive', { id: NIMBUS_PLAN }),
    refusal: 'NOT_FOUND',
    rows: product(NIMBUS_PLAN),
  },
  {
    mutation: 'priceSet',
    what: "on Nimbus's price list",
    attempt: () =>
      run(as.volt, 'priceSet', { priceListId: LIST.nimbus, productId: NIMBUS_PLAN, type: 'RECURRING', amount: '0.01', interval: 'MONTH' }),
    refusal: 'NOT_FOUND',
    rows: prices(NIMBUS_PLAN),
  },
  {
    mutation: 'priceSet',
    what: "on Volt's list for a Nimbus-only product",
    attempt: () =>
      run(as.volt, 'priceSet', { priceListId: LIST.volt, productId: nimbus.product, type: 'RECURRING', amount: '0.01', interval: 'MONTH' }),
    refusal: 'NOT_FOUND',
    rows: prices(nimbus.product),
  },
  {
    mutation: 'priceListCreate',
    what: "in Nimbus's storefront",
    attempt: () => run(as.volt, 'priceListCreate', { storefrontId: NIMBUS, name: 'Sneaky', segment: 'sneaky' }),
    refusal: 'NOT_FOUND',
    rows: priceLists,
  },
  {
    mutation: 'priceListCreate',
    what: 'in Volt for a Nimbus customer',
    attempt: () => run(as.volt, 'priceListCreate', { storefrontId: VOLT, name: 'Sneaky', customerId: nimbus.customer }),
    refusal: 'NOT_FOUND',
    rows: priceLists,
  },
  {
    mutation: 'assortmentUpdate',
    what: 'removing a product from Nimbus',
    attempt: () => run(as.volt, 'assortmentUpdate', { storefrontId: NIMBUS, removeProductIds: [NIMBUS_PLAN] }),
    refusal: 'NOT_FOUND',
    rows: assortment(NIMBUS),
  },
  {
    mutation: 'assortmentUpdate',
    what: 'adding a Nimbus-only product to Volt',
    attempt: () => run(as.volt, 'assortmentUpdate', { storefrontId: VOLT, addProductIds: [nimbus.product] }),
    refusal: 'NOT_FOUND',
    rows: assortment(VOLT),
  },
  {
    mutation: 'storefrontOriginsSet',
    what: "Nimbus's allowed browser origins",
    attempt: () => run(as.volt, 'storefrontOriginsSet', { storefrontId: NIMBUS, origins: ['https://volt.example'] }),
    refusal: 'NOT_FOUND',
    rows: origins(NIMBUS),
  },
  {
    mutation: 'categoryCreate',
    what: 'a category of the taxonomy every brand shares',
    attempt: () => run(as.volt, 'categoryCreate', { slug: slug('cat'), name: 'Mine' }),
    refusal: 'FORBIDDEN',
    rows: catalogRows('select count(*)::int as n from "catalog"."category"', []),
  },
  // customer
  {
    mutation: 'customerUpdate',
    what: 'a Nimbus account',
    attempt: () => run(as.volt, 'customerUpdate', { id: nimbus.customer, version: nimbus.version, name: 'Hijacked' }),
    refusal: 'NOT_FOUND',
    rows: customer(nimbus.customer),
  },
  {
    mutation: 'customerConsentSet',
    what: "a Nimbus account's consent",
    attempt: () => run(as.volt, 'customerConsentSet', { customerId: nimbus.customer, channel: 'SMS', granted: true }),
    refusal: 'NOT_FOUND',
    rows: customer(nimbus.customer),
  },
  {
    mutation: 'interactionLog',
    what: 'on a Nimbus account',
    attempt: () => run(as.volt, 'interactionLog', { customerId: nimbus.customer, channel: 'PHONE', direction: 'OUTBOUND', notes: 'x' }),
    refusal: 'NOT_FOUND',
    rows: children('interaction', nimbus.customer),
  },
  {
    mutation: 'customerAddressAdd',
    what: 'to a Nimbus account',
    attempt: () =>
      run(as.volt, 'customerAddressAdd', {
        customerId: nimbus.customer,
        type: 'SERVICE',
        line1: 'x',
        city: 'x',
        postcode: 'x',
        country: 'GB',
      }),
    refusal: 'NOT_FOUND',
    rows: children('address', nimbus.customer),
  },
  {
    mutation: 'customerAddressRemove',
    what: "a Nimbus account's address",
    attempt: () => run(as.volt, 'customerAddressRemove', { customerId: nimbus.customer, id: nimbus.address }),
    refusal: 'NOT_FOUND',
    rows: children('address', nimbus.customer),
  },
  {
    mutation: 'customerContactAdd',
    what: 'to a Nimbus account',
    attempt: () => run(as.volt, 'customerContactAdd', { customerId: nimbus.customer, name: 'Mallory' }),
    refusal: 'NOT_FOUND',
    rows: children('contact', nimbus.customer),
  },
  {
    mutation: 'customerContactRemove',
    what: "a Nimbus account's contact",
    attempt: () => run(as.volt, 'customerContactRemove', { customerId: nimbus.customer, id: nimbus.contact }),
    refusal: 'NOT_FOUND',
    rows: children('contact', nimbus.customer),
  },
  {
    mutation: 'customerChildCreate',
    what: 'under a Nimbus business account',
    attempt: () => run(as.volt, 'customerChildCreate', { parentId: NIMBUS_BUSINESS, name: 'X', email: `${slug('x')}@example.com` }),
    refusal: 'NOT_FOUND',
    rows: customerRows('select id from "customer"."customer" where parent_id = ? order by id', [NIMBUS_BUSINESS]),
  },
  {
    mutation: 'npsSurveyCreate',
    what: "in Nimbus (Volt's manager sending Nimbus's key)",
    attempt: () =>
      client(stack.router.handler, KEYS.nimbus, { authorization: `Bearer ${tokens.volt}` })(M.npsSurveyCreate, {
        input: { name: 'x', question: 'x?' },
      }),
    refusal: 'HTTP 401',
    rows: surveys,
  },
  {
    mutation: 'apiKeyCreate',
    what: "in Nimbus (Volt's manager sending Nimbus's key)",
    attempt: () =>
      client(stack.router.handler, KEYS.nimbus, { authorization: `Bearer ${tokens.volt}` })(M.apiKeyCreate, {
        input: { kind: 'PRIVATE', name: 'x' },
      }),
    refusal: 'HTTP 401',
    rows: apiKeys,
  },
  {
    mutation: 'apiKeyRotate',
    what: "Nimbus's storefront key",
    attempt: () => run(as.volt, 'apiKeyRotate', { id: NIMBUS_KEY_ID }),
    refusal: 'NOT_FOUND',
    rows: apiKeys,
  },
  {
    mutation: 'apiKeyRevoke',
    what: "a key Nimbus's staff created",
    attempt: () => run(as.volt, 'apiKeyRevoke', { id: nimbus.key }),
    refusal: 'NOT_FOUND',
    rows: apiKeys,
  },
  {
    mutation: 'apiKeyCostBudgetSet',
    what: "Nimbus's storefront key",
    attempt: () => run(as.volt, 'apiKeyCostBudgetSet', { id: NIMBUS_KEY_ID, costBudget: { maximumAvailable: 10, restoreRate: 1 } }),
    refusal: 'NOT_FOUND',
    rows: apiKeys,
  },
  // administration
  {
    mutation: 'staffCreate',
    what: 'granting the Nimbus brand',
    attempt: () => run(as.volt, 'staffCreate', { email: `${slug('x')}@volt.example`, name: 'X', segments: [], storefrontIds: [NIMBUS] }),
    refusal: 'FORBIDDEN',
    rows: staffIds,
  },
  {
    mutation: 'staffCreate',
    what: 'reporting to a Nimbus manager',
    attempt: () => run(as.volt, 'staffCreate', { email: `${slug('x')}@volt.example`, name: 'X', segments: [], managerId: NIMBUS_AGENT }),
    refusal: 'NOT_FOUND',
    rows: staffIds,
  },
  {
    mutation: 'staffCreate',
    what: "in Nimbus (Volt's manager sending Nimbus's key)",
    attempt: () =>
      client(stack.router.handler, KEYS.nimbus, { authorization: `Bearer ${tokens.volt}` })(M.staffCreate, {
        input: { email: `${slug('x')}@volt.example`, name: 'X', segments: [] },
      }),
    refusal: 'HTTP 401',
    rows: staffIds,
  },
  {
    mutation: 'staffUpdate',
    what: "Nimbus's agent",
    attempt: () => run(as.volt, 'staffUpdate', { id: NIMBUS_AGENT, name: 'Hijacked', segments: [] }),
    refusal: 'NOT_FOUND',
    rows: staffMember(NIMBUS_AGENT),
  },
  {
    mutation: 'staffDeactivate',
    what: "Nimbus's agent",
    attempt: () => run(as.volt, 'staffDeactivate', { id: NIMBUS_AGENT }),
    refusal: 'NOT_FOUND',
    rows: staffMember(NIMBUS_AGENT),
  },
  {
    mutation: 'accessGroupCreate',
    what: 'a group shared by every brand',
    attempt: () => run(as.volt, 'accessGroupCreate', { name: slug('everyone'), scopes: [], shared: true }),
    refusal: 'FORBIDDEN',
    rows: groups,
  },
  {
    mutation: 'accessGroupUpdate',
    what: "a Nimbus group's scopes",
    attempt: () => run(as.volt, 'accessGroupUpdate', { id: nimbus.group, scopes: ['customer:read', 'customer:write'] }),
    refusal: 'NOT_FOUND',
    rows: groups,
  },
  {
    mutation: 'accessGroupUpdate',
    what: 'a group every brand shares',
    attempt: () => run(as.volt, 'accessGroupUpdate', { id: CARE_GROUP, scopes: ['customer:read'] }),
    refusal: 'FORBIDDEN',
    rows: groups,
  },
  {
    mutation: 'accessGroupAssign',
    what: 'a Nimbus group to a Volt agent',
    attempt: () => run(as.volt, 'accessGroupAssign', { staffId: VOLT_AGENT, accessGroupId: nimbus.group }),
    refusal: 'NOT_FOUND',
    rows: memberships(VOLT_AGENT),
  },
  {
    mutation: 'accessGroupAssign',
    what: "a shared group to Nimbus's agent",
    attempt: () => run(as.volt, 'accessGroupAssign', { staffId: NIMBUS_AGENT, accessGroupId: CARE_GROUP }),
    refusal: 'NOT_FOUND',
    rows: memberships(NIMBUS_AGENT),
  },
  {
    mutation: 'accessGroupRemove',
    what: "a group of Nimbus's agent",
    attempt: () => run(as.volt, 'accessGroupRemove', { staffId: NIMBUS_AGENT, accessGroupId: CARE_GROUP }),
    refusal: 'NOT_FOUND',
    rows: memberships(NIMBUS_AGENT),
  },
  {
    mutation: 'partnerUserCreate',
    what: 'for a Nimbus partner',
    attempt: () =>
      run(as.volt, 'partnerUserCreate', {
        partnerId: nimbus.partner,
        email: `${slug('x')}@volt.example`,
        name: 'X',
        password: 'volt-intruder-42',
      }),
    refusal: 'NOT_FOUND',
    rows: partnerUsers(nimbus.partner),
  },
  {
    mutation: 'partnerUserDeactivate',
    what: "a Nimbus partner's user",
    attempt: () => run(as.volt, 'partnerUserDeactivate', { id: nimbus.partnerUser }),
    refusal: 'NOT_FOUND',
    rows: partnerUsers(nimbus.partner),
  },
  {
    mutation: 'notificationTemplateCreate',
    what: "in Nimbus (Volt's manager sending Nimbus's key)",
    attempt: () =>
      client(stack.router.handler, KEYS.nimbus, { authorization: `Bearer ${tokens.volt}` })(M.notificationTemplateCreate, {
        input: { key: 'nimbus.hijack', channel: 'SMS', body: 'x', variables: [] },
      }),
    refusal: 'HTTP 401',
    rows: notificationRows,
  },
  {
    mutation: 'notificationTemplateUpdate',
    what: "a template Nimbus's staff saved",
    attempt: () => run(as.volt, 'notificationTemplateUpdate', { id: nimbusNotify.template, version: 1, body: 'hijacked' }),
    refusal: 'NOT_FOUND',
    rows: notificationRows,
  },
  {
    mutation: 'notificationResend',
    what: 'a message sent to a Nimbus customer',
    attempt: () => run(as.volt, 'notificationResend', { id: nimbusNotify.sent }),
    refusal: 'NOT_FOUND',
    rows: sentRows,
  },
  // bulk operations (rows naming another brand's list are invalid rows: tests/bulk.test.ts)
  {
    mutation: 'bulkOperationCreate',
    what: "in Nimbus's storefront (Volt's token with Nimbus's key)",
    attempt: () =>
      client(stack.router.handler, KEYS.nimbus, { authorization: `Bearer ${tokens.volt}` })(M.bulkOperationCreate, {
        input: { action: 'customer.import', format: 'CSV', content: 'name,email\nX,x-bulk@example.com' },
      }),
    refusal: 'HTTP 401',
    rows: bulkOperations(NIMBUS),
  },
  {
    mutation: 'bulkOperationConfirm',
    what: "Nimbus's validated price update",
    attempt: () => run(as.volt, 'bulkOperationConfirm', { id: nimbus.bulk }),
    refusal: 'NOT_FOUND',
    rows: bulkOperations(NIMBUS),
  },
  {
    mutation: 'bulkOperationCancel',
    what: "Nimbus's validated price update",
    attempt: () => run(as.volt, 'bulkOperationCancel', { id: nimbus.bulk }),
    refusal: 'NOT_FOUND',
    rows: bulkOperations(NIMBUS),
  },
  // teams
  {
    mutation: 'teamCreate',
    what: "in Nimbus (Volt's manager sending Nimbus's key)",
    attempt: () =>
      client(stack.router.handler, KEYS.nimbus, { authorization: `Bearer ${tokens.volt}` })(M.teamCreate, {
        input: { name: slug('x'), kind: 'SALES' },
      }),
    refusal: 'HTTP 401',
    rows: teams,
  },
  {
    mutation: 'teamCreate',
    what: "with Nimbus's agent as a member",
    attempt: () => run(as.volt, 'teamCreate', { name: slug('x'), kind: 'SALES', memberIds: [NIMBUS_AGENT] }),
    refusal: 'NOT_FOUND',
    rows: teams,
  },
  {
    mutation: 'teamCreate',
    what: 'a team shared by every brand',
    attempt: () => run(as.volt, 'teamCreate', { name: slug('x'), kind: 'FINANCE', shared: true }),
    refusal: 'FORBIDDEN',
    rows: teams,
  },
  {
    mutation: 'teamUpdate',
    what: "Nimbus's sales team",
    attempt: () => run(as.volt, 'teamUpdate', { id: TEAMS.nimbusSales, name: 'Hijacked', active: false }),
    refusal: 'NOT_FOUND',
    rows: teamRow(TEAMS.nimbusSales),
  },
  {
    mutation: 'teamUpdate',
    what: 'the finance team every brand shares',
    attempt: () => run(as.volt, 'teamUpdate', { id: TEAMS.finance, managerId: VOLT_AGENT }),
    refusal: 'FORBIDDEN',
    rows: teamRow(TEAMS.finance),
  },
  {
    mutation: 'teamMemberAdd',
    what: "a Volt agent to Nimbus's sales team",
    attempt: () => run(as.volt, 'teamMemberAdd', { teamId: TEAMS.nimbusSales, staffId: VOLT_AGENT }),
    refusal: 'NOT_FOUND',
    rows: teamMembers(TEAMS.nimbusSales),
  },
  {
    mutation: 'teamMemberAdd',
    what: "Nimbus's agent to a Volt team",
    attempt: () => run(as.volt, 'teamMemberAdd', { teamId: TEAMS.voltSales, staffId: NIMBUS_AGENT }),
    refusal: 'NOT_FOUND',
    rows: teamMembers(TEAMS.voltSales),
  },
  {
    mutation: 'teamMemberRemove',
    what: "Nimbus's agent from Nimbus's sales team",
    attempt: () => run(as.volt, 'teamMemberRemove', { teamId: TEAMS.nimbusSales, staffId: NIMBUS_AGENT }),
    refusal: 'NOT_FOUND',
    rows: teamMembers(TEAMS.nimbusSales),
  },
  {
    mutation: 'staffInboxMarkRead',
    what: "a message in Nimbus's agent's inbox",
    attempt: () => run(as.volt, 'staffInboxMarkRead', { ids: [nimbusNotify.inbox] }),
    refusal: 'NOT_FOUND',
    rows: customerRows('select id, read_at from "customer"."staff_message" where staff_id = ? order by id', [NIMBUS_AGENT]),
  },
];

/** Staff mutations that name no brand-owned row: they act on the caller's own credentials. */
const CREDENTIAL_ONLY = ['customerAccessTokenRenew', 'customerLogout', 'staffPasswordChange'];

/** Staff mutations whose brand cases (the other brand's staff refused, nothing changed) live in another matrix file. */
const COVERED_ELSEWHERE = [
  // isolation-matrix-translations.test.ts: Nimbus staff on a Volt-only product; brand staff on the shared taxonomy.
  'categoryTranslationsRemove',
  'categoryTranslationsSet',
  'productTranslationsRemove',
  'productTranslationsSet',
];

describe('staff of one brand against the other brand', () => {
  it('the matrix covers every staff mutation of catalog and customer', () => {
    const all = [
      ...staffMutations(new URL('../subgraphs/catalog/src/schema.graphql', import.meta.url)),
      ...staffMutations(new URL('../subgraphs/customer/src/schema.graphql', import.meta.url)),
    ];
    const covered = new Set([...voltAgainstNimbus().map((c) => c.mutation), ...CREDENTIAL_ONLY, ...COVERED_ELSEWHERE]);
    expect(all.filter((m) => !covered.has(m))).toEqual([]);
  });

  // Cases are built again when run: their ids are the fixtures made in beforeAll.
  it.each(voltAgainstNimbus().map((c, i) => [`${c.mutation}: ${c.what}`, i] as const))('%s is refused, nothing changes', async (_, i) => {
    await expectRefusedAndUnchanged(voltAgainstNimbus()[i]);
  });

  it("Nimbus staff cannot archive a Volt-only add-on, and Volt's manager can", async () => {
    await expectRefusedAndUnchanged({
      mutation: 'productArchive',
      what: 'a Volt-only add-on',
      attempt: () => run(as.nimbus, 'productArchive', { id: VOLT_ADDON }),
      refusal: 'NOT_FOUND',
      rows: product(VOLT_ADDON),
    });
    const own = succeeded(
      await run(as.volt, 'productCreate', { slug: slug('volt-own'), name: 'Volt own add-on', kind: 'ADDON', description: 'x' }),
      'productCreate',
    );
    expect(succeeded(await run(as.volt, 'productArchive', { id: own.product.id }), 'productArchive').product.status).toBe('ARCHIVED');
  });

  it('an unknown id answers exactly like another brand’s', async () => {
    const unknown = '00000000-0000-7000-8000-000000000000';
    const ofOther = await run(as.volt, 'productUpdate', { id: NIMBUS_PLAN, name: 'x' });
    const ofNobody = await run(as.volt, 'productUpdate', { id: unknown, name: 'x' });
    expect(ofOther.body.data?.productUpdate).toEqual(ofNobody.body.data?.productUpdate);
    const list = await run(as.volt, 'priceSet', { priceListId: LIST.nimbus, productId: VOLT_ADDON, type: 'ONE_OFF', amount: '1' });
    const noList = await run(as.volt, 'priceSet', { priceListId: unknown, productId: VOLT_ADDON, type: 'ONE_OFF', amount: '1' });
    expect(list.body.data?.priceSet).toEqual(noList.body.data?.priceSet);
  });
});

describe('the owning brand succeeds with the same mutations', () => {
  it('catalog: Nimbus staff update, price, list, re-assort and archive their own product', async () => {
    succeeded(await run(as.nimbus, 'productUpdate', { id: nimbus.product, name: 'Nimbus own plan v2' }), 'productUpdate');
    succeeded(
      await run(as.nimbus, 'priceListCreate', { storefrontId: NIMBUS, name: 'Account list', customerId: nimbus.customer }),
      'priceListCreate',
    );
    succeeded(await run(as.nimbus, 'productArchive', { id: nimbus.product }), 'productArchive');
    // Removed from its only storefront, the product is no longer any single brand's to touch.
    succeeded(await run(as.nimbus, 'assortmentUpdate', { storefrontId: NIMBUS, removeProductIds: [nimbus.product] }), 'assortmentUpdate');
    expect(
      refusalOf(await run(as.nimbus, 'assortmentUpdate', { storefrontId: NIMBUS, addProductIds: [nimbus.product] }), 'assortmentUpdate'),
    ).toBe('NOT_FOUND');
    // The list they have (tests/cors.test.ts changes origins; here the write itself is the point).
    const own = (await as.nimbus('{ storefront { allowedOrigins } }')).body.data?.storefront.allowedOrigins;
    expect(own).toContain('http://localhost:5173');
    const set = succeeded(await run(as.nimbus, 'storefrontOriginsSet', { storefrontId: NIMBUS, origins: own }), 'storefrontOriginsSet');
    expect(set.storefront.allowedOrigins).toEqual(own);
  });

  it('customer: Nimbus staff change their own accounts and keys', async () => {
    const id = nimbus.customer;
    succeeded(await run(as.nimbus, 'customerConsentSet', { customerId: id, channel: 'SMS', granted: false }), 'customerConsentSet');
    succeeded(
      await run(as.nimbus, 'interactionLog', { customerId: id, channel: 'PHONE', direction: 'INBOUND', notes: 'Called' }),
      'interactionLog',
    );
    const version = (await as.nimbus(`query ($id: ID!) { customer(id: $id) { version } }`, { id })).body.data?.customer.version;
    succeeded(await run(as.nimbus, 'customerUpdate', { id, version, name: 'Renamed by Nimbus' }), 'customerUpdate');
    const extra = succeeded(await run(as.nimbus, 'customerContactAdd', { customerId: id, name: 'Temp' }), 'customerContactAdd');
    const temp = extra.customer.contacts.find((c: { id: string }) => c.id !== nimbus.contact).id;
    succeeded(await run(as.nimbus, 'customerContactRemove', { customerId: id, id: temp }), 'customerContactRemove');
    const addr = succeeded(
      await run(as.nimbus, 'customerAddressAdd', { customerId: id, type: 'SERVICE', line1: 'x', city: 'x', postcode: 'x', country: 'GB' }),
      'customerAddressAdd',
    );
    const tempAddress = addr.customer.addresses.find((a: { id: string }) => a.id !== nimbus.address).id;
    succeeded(await run(as.nimbus, 'customerAddressRemove', { customerId: id, id: tempAddress }), 'customerAddressRemove');
    succeeded(await run(as.nimbus, 'npsSurveyCreate', { name: 'Nimbus pulse', question: 'How are we doing?' }), 'npsSurveyCreate');
    const budget = { id: nimbus.key, costBudget: { maximumAvailable: 5000, restoreRate: 50 } };
    succeeded(await run(as.nimbus, 'apiKeyCostBudgetSet', budget), 'apiKeyCostBudgetSet');
    const rotated = succeeded(await run(as.nimbus, 'apiKeyRotate', { id: nimbus.key }), 'apiKeyRotate');
    succeeded(await run(as.nimbus, 'apiKeyRevoke', { id: rotated.apiKey.id }), 'apiKeyRevoke');
  });

  it('administration: Nimbus staff manage their own members, groups and partner users', async () => {
    const created = succeeded(
      await run(as.nimbus, 'staffCreate', { email: `${slug('n')}@nimbus.example`, name: 'N', segments: ['*'], managerId: NIMBUS_AGENT }),
      'staffCreate',
    );
    const id = created.staff.id;
    succeeded(await run(as.nimbus, 'staffUpdate', { id, name: 'N2' }), 'staffUpdate');
    succeeded(await run(as.nimbus, 'accessGroupUpdate', { id: nimbus.group, name: slug('Nimbus group') }), 'accessGroupUpdate');
    succeeded(await run(as.nimbus, 'accessGroupAssign', { staffId: id, accessGroupId: nimbus.group }), 'accessGroupAssign');
    succeeded(await run(as.nimbus, 'accessGroupRemove', { staffId: id, accessGroupId: nimbus.group }), 'accessGroupRemove');
    succeeded(await run(as.nimbus, 'staffDeactivate', { id }), 'staffDeactivate');
    succeeded(await run(as.nimbus, 'partnerUserDeactivate', { id: nimbus.partnerUser }), 'partnerUserDeactivate');
  });

  it('teams: Nimbus staff build and staff a team of their own; its agent reads its own inbox', async () => {
    const team = succeeded(await run(as.nimbus, 'teamCreate', { name: slug('Nimbus field sales'), kind: 'SALES' }), 'teamCreate').team.id;
    succeeded(await run(as.nimbus, 'teamUpdate', { id: team, managerId: NIMBUS_AGENT, segments: ['smb'] }), 'teamUpdate');
    succeeded(await run(as.nimbus, 'teamMemberAdd', { teamId: team, staffId: NIMBUS_AGENT }), 'teamMemberAdd');
    succeeded(await run(as.nimbus, 'teamMemberRemove', { teamId: team, staffId: NIMBUS_AGENT }), 'teamMemberRemove');
    succeeded(await run(as.nimbus, 'staffInboxMarkRead', { ids: [nimbusNotify.inbox] }), 'staffInboxMarkRead');
  });
});

describe('staff granted several brands', () => {
  it('act in their home brand without a key and in the other with its storefront key', async () => {
    const inVolt = succeeded(
      await run(as.regional, 'productCreate', { slug: slug('regional-volt'), name: 'R', kind: 'PLAN', description: 'x' }),
      'productCreate',
    );
    const inNimbus = succeeded(
      await run(as.regionalInNimbus, 'productCreate', { slug: slug('regional-nimbus'), name: 'R', kind: 'PLAN', description: 'x' }),
      'productCreate',
    );
    const carriers = (id: string) =>
      dbRows(stack, 'catalog', 'select storefront_id from "catalog"."storefront_product" where product_id = ?', [id]);
    expect(await carriers(inVolt.product.id)).toEqual([{ storefront_id: VOLT }]);
    expect(await carriers(inNimbus.product.id)).toEqual([{ storefront_id: NIMBUS }]);
    // Either brand's price list, and a product both brands sell.
    for (const [list, productId] of [
      [LIST.volt, inVolt.product.id],
      [LIST.nimbus, inNimbus.product.id],
    ]) {
      succeeded(await run(as.regional, 'priceSet', { priceListId: list, productId, type: 'ONE_OFF', amount: '5' }), 'priceSet');
    }
    const both = succeeded(
      await run(as.regional, 'productCreate', {
        slug: slug('regional-both'),
        name: 'Both',
        kind: 'ADDON',
        description: 'x',
        storefrontIds: [VOLT, NIMBUS],
      }),
      'productCreate',
    );
    succeeded(await run(as.regional, 'productUpdate', { id: both.product.id, name: 'Both v2' }), 'productUpdate');
    // Bringing one brand's product into the other's assortment needs both brands.
    const add = { storefrontId: NIMBUS, addProductIds: [inVolt.product.id] };
    expect(refusalOf(await run(as.nimbus, 'assortmentUpdate', add), 'assortmentUpdate')).toBe('NOT_FOUND');
    succeeded(await run(as.regional, 'assortmentUpdate', add), 'assortmentUpdate');
    expect(refusalOf(await run(as.volt, 'productUpdate', { id: both.product.id, name: 'x' }), 'productUpdate')).toBe('FORBIDDEN');
  });

  it("read and write each brand's accounts only in that brand's requests", async () => {
    const nimbusAccount = `query ($id: ID!) { customer(id: $id) { id } }`;
    expect((await as.regionalInNimbus(nimbusAccount, { id: nimbus.customer })).body.data?.customer).toEqual({ id: nimbus.customer });
    expect((await as.regional(nimbusAccount, { id: nimbus.customer })).body.data?.customer ?? null).toBeNull();
    succeeded(
      await run(as.regionalInNimbus, 'interactionLog', { customerId: nimbus.customer, channel: 'CHAT', direction: 'INBOUND', notes: 'hi' }),
      'interactionLog',
    );
    const volt = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'brand-writes' });
    succeeded(await run(as.regional, 'customerContactAdd', { customerId: volt.id, name: 'Vera' }), 'customerContactAdd');
    await expectRefusedAndUnchanged({
      mutation: 'customerContactAdd',
      what: 'a Volt account while acting in Nimbus',
      attempt: () => run(as.regionalInNimbus, 'customerContactAdd', { customerId: volt.id, name: 'Vera' }),
      refusal: 'NOT_FOUND',
      rows: children('contact', volt.id),
    });
  });

  it('a single-brand staff member sending the other brand’s key is refused', async () => {
    const res = await client(stack.router.handler, KEYS.nimbus, { authorization: `Bearer ${tokens.volt}` })('{ priceLists { id } }');
    expect(res.status).toBe(401);
  });

  it('only the all-brands grant writes the shared category taxonomy', async () => {
    succeeded(await run(as.admin, 'categoryCreate', { slug: slug('shared-cat'), name: 'Shared' }), 'categoryCreate');
    expect(refusalOf(await run(as.regional, 'categoryCreate', { slug: slug('cat'), name: 'x' }), 'categoryCreate')).toBe('FORBIDDEN');
  });
});
