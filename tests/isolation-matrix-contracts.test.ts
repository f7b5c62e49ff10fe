import { randomUUID } from 'node:crypto';
import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { staffMutations } from './support/brand-matrix.js';
import { client, codes, KEYS, PRIVATE_KEYS, productId, type Response, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * Contracts across accounts, partners, segments and brands, through the router: every contract query
 * and staff mutation, for pairs that must not reach each other's rows — refused like an unknown id,
 * writing nothing — and the same mutation succeeding for the owner, so each refusal is the rule.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const CONTRACT = (key: string) => seedId('contract', key);
const TEMPLATE = (key: string) => seedId('contract-template', key);

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.conor = (await signIn(h, 'customerLogin', 'conor@example.com', KEYS.volt)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.voltManager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

const contracts = async (gql: Gql) =>
  ((await gql('{ contracts(first: 100) { nodes { id } } }')).body.data?.contracts.nodes as { id: string }[] | undefined)?.map((c) => c.id);
const contract = (gql: Gql, key: string) => gql('query ($id: ID!) { contract(id: $id) { id } }', { id: CONTRACT(key) });
const termination = (gql: Gql, key: string) =>
  gql('query ($id: ID!) { contractTerminationQuote(id: $id) { charge { amount } } }', { id: CONTRACT(key) });

describe('contract reads', () => {
  it("a customer reads their own contracts only; another customer's is NOT_FOUND, its termination quote too", async () => {
    // Other test files make contracts for demo accounts too (accepted quotes): the seeded ones must be there, nobody else's.
    const aoifes = await contracts(as.aoife);
    expect(aoifes).toEqual(expect.arrayContaining([CONTRACT('aoife-1'), CONTRACT('aoife-old')]));
    expect(aoifes).not.toContain(CONTRACT('acme-1'));
    const conors = await contracts(as.conor);
    expect(conors).not.toContain(CONTRACT('aoife-1'));
    expect(conors).not.toContain(CONTRACT('aoife-old'));
    expect(codes(await contract(as.conor, 'aoife-1'))).toEqual(['NOT_FOUND']);
    expect(codes(await termination(as.conor, 'aoife-1'))).toEqual(['NOT_FOUND']);
    expect(codes(await contract(as.aoife, 'acme-1'))).toEqual(['NOT_FOUND']);
  });

  it("partners read their accounts' contracts only", async () => {
    expect(await contracts(as.connectify)).toEqual([CONTRACT('niamh-1')]);
    expect(await contracts(as.skyline)).toEqual([]);
    expect(codes(await contract(as.skyline, 'niamh-1'))).toEqual(['NOT_FOUND']);
    expect(codes(await termination(as.skyline, 'niamh-1'))).toEqual(['NOT_FOUND']);
  });

  it('staff read the contracts of their segments and brand only', async () => {
    expect(await contracts(as.consumerAgent)).not.toContain(CONTRACT('acme-1'));
    expect(codes(await contract(as.consumerAgent, 'acme-1'))).toEqual(['NOT_FOUND']);
    expect(await contracts(as.businessAgent)).not.toContain(CONTRACT('aoife-1'));
    expect(codes(await termination(as.businessAgent, 'aoife-1'))).toEqual(['NOT_FOUND']);
    expect(await contracts(as.nimbusAgent)).toContain(CONTRACT('oliver-1'));
    expect(await contracts(as.nimbusAgent)).not.toContain(CONTRACT('aoife-1'));
    expect(codes(await contract(as.nimbusAgent, 'aoife-1'))).toEqual(['NOT_FOUND']);
    expect(codes(await contract(as.voltManager, 'oliver-1'))).toEqual(['NOT_FOUND']);
    const templates = async (gql: Gql) =>
      (await gql('{ contractTemplates { id } }')).body.data?.contractTemplates.map((t: { id: string }) => t.id);
    expect(await templates(as.voltManager)).not.toContain(TEMPLATE('nimbus-18'));
    expect(await templates(as.nimbusAgent)).not.toContain(TEMPLATE('volt-12'));
  });

  it("another account's 360° view and order hide its contracts", async () => {
    const res = await as.conor('{ me { contracts { nodes { id } } } }');
    expect(res.body.data?.me.contracts.nodes).toEqual([]);
  });

  it('customers, partners and anonymous keys reach no template and no staff mutation', async () => {
    for (const gql of [as.aoife, as.connectify]) {
      expect((await gql('{ contractTemplates { id } }')).body.data ?? null).toBeNull();
      const res = await gql('mutation { contractCancel(input: { id: "x", version: 1 }) { userErrors { code } } }');
      expect(res.body.data ?? null).toBeNull();
    }
    for (const gql of [as.shopper, as.chatbot]) expect(codes(await gql('{ contracts { nodes { id } } }'))).toEqual(['UNAUTHENTICATED']);
  });
});

type Payload = Record<string, any> & { userErrors: { code: string }[] };
async function run(
  gql: Gql,
  name: string,
  inputType: string,
  input: Record<string, unknown>,
  selection = 'contract { id version status }',
) {
  const res = await gql(`mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { code } } }`, { input });
  expect(res.body.errors).toBeUndefined();
  return res.body.data?.[name] as Payload;
}
const errorsOf = (p: Payload) => p.userErrors.map((e) => e.code);
const ACTION = 'ContractActionInput';

/** A fresh Volt contract (a new consumer), PENDING_APPROVAL, made by the Volt manager. */
async function voltContract() {
  const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'contract-isolation' });
  const made = await run(as.voltManager, 'contractCreate', 'ContractCreateInput', {
    customerId: customer.id,
    templateId: TEMPLATE('volt-12'),
    products: [{ productId: productId('volt-sim-5gb') }],
  });
  expect(made.userErrors).toEqual([]);
  return made.contract as { id: string; version: number };
}

describe('contract writes: staff of the other brand or segment are refused like an unknown id', () => {
  it('contractCreate for an account they may not see', async () => {
    const input = {
      customerId: seedId('customer', 'aoife'),
      templateId: TEMPLATE('volt-12'),
      products: [{ productId: productId('volt-sim-5gb') }],
    };
    expect(errorsOf(await run(as.nimbusAgent, 'contractCreate', 'ContractCreateInput', input))).toContain('NOT_FOUND');
    expect(errorsOf(await run(as.businessAgent, 'contractCreate', 'ContractCreateInput', input))).toEqual(['NOT_FOUND']);
  });

  it('contractTemplateUpdate of the other brand, while contractTemplateCreate stays in the caller’s brand', async () => {
    const update = { id: TEMPLATE('volt-12'), version: 1, noticeDays: 1 };
    expect(errorsOf(await run(as.nimbusAgent, 'contractTemplateUpdate', 'ContractTemplateUpdateInput', update, 'template { id }'))).toEqual(
      ['NOT_FOUND'],
    );
    const name = `Nimbus ${randomUUID().slice(0, 8)}`;
    const input = { name, termMonths: 12, renewalPolicy: 'NONE', terminationRule: { kind: 'NONE' } };
    const made = await run(as.nimbusAgent, 'contractTemplateCreate', 'ContractTemplateCreateInput', input, 'template { id version }');
    expect(made.userErrors).toEqual([]);
    const volt = await as.voltManager('{ contractTemplates { id } }');
    expect(volt.body.data?.contractTemplates.map((t: { id: string }) => t.id)).not.toContain(made.template.id);
    const own = await run(
      as.voltManager,
      'contractTemplateUpdate',
      'ContractTemplateUpdateInput',
      { id: made.template.id, version: 1 },
      'template { id }',
    );
    expect(errorsOf(own)).toEqual(['NOT_FOUND']);
    const mine = await run(
      as.nimbusAgent,
      'contractTemplateUpdate',
      'ContractTemplateUpdateInput',
      { id: made.template.id, version: 1, noticeDays: 10 },
      'template { id }',
    );
    expect(mine.userErrors).toEqual([]);
  });

  it('submit, approve, cancel, terminate and renew of the other brand’s or segment’s contract; the owner succeeds', async () => {
    const fresh = await voltContract();
    const input = { id: fresh.id, version: fresh.version };
    for (const gql of [as.nimbusAgent, as.businessAgent]) {
      for (const name of ['contractSubmit', 'contractApprove', 'contractCancel', 'contractRenew'])
        expect(errorsOf(await run(gql, name, ACTION, input))).toEqual(['NOT_FOUND']);
      expect(errorsOf(await run(gql, 'contractTerminate', 'ContractTerminateInput', { ...input, reason: 'x' }))).toEqual(['NOT_FOUND']);
    }
    // Nothing was written: the owner's manager approves at the same version, then the owner terminates.
    const approved = await run(as.voltManager, 'contractApprove', ACTION, input);
    expect(approved.contract.status).toBe('ACTIVE');
    const ended = await run(as.consumerAgent, 'contractTerminate', 'ContractTerminateInput', {
      id: fresh.id,
      version: approved.contract.version,
      reason: 'Isolation',
    });
    expect(ended.contract.status).toBe('TERMINATED');
    const draft = await voltContract();
    expect((await run(as.consumerAgent, 'contractCancel', ACTION, { id: draft.id, version: draft.version })).contract.status).toBe(
      'CANCELLED',
    );
  });
});

describe('coverage', () => {
  it('the matrix covers every staff contract mutation of the quote subgraph', () => {
    const covered = [
      'contractApprove',
      'contractCancel',
      'contractCreate',
      'contractRenew',
      'contractSubmit',
      'contractTemplateCreate',
      'contractTemplateUpdate',
      'contractTerminate',
    ];
    const all = staffMutations(new URL('../subgraphs/quote/src/schema.graphql', import.meta.url)).filter((m) => m.startsWith('contract'));
    expect(all.filter((m) => !covered.includes(m))).toEqual([]);
  });
});
