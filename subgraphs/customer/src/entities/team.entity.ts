import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Staff } from './staff.entity.js';

export const TEAM_KINDS = ['SALES', 'SUPPORT', 'FINANCE', 'OPERATIONS'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

/**
 * A team of staff: what it handles (skills: category, product or issue codes), which segments and
 * regions it serves (empty: any), its manager and members. Owned by one brand, or shared by every
 * brand (`storefrontId` null, changed only with the all-brands grant), like access groups.
 */
export const Team = defineEntity({
  name: 'Team',
  tableName: 'team',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid().nullable(),
    name: p.string(),
    kind: p.enum(TEAM_KINDS),
    skills: p.array(),
    segments: p.array(),
    regions: p.array(),
    manager: () => p.manyToOne(Staff).nullable(),
    active: p.boolean().default(true),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
  },
});
export type ITeam = InferEntity<typeof Team>;

/** One member of a team; the order members joined in is the stable order assignment works through. */
export const TeamMember = defineEntity({
  name: 'TeamMember',
  tableName: 'team_member',
  properties: {
    id: columns.id(),
    team: () => p.manyToOne(Team),
    staff: () => p.manyToOne(Staff),
    createdAt: columns.createdAt(),
  },
});
export type ITeamMember = InferEntity<typeof TeamMember>;
