import { answerError, loggerFor, type Peers, SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import type { IQuote } from '../entities/index.js';

const SEND = `mutation NotifyPartnerUser($input: NotificationSendInput!) { notificationSend(input: $input) {
  results { outcome } userErrors { code message field } } }`;

/**
 * Tells the partner user who submitted a quote (their EMAIL, through the customer subgraph's
 * notificationSend as the quote service of the quote's brand) how it was decided or that it was
 * accepted — the same templates customers get. After the commit; a failure is logged, the change stands.
 */
export async function notifyPartnerSubmitter(peers: Peers, quote: IQuote, templateKey: string, variables: Record<string, string | null>) {
  if (quote.submittedByKind !== 'partner' || !quote.submittedBy) return;
  const customer = peers('customer');
  const input = {
    messages: [
      {
        partnerUserId: quote.submittedBy,
        templateKey,
        variables: Object.entries(variables).map(([name, value]) => ({ name, value })),
        marketing: false,
        dedupeKey: `${templateKey}:${quote.id}:${quote.status}:${quote.submittedBy}`,
      },
    ],
  };
  try {
    const principal = servicePrincipal('quote', quote.storefrontId, [SERVICE_SCOPES.messageSend]);
    const response = await customer.execute({ query: SEND, variables: { input } }, principal);
    if (response.errors?.length) throw answerError(customer.name, response.errors);
    const payload = response.data?.notificationSend as { userErrors: { message: string }[] } | undefined;
    if (payload?.userErrors.length) throw new Error(payload.userErrors[0]?.message);
  } catch (error) {
    loggerFor('quote').warn({ err: (error as Error).message }, 'partner notification failed');
  }
}
