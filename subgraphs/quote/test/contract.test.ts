import { randomUUID } from 'node:crypto';
import { type ManualClock, manualClock, newId, seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Stack, startStack } from '../../../stack/src/stack.js';
import { codes, KEYS, productId, type Response, registerCustomer, signIn } from '../../../tests/support/stack.js';

/** Contracts through the router: templates, who sees which, approval authority, termination charges, the renewal job (manual clock). */
let stack: Stack;
let clock: ManualClock;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const contractId = (key: string) => seedId('contract', key);
const DAY = 86_400_000;

const quote = () => stack.subgraphs.find((s) => s.definition.name === 'quote') as Stack['subgraphs'][number];
const sql = (query: string, params: unknown[] = []) => quote().orm.em.fork().getConnection().execute(query, params);
const renewalJob = (id: string) => (quote().server.tasks['contract:renewal'] as (payload: unknown) => Promise<string>)({ contractId: id });

beforeAll(async () => {
  clock = manualClock(new Date());
  stack = await startStack({ databaseUrl: inject('databaseUrl'), seed: false, clock, exposeSqlCount: true });
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.conor = (await signIn(h, 'customerLogin', 'conor@example.com', KEYS.volt)).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.manager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.catalogAdmin = (await signIn(h, 'staffLogin', 'admin@dcrm.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
});
afterAll(() => stack.stop());

const LIST = '{ contracts(first: 100) { nodes { id } } }';
const listed = async (gql: Gql) => ((await gql(LIST)).body.data?.contracts.nodes ?? []).map((c: { id: string }) => c.id);
const CONTRACT =
  'contract { id number status tmfStatus version periodStart periodEnd monthlyFee { amount currencyCode } terminationCharge { amount } }';

async function mutate(gql: Gql, name: string, inputType: string, input: Record<string, unknown>, selection = CONTRACT) {
  const res = await gql(`mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { code field } } }`, {
    input,
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data?.[name] as Record<string, any> & { userErrors: { code: string; field: string[] }[] };
}
const errorCodes = (payload: { userErrors: { code: string }[] }) => payload.userErrors.map((e) => e.code);

async function template(input: Record<string, unknown>) {
  const made = await mutate(
    as.manager,
    'contractTemplateCreate',
    'ContractTemplateCreateInput',
    { name: `T ${randomUUID().slice(0, 8)}`, ...input },
    'template { id version }',
  );
  expect(made.userErrors).toEqual([]);
  return made.template as { id: string; version: number };
}

/** A fresh Volt consumer with a contract made (and approved by the manager) on `templateId`. */
async function activeContract(templateId: string, periodStart = clock.now()) {
  const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'contract' });
  const made = await mutate(as.consumerAgent, 'contractCreate', 'ContractCreateInput', {
    customerId: customer.id,
    templateId,
    products: [{ productId: productId('volt-sim-unlimited'), quantity: 1 }],
    periodStart: periodStart.toISOString(),
  });
  expect(made.userErrors).toEqual([]);
  const approved = await mutate(as.manager, 'contractApprove', 'ContractActionInput', {
    id: made.contract.id,
    version: made.contract.version,
  });
  expect(approved.userErrors).toEqual([]);
  return { customer, contract: approved.contract as Record<string, any> };
}

describe('who sees which contract', () => {
  it("customers see their own, partners their accounts', staff their segments and brand", async () => {
    expect(await listed(as.aoife)).toEqual(expect.arrayContaining([contractId('aoife-1'), contractId('aoife-old')]));
    expect(await listed(as.conor)).not.toContain(contractId('aoife-1'));
    expect(await listed(as.connectify)).toEqual([contractId('niamh-1')]);
    const consumer = await listed(as.consumerAgent);
    expect(consumer).toContain(contractId('aoife-1'));
    expect(consumer).not.toContain(contractId('acme-1'));
    expect(await listed(as.businessAgent)).toContain(contractId('acme-1'));
    expect(await listed(as.manager)).not.toContain(contractId('oliver-1'));
    expect(codes(await as.catalogAdmin(LIST))).toContain('FORBIDDEN');
    const other = await as.conor('query ($id: ID!) { contract(id: $id) { id } }', { id: contractId('aoife-1') });
    expect(codes(other)).toEqual(['NOT_FOUND']);
  });

  it('shows terms, TMF651 status, lines and history; internal notes to staff only', async () => {
    const query = `query ($id: ID!) { contract(id: $id) { status tmfStatus templateName termMonths renewalPolicy noticeDays
      terminationRule { kind percent amount stepMonths } monthlyFee { amount currencyCode } lines { name monthlyFee { amount } }
      history { nodes { action toStatus actorKind } } } }`;
    const res = await as.aoife(query, { id: contractId('aoife-1') });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.contract).toMatchObject({
      status: 'ACTIVE',
      tmfStatus: 'validated',
      termMonths: 12,
      renewalPolicy: 'AUTO_RENEW',
      terminationRule: { kind: 'REMAINING_MONTHS', percent: '50.00', amount: null },
      monthlyFee: { amount: '29.99', currencyCode: 'EUR' },
      lines: [{ name: 'Volt Unlimited 5G', monthlyFee: { amount: '29.99' } }],
    });
    expect(res.body.data?.contract.history.nodes.map((e: { action: string }) => e.action)).toEqual(['CREATED', 'APPROVED']);
    const note = 'query ($id: ID!) { contract(id: $id) { internalNote } }';
    expect((await as.manager(note, { id: contractId('aoife-1') })).body.data?.contract.internalNote).toMatch(/Loyalty/);
    expect(codes(await as.aoife(note, { id: contractId('aoife-1') }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('is on the account (Customer.contracts, 360°)', async () => {
    const res = await as.aoife('{ me { contracts(first: 100) { nodes { id status } } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.me.contracts.nodes).toEqual(expect.arrayContaining([{ id: contractId('aoife-old'), status: 'TERMINATED' }]));
  });
});

describe('templates', () => {
  it('are created and changed by staff with contract:manage, at the version read', async () => {
    const made = await template({
      termMonths: 24,
      renewalPolicy: 'NONE',
      terminationRule: { kind: 'DECLINING', amount: '240.00', stepMonths: 6 },
    });
    const update = { id: made.id, version: made.version, noticeDays: 14 };
    const changed = await mutate(
      as.manager,
      'contractTemplateUpdate',
      'ContractTemplateUpdateInput',
      update,
      'template { version noticeDays terminationRule { kind amount stepMonths } }',
    );
    expect(changed.template).toEqual({
      version: made.version + 1,
      noticeDays: 14,
      terminationRule: { kind: 'DECLINING', amount: '240.00', stepMonths: 6 },
    });
    const stale = await mutate(as.manager, 'contractTemplateUpdate', 'ContractTemplateUpdateInput', update, 'template { id }');
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    const listedTemplates = await as.consumerAgent('{ contractTemplates { id name } }');
    expect(listedTemplates.body.data?.contractTemplates.map((t: { id: string }) => t.id)).toContain(made.id);
  });

  it('reject bad rules and unknown approval scopes, and agents without contract:manage', async () => {
    const bad = await mutate(
      as.manager,
      'contractTemplateCreate',
      'ContractTemplateCreateInput',
      {
        name: 'Bad',
        termMonths: 0,
        renewalPolicy: 'NONE',
        terminationRule: { kind: 'REMAINING_MONTHS', percent: '150' },
        approvalScope: 'staff:manage',
      },
      'template { id }',
    );
    expect(errorCodes(bad).sort()).toEqual(['INVALID', 'OUT_OF_RANGE', 'OUT_OF_RANGE']);
    const res = await as.consumerAgent(
      'mutation ($input: ContractTemplateCreateInput!) { contractTemplateCreate(input: $input) { template { id } } }',
      { input: { name: 'Agent', termMonths: 12, renewalPolicy: 'NONE', terminationRule: { kind: 'NONE' } } },
    );
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});

describe('a contract', () => {
  it("is priced from the catalog, waits for the template's approval authority, and keeps its version", async () => {
    const t = await template({
      termMonths: 12,
      renewalPolicy: 'AUTO_RENEW',
      terminationRule: { kind: 'FIXED', amount: '100.00' },
      approvalScope: 'contract:manage',
    });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'contract' });
    const made = await mutate(as.consumerAgent, 'contractCreate', 'ContractCreateInput', {
      customerId: customer.id,
      templateId: t.id,
      products: [{ productId: productId('volt-sim-unlimited'), quantity: 2 }],
      internalNote: 'Two lines',
    });
    expect(made.userErrors).toEqual([]);
    expect(made.contract).toMatchObject({
      status: 'PENDING_APPROVAL',
      tmfStatus: 'inProcess',
      monthlyFee: { amount: '59.98', currencyCode: 'EUR' },
    });
    const input = { id: made.contract.id, version: made.contract.version };
    // The agent holds contract:write but not the template's contract:manage.
    expect(errorCodes(await mutate(as.consumerAgent, 'contractApprove', 'ContractActionInput', input))).toEqual(['NOT_AUTHORISED']);
    const approved = await mutate(as.manager, 'contractApprove', 'ContractActionInput', input);
    expect(approved.contract.status).toBe('ACTIVE');
    expect(errorCodes(await mutate(as.manager, 'contractApprove', 'ContractActionInput', input)).sort()).toEqual([
      'CONFLICT',
      'INVALID_TRANSITION',
    ]);
    // The customer sees it; its renewal job is queued under the contract's key.
    expect(await listed(customer.gql)).toContain(made.contract.id);
    const [job] = await sql(`select run_at from graphile_worker._private_jobs where key = ?`, [`contract:${made.contract.id}:renewal`]);
    expect(new Date(job.run_at).getTime()).toBe(new Date(approved.contract.periodEnd).getTime() - 30 * DAY);
  });

  it("is refused for accounts outside the agent's segments and for products without a monthly price", async () => {
    const t = await template({ termMonths: 12, renewalPolicy: 'NONE', terminationRule: { kind: 'NONE' } });
    const acme = await mutate(as.consumerAgent, 'contractCreate', 'ContractCreateInput', {
      customerId: seedId('customer', 'acme-telecom-buyers'),
      templateId: t.id,
      products: [{ productId: productId('volt-sim-5gb') }],
    });
    expect(errorCodes(acme)).toEqual(['NOT_FOUND']);
    const unknown = await mutate(as.consumerAgent, 'contractCreate', 'ContractCreateInput', {
      customerId: seedId('customer', 'aoife'),
      templateId: newId(),
      products: [{ productId: newId() }],
    });
    expect(errorCodes(unknown).sort()).toEqual(['NOT_FOUND', 'NOT_FOUND']);
  });

  it('is cancelled before it starts, not after', async () => {
    const t = await template({ termMonths: 12, renewalPolicy: 'NONE', terminationRule: { kind: 'NONE' } });
    const future = await activeContract(t.id, new Date(clock.now().getTime() + 10 * DAY));
    const cancelled = await mutate(as.consumerAgent, 'contractCancel', 'ContractActionInput', {
      id: future.contract.id,
      version: future.contract.version,
      reason: 'Changed mind',
    });
    expect(cancelled.contract).toMatchObject({ status: 'CANCELLED', tmfStatus: 'closed' });
    const started = await activeContract(t.id);
    const refused = await mutate(as.consumerAgent, 'contractCancel', 'ContractActionInput', {
      id: started.contract.id,
      version: started.contract.version,
    });
    expect(errorCodes(refused)).toEqual(['STARTED']);
  });

  it('is terminated with the charge the termination quote showed, recorded with the reason', async () => {
    const t = await template({ termMonths: 12, renewalPolicy: 'AUTO_RENEW', terminationRule: { kind: 'REMAINING_MONTHS', percent: '50' } });
    const start = new Date(clock.now().getTime() - 100 * DAY);
    const { contract, customer } = await activeContract(t.id, start);
    const at = new Date(clock.now().getTime() + DAY).toISOString();
    const shown = await customer.gql(
      'query ($id: ID!, $at: DateTime) { contractTerminationQuote(id: $id, at: $at) { remainingMonths charge { amount } explanation } }',
      { id: contract.id, at },
    );
    expect(shown.body.errors).toBeUndefined();
    const { remainingMonths, charge } = shown.body.data?.contractTerminationQuote ?? {};
    // 101 days in: 3 whole months elapsed, 9 remaining × 29.99 × 50% = 134.955 → 134.96 (half up).
    expect(remainingMonths).toBe(9);
    expect(charge.amount).toBe('134.96');
    const input = { id: contract.id, version: contract.version, at, reason: 'Moving abroad' };
    expect(errorCodes(await mutate(as.consumerAgent, 'contractTerminate', 'ContractTerminateInput', { ...input, version: 99 }))).toEqual([
      'CONFLICT',
    ]);
    const done = await mutate(as.consumerAgent, 'contractTerminate', 'ContractTerminateInput', input);
    expect(done.contract).toMatchObject({ status: 'TERMINATED', terminationCharge: { amount: charge.amount } });
    const history = await as.manager(
      'query ($id: ID!) { contract(id: $id) { terminationReason history { nodes { action reason actorKind actorId } } } }',
      { id: contract.id },
    );
    expect(history.body.data?.contract.terminationReason).toBe('Moving abroad');
    expect(history.body.data?.contract.history.nodes.at(-1)).toMatchObject({
      action: 'TERMINATED',
      reason: 'Moving abroad',
      actorKind: 'staff',
    });
    expect(
      errorCodes(
        await mutate(as.consumerAgent, 'contractTerminate', 'ContractTerminateInput', { ...input, version: done.contract.version }),
      ),
    ).toEqual(['INVALID_TRANSITION']);
  });

  it('is reached from its order (Order.contract)', async () => {
    const t = await template({ termMonths: 12, renewalPolicy: 'NONE', terminationRule: { kind: 'NONE' } });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'contract' });
    const orderId = newId();
    const made = await mutate(as.consumerAgent, 'contractCreate', 'ContractCreateInput', {
      customerId: customer.id,
      templateId: t.id,
      orderId,
      products: [{ productId: productId('volt-sim-unlimited') }],
    });
    const res = await customer.gql('query ($id: ID!) { contract(id: $id) { order { id contract { id } } } }', { id: made.contract.id });
    expect(res.body.data?.contract.order).toEqual({ id: orderId, contract: { id: made.contract.id } });
  });
});

describe('the renewal job', () => {
  it('auto-renews N days before the end: a new contract for the next term, the old one RENEWED', async () => {
    const t = await template({ termMonths: 12, renewalPolicy: 'AUTO_RENEW', noticeDays: 30, terminationRule: { kind: 'NONE' } });
    const { contract, customer } = await activeContract(t.id, new Date(clock.now().getTime() - 350 * DAY));
    expect(await renewalJob(contract.id)).toBe('RENEWED');
    const mine = await customer.gql(
      '{ contracts { nodes { id status previousContractId periodStart periodEnd history { nodes { action } } } } }',
    );
    const [next, old] = mine.body.data?.contracts.nodes ?? [];
    expect(old).toMatchObject({ id: contract.id, status: 'RENEWED' });
    expect(next).toMatchObject({ status: 'ACTIVE', previousContractId: contract.id, periodStart: contract.periodEnd });
    expect(old.history.nodes.at(-1).action).toBe('RENEWED');
    // Run again: nothing more happens to the old one.
    expect(await renewalJob(contract.id)).toBe('NOTHING');
  });

  it('offers a renewal (RENEWAL_DUE, the customer notified), then expires it at the end', async () => {
    const t = await template({ termMonths: 12, renewalPolicy: 'RENEWAL_OFFER', noticeDays: 60, terminationRule: { kind: 'NONE' } });
    const { contract } = await activeContract(t.id, new Date(clock.now().getTime() - 320 * DAY));
    expect(await renewalJob(contract.id)).toBe('RENEWAL_DUE');
    // The notice is written with the change and handed to the customer's notification service after commit.
    const outbox = async () =>
      (await sql(`select template_key, outcome from "quote"."notify_outbox" where variables->>'contractNumber' = ?`, [contract.number]))[0];
    for (let i = 0; i < 50 && !(await outbox())?.outcome; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await outbox()).toMatchObject({ template_key: 'contract.renewalDue', outcome: 'SENT' });
    // Too early for the end: the job puts itself back.
    expect(await renewalJob(contract.id)).toBe('RESCHEDULED');
    const now = clock.now();
    clock.set(new Date(new Date(contract.periodEnd).getTime() + 1000));
    try {
      expect(await renewalJob(contract.id)).toBe('EXPIRED');
    } finally {
      clock.set(now);
    }
  });

  it('the periodic sweep runs the renewal of a due contract whose job is gone', async () => {
    const t = await template({ termMonths: 12, renewalPolicy: 'AUTO_RENEW', noticeDays: 30, terminationRule: { kind: 'NONE' } });
    const { contract } = await activeContract(t.id, new Date(clock.now().getTime() - 350 * DAY));
    await sql('delete from graphile_worker._private_jobs where key = ?', [`contract:${contract.id}:renewal`]);
    const { outcomes } = await (quote().server.tasks['contract:renewal-sweep'] as () => Promise<{ outcomes: Record<string, string> }>)();
    expect(outcomes[contract.id]).toBe('RENEWED');
    // The renewal scheduled the new contract's job.
    const [{ n }] = await sql(
      `select count(*)::int as n from graphile_worker._private_jobs j join "quote"."contract" c
      on j.key = 'contract:' || c.id || ':renewal' where c.previous_contract_id = ?`,
      [contract.id],
    );
    expect(n).toBe(1);
  });

  it('a RENEWAL_DUE contract is renewed by staff when the customer takes the offer', async () => {
    const t = await template({ termMonths: 12, renewalPolicy: 'RENEWAL_OFFER', noticeDays: 60, terminationRule: { kind: 'NONE' } });
    const { contract } = await activeContract(t.id, new Date(clock.now().getTime() - 320 * DAY));
    expect(await renewalJob(contract.id)).toBe('RENEWAL_DUE');
    const [{ version }] = await sql(`select version from "quote"."contract" where id = ?`, [contract.id]);
    const renewed = await mutate(as.consumerAgent, 'contractRenew', 'ContractActionInput', { id: contract.id, version });
    expect(renewed.userErrors).toEqual([]);
    expect(renewed.contract).toMatchObject({ status: 'ACTIVE', periodStart: contract.periodEnd });
  });
});
