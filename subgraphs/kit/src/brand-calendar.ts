import type { BusinessCalendar } from './business-time.js';
import { SERVICE_SCOPES, servicePrincipal } from './principal.js';
import { answerError, type SubgraphTarget } from './targets.js';

/**
 * A brand's business calendar (opening hours, holidays, time zone), which the ticket subgraph owns
 * (`businessCalendarSet`), for another module's clocks on kit `business-time.ts`: asked of the ticket
 * subgraph's service-only `brandBusinessCalendar` as the calling module's service for the brand (scope
 * `calendar:read`). A brand without one gets 24×7 in UTC. Throws when the ticket subgraph cannot answer
 * (SERVICE_UNAVAILABLE kept): callers retry (a job) rather than count on a guess. Never call inside a
 * transaction.
 */
export type CalendarCaller = { ticket: SubgraphTarget; source: string; storefrontId: string };

const QUERY = `query BrandBusinessCalendar { brandBusinessCalendar {
  timeZone alwaysOpen weekly { day from to } holidays { date from to name } } }`;

export async function brandCalendar(caller: CalendarCaller): Promise<BusinessCalendar> {
  const principal = servicePrincipal(caller.source, caller.storefrontId, [SERVICE_SCOPES.businessCalendar]);
  const response = await caller.ticket.execute({ query: QUERY, operationName: 'BrandBusinessCalendar' }, principal);
  if (response.errors?.length) throw answerError(caller.ticket.name, response.errors);
  // The API's shape is the calendar's (a holiday's null from/to: the whole day).
  return response.data?.brandBusinessCalendar as BusinessCalendar;
}
