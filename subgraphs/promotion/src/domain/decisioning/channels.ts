import type { DecisionChannel, Profile } from './types.js';

/** Which notification channel needs which marketing consent (the inbox needs none). */
const CONSENT: Partial<Record<DecisionChannel, string>> = { EMAIL: 'EMAIL', SMS: 'SMS', PUSH: 'PUSH' };

/**
 * The channels a rule's action may go out on for this customer, in the order to try: the live
 * subscription first when the customer is connected; then the rule's channels the customer consented
 * to, the ones they prefer for offers first; the inbox always qualifies. Caps per channel are checked
 * by arbitration, which takes the first channel still under its cap.
 */
export function channelOrder(ruleChannels: readonly string[], profile: Profile, connected: boolean): DecisionChannel[] {
  const allowed = ruleChannels.filter((ch): ch is DecisionChannel => {
    if (ch === 'LIVE') return connected;
    if (ch === 'INBOX') return true;
    const consent = CONSENT[ch as DecisionChannel];
    return consent !== undefined && profile.consents.includes(consent);
  });
  const preferred = (ch: DecisionChannel) => (ch === 'LIVE' ? -1 : profile.preferred.includes(ch) ? 0 : 1);
  // A stable sort keeps the rule's own order within each group.
  return allowed.sort((a, b) => preferred(a) - preferred(b));
}
