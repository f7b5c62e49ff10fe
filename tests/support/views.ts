import { KEYS, signIn } from './stack.js';

type Handler = Parameters<typeof signIn>[0];

/**
 * A signed-in customer, partner and staff member, each with a query its own view plans as one fetch:
 * the headers to send it with and the query. The passthrough and fast-path tests compare each answer
 * with a router that does without them.
 */
export async function viewCallers(handler: Handler): Promise<[Record<string, string>, string][]> {
  const customer = await signIn(handler, 'customerLogin', 'aoife@example.com', KEYS.volt);
  const partner = await signIn(handler, 'partnerLogin', 'ops@connectify.example');
  const staff = await signIn(handler, 'staffLogin', 'manager@volt.example');
  return [
    [{ 'x-api-key': KEYS.volt, authorization: `Bearer ${customer.accessToken}` }, '{ me { id name email } }'],
    [{ authorization: `Bearer ${partner.accessToken}` }, '{ customers(first: 20) { nodes { id name } } }'],
    [{ authorization: `Bearer ${staff.accessToken}` }, '{ opportunities(first: 20) { nodes { id name stage segment } } }'],
  ];
}
