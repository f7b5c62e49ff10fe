import { internalSecret, signToken, verifyToken } from '@dcrm/kit';

const PURPOSE = 'ticket-reply';

/** What a reply token names: the ticket, its account and its brand. */
export type ReplyTarget = { ticketId: string; customerId: string; storefrontId: string };

/**
 * The token outgoing ticket notifications carry (variable `replyToken`, e.g. in a reply-to address
 * `reply+<token>@…`): an email or SMS answering them is recorded on that ticket (`ticketReplyReceive`).
 * HMAC-signed with dcrm's internal secret for this purpose only.
 */
export const replyTokenFor = (target: ReplyTarget, secret = internalSecret()): string =>
  signToken(secret, PURPOSE, { t: target.ticketId, c: target.customerId, s: target.storefrontId });

/** The ticket a reply token names, or null when it is not one dcrm made. */
export function replyTargetOf(token: string, secret = internalSecret()): ReplyTarget | null {
  const data = verifyToken(secret, PURPOSE, token);
  return data?.t && data.c && data.s ? { ticketId: data.t, customerId: data.c, storefrontId: data.s } : null;
}
