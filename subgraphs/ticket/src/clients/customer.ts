import { entitiesOf, loggerFor, type Peers, type Principal, servicePrincipal } from '@dcrm/kit';
import type { TicketChannel } from '../entities/index.js';

// Calls to the customer subgraph, which owns accounts: what a ticket copies of its account, and the interaction an agent logs.

/** What a ticket copies from its account (segment and partner decide who else may see it). */
export type Account = { id: string; segment: string; partner: { id: string } | null };

/**
 * The account as `principal` may see it (the customer themselves, staff of its segment, its partner),
 * or — for a server-side key, which may not read accounts — as the ticket subgraph's service principal
 * for the key's storefront. Null when not visible.
 */
export async function accountOf(peers: Peers, principal: Principal, customerId: string): Promise<Account | null> {
  const asker = principal.kind === 'anonymous' ? servicePrincipal('ticket', principal.storefrontId, []) : principal;
  const [account] = await entitiesOf<Account>(peers('customer'), asker, 'Customer', 'id segment partner { id }', [customerId]);
  return account;
}

/** Whether a staff member exists in the caller's storefront (as the customer subgraph lets staff look each other up). */
export async function staffExists(peers: Peers, principal: Principal, staffId: string): Promise<boolean> {
  const [staff] = await entitiesOf<{ id: string }>(peers('customer'), principal, 'Staff', 'id', [staffId]);
  return staff !== null;
}

const LOG = `mutation TicketInteraction($input: InteractionLogInput!) { interactionLog(input: $input) { userErrors { code } } }`;

/** The customer subgraph's interaction channels, by ticket channel. */
const CHANNEL: Record<TicketChannel, string> = {
  SELF_CARE: 'WEB',
  CHATBOT: 'CHATBOT',
  PHONE: 'PHONE',
  EMAIL: 'EMAIL',
  PORTAL: 'WEB',
  PARTNER: 'WEB',
  STORE: 'STORE',
};

/**
 * A ticket an agent raised on the customer's behalf, logged on the account as an inbound interaction,
 * as the agent (so the customer subgraph applies its own rules). After the ticket's commit; a failure
 * is logged and never undoes the ticket.
 */
export async function logTicketInteraction(
  peers: Peers,
  principal: Principal,
  ticket: { customerId: string; channel: TicketChannel; subject: string; id: string },
): Promise<void> {
  try {
    const input = {
      customerId: ticket.customerId,
      channel: CHANNEL[ticket.channel],
      direction: 'INBOUND',
      notes: `Ticket raised: ${ticket.subject} (${ticket.id})`,
    };
    const response = await peers('customer').execute({ query: LOG, variables: { input } }, principal);
    const problem =
      response.errors?.[0]?.message ?? (response.data?.interactionLog as { userErrors: { code: string }[] })?.userErrors[0]?.code;
    if (problem) loggerFor('ticket').warn({ ticketId: ticket.id, problem }, 'ticket interaction not logged');
  } catch (error) {
    loggerFor('ticket').warn({ ticketId: ticket.id, err: error }, 'ticket interaction not logged');
  }
}
