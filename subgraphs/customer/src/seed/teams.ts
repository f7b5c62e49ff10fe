import { seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Brand } from './demo.js';

const staff = (key: string) => seedId('staff', key);

/** Who reports to whom above the agents, so escalations climb: brand managers → regional manager → the all-brands admin. */
const MANAGERS: [member: string, manager: string][] = [
  ['volt-manager', 'regional-manager'],
  ['nimbus-agent', 'regional-manager'],
  ['regional-manager', 'catalog-admin'],
];

type SeedTeam = {
  key: string;
  brand: Brand | null;
  name: string;
  kind: 'SALES' | 'SUPPORT' | 'FINANCE';
  skills: string[];
  segments: string[];
  manager: string;
  members: string[];
};

/** A sales and a support team per demo brand, and a finance team every brand shares (quote approvals). */
export const TEAMS: SeedTeam[] = [
  {
    key: 'volt-sales',
    brand: 'volt',
    name: 'Volt sales',
    kind: 'SALES',
    skills: [],
    segments: [],
    manager: 'volt-manager',
    members: ['volt-consumer', 'volt-business'],
  },
  {
    key: 'volt-care',
    brand: 'volt',
    name: 'Volt customer care',
    kind: 'SUPPORT',
    skills: [],
    segments: [],
    manager: 'volt-manager',
    members: ['volt-consumer', 'volt-business'],
  },
  {
    key: 'nimbus-sales',
    brand: 'nimbus',
    name: 'Nimbus sales',
    kind: 'SALES',
    skills: [],
    segments: [],
    manager: 'regional-manager',
    members: ['nimbus-agent'],
  },
  {
    key: 'nimbus-care',
    brand: 'nimbus',
    name: 'Nimbus customer care',
    kind: 'SUPPORT',
    skills: [],
    segments: [],
    manager: 'regional-manager',
    members: ['nimbus-agent'],
  },
  {
    key: 'finance',
    brand: null,
    name: 'Finance approvals',
    kind: 'FINANCE',
    skills: [],
    segments: [],
    manager: 'catalog-admin',
    members: ['regional-manager'],
  },
];

export const teamId = (key: string) => seedId('team', key);

/** Managers of the demo staff (only where none is set) and the demo teams; idempotent, edits kept. */
export async function seedTeams(em: EntityManager, storefrontId: (brand: Brand) => string): Promise<void> {
  const present = await em.execute('select id from "customer"."staff" where id in (?)', [[...new Set(MANAGERS.flat().map(staff))]]);
  if (present.length < new Set(MANAGERS.flat()).size) return;
  for (const [member, manager] of MANAGERS)
    await em.execute('update "customer"."staff" set manager_id = ? where id = ? and manager_id is null', [staff(manager), staff(member)]);
  for (const t of TEAMS) {
    const inserted = await em.execute(
      `insert into "customer"."team" (id, storefront_id, name, kind, skills, segments, regions, manager_id, active, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, '{}', ?, true, now(), now()) on conflict do nothing returning id`,
      [
        teamId(t.key),
        t.brand ? storefrontId(t.brand) : null,
        t.name,
        t.kind,
        `{${t.skills.join(',')}}`,
        `{${t.segments.join(',')}}`,
        staff(t.manager),
      ],
    );
    if (!inserted.length) continue;
    for (const [i, m] of t.members.entries())
      await em.execute(
        `insert into "customer"."team_member" (id, team_id, staff_id, created_at) values (?, ?, ?, now() + make_interval(secs => ?))
         on conflict do nothing`,
        [seedId('team-member', `${t.key}:${m}`), teamId(t.key), staff(m), i / 1000],
      );
  }
}
