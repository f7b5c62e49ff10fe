import { SERVICE_SCOPES, servicePrincipal } from './principal.js';
import { answerError, type SubgraphTarget } from './targets.js';

/**
 * The customer subgraph's staff directory, for modules that route and escalate work (opportunity,
 * quote, ticket): typed calls to its service-only fields, each as the calling module's service
 * principal for one brand with only the scope it needs. Staff come back ACTIVE and in a stable order;
 * picking among them by load is the caller's (`pickAssignee`, with its own counts). A call the
 * customer subgraph cannot answer throws (SERVICE_UNAVAILABLE kept): never call inside a transaction.
 */
export type StaffContact = { id: string; name: string; email: string };

export type TeamKind = 'SALES' | 'SUPPORT' | 'FINANCE' | 'OPERATIONS';

/** An active team that takes the work asked for, with its active members in the order they joined. */
export type TeamMatch = {
  id: string;
  name: string;
  kind: TeamKind;
  /** Null: shared by every brand. */
  storefrontId: string | null;
  skills: string[];
  segments: string[];
  regions: string[];
  manager: StaffContact | null;
  members: StaffContact[];
};

/** Each criterion given must be listed by the team, or the team lists none of that sort (a catch-all). */
export type TeamCriteria = { kind?: TeamKind; skill?: string; segment?: string; region?: string };

/** Who asks (the calling module's name) and for which brand. */
export type DirectoryCaller = { customer: SubgraphTarget; source: string; storefrontId: string };

const CONTACT = 'id name email';
const CHAIN = `query StaffManagerChain($staffId: ID!) { staffManagerChain(staffId: $staffId) { ${CONTACT} } }`;
// Member lists are connections: routing needs every member, so a team's pages are read to the end.
const MEMBER_PAGE = 100;
const PAGE = `nodes { ${CONTACT} } pageInfo { hasNextPage endCursor }`;
const MEMBERS = `query TeamMembers($teamId: ID!, $after: String) { teamMembers(teamId: $teamId, first: ${MEMBER_PAGE}, after: $after) { ${PAGE} } }`;
const TEAMS = `query TeamsFor($criteria: TeamCriteria!) { teamsFor(criteria: $criteria) {
  id name kind storefrontId skills segments regions manager { ${CONTACT} } members(activeOnly: true, first: ${MEMBER_PAGE}) { ${PAGE} } } }`;

type MemberPage = { nodes: StaffContact[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

async function ask<T>(caller: DirectoryCaller, query: string, operationName: string, variables: Record<string, unknown>, field: string) {
  const principal = servicePrincipal(caller.source, caller.storefrontId, [SERVICE_SCOPES.staffDirectory]);
  const response = await caller.customer.execute({ query, operationName, variables }, principal);
  if (response.errors?.length) throw answerError(caller.customer.name, response.errors);
  return (response.data?.[field] ?? []) as T;
}

/** The active managers above a staff member, nearest first, up to the top (empty: none, or not of this brand). */
export const staffManagerChain = (caller: DirectoryCaller, staffId: string): Promise<StaffContact[]> =>
  ask(caller, CHAIN, 'StaffManagerChain', { staffId }, 'staffManagerChain');

/** The active members of an active team of the brand (or a shared one), in the order they joined (empty: no such team). */
export const teamMembers = (caller: DirectoryCaller, teamId: string): Promise<StaffContact[]> => restOfTeam(caller, teamId, [], null);

/** `members`, then the team's members after `after`, page by page (a team's and its members' pages share cursors). */
async function restOfTeam(caller: DirectoryCaller, teamId: string, members: StaffContact[], after: string | null): Promise<StaffContact[]> {
  let cursor = after;
  const all = [...members];
  do {
    const page = await ask<MemberPage | null>(caller, MEMBERS, 'TeamMembers', { teamId, after: cursor }, 'teamMembers');
    if (!page?.nodes) break;
    all.push(...page.nodes);
    cursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (cursor);
  return all;
}

/** Active teams of the brand and shared ones that take this work, most specific first. */
export async function teamsFor(caller: DirectoryCaller, criteria: TeamCriteria): Promise<TeamMatch[]> {
  const teams = await ask<(Omit<TeamMatch, 'members'> & { members: MemberPage })[]>(caller, TEAMS, 'TeamsFor', { criteria }, 'teamsFor');
  return Promise.all(
    teams.map(async ({ members, ...team }) => ({
      ...team,
      members: members.pageInfo.hasNextPage ? await restOfTeam(caller, team.id, members.nodes, members.pageInfo.endCursor) : members.nodes,
    })),
  );
}

/**
 * Round robin by load: the member with the fewest open items (`load`, the caller's own counts; absent
 * counts as 0); among equals, the first after `lastAssigneeId` in the members' order, wrapping around.
 * Null when there are no members. Pure.
 */
export function pickAssignee<T extends { id: string }>(
  members: readonly T[],
  load: ReadonlyMap<string, number> | Readonly<Record<string, number>> = {},
  lastAssigneeId: string | null = null,
): T | null {
  if (!members.length) return null;
  const count = (id: string) => (load instanceof Map ? load.get(id) : (load as Record<string, number>)[id]) ?? 0;
  const least = Math.min(...members.map((m) => count(m.id)));
  const last = lastAssigneeId ? members.findIndex((m) => m.id === lastAssigneeId) : -1;
  for (let step = 1; step <= members.length; step += 1) {
    const member = members[(last + step) % members.length];
    if (count(member.id) === least) return member;
  }
  return null;
}

/** A message to one staff member by template (the customer subgraph's `notificationSend`): their inbox and EMAIL by default. */
export type StaffNotification = {
  staffId: string;
  templateKey: string;
  variables: Record<string, string | null>;
  /** Sent once per key (a retried job sends nothing twice). */
  dedupeKey?: string;
  /** Only these channels (absent: SITE_MESSAGE, the member's inbox, and EMAIL). */
  channels?: ('SITE_MESSAGE' | 'EMAIL')[];
};

/** What became of one message: SENT, SKIPPED (no such active staff member of the brand), DUPLICATE or FAILED. */
export type StaffNotificationResult = { staffId: string; outcome: string };

const SEND = `mutation NotifyStaff($input: NotificationSendInput!) { notificationSend(input: $input) {
  results { staffId outcome } userErrors { code message field } } }`;

/**
 * Tells staff members of the caller's brand through templates (e.g. `ticket.escalated` to each manager
 * of `staffManagerChain`). A refused request (unknown template, missing variable) throws with the reason.
 */
export async function notifyStaff(caller: DirectoryCaller, messages: StaffNotification[]): Promise<StaffNotificationResult[]> {
  if (!messages.length) return [];
  const principal = servicePrincipal(caller.source, caller.storefrontId, [SERVICE_SCOPES.messageSend]);
  const input = {
    messages: messages.map((m) => ({
      staffId: m.staffId,
      templateKey: m.templateKey,
      variables: Object.entries(m.variables).map(([name, value]) => ({ name, value })),
      marketing: false,
      dedupeKey: m.dedupeKey ?? null,
      ...(m.channels ? { channels: m.channels } : {}),
    })),
  };
  const response = await caller.customer.execute({ query: SEND, operationName: 'NotifyStaff', variables: { input } }, principal);
  if (response.errors?.length) throw answerError(caller.customer.name, response.errors);
  const payload = response.data?.notificationSend as
    | { results: StaffNotificationResult[]; userErrors: { code: string; message: string }[] }
    | undefined;
  if (payload?.userErrors.length) throw new Error(`${caller.customer.name}: ${payload.userErrors[0].message}`);
  return payload?.results ?? [];
}
