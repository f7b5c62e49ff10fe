import { randomBytes } from 'node:crypto';
import {
  type BulkChecked,
  type BulkOutcome,
  type BulkProblem,
  defineBulkAction,
  failed,
  hashPassword,
  isEmail,
  newId,
  normaliseEmail,
  problem,
  succeeded,
} from '@dcrm/kit';
import { AccessGroup, Staff } from '../../entities/index.js';

/**
 * `staff.import`: staff members of the operation's storefront. Columns: name, email, groups (access-group
 * names separated by `;`), segments (`;`-separated, default `*`). Each gets an unusable random password:
 * they set theirs through the password-reset flow. Emails already in use (or repeated in the file) and
 * unknown groups are invalid rows. Small by design: the staff management mutations own the rest.
 */
type StaffImportRow = { name: string; email: string; groups: string[]; segments: string[] };

const list = (value: string | undefined) =>
  (value ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);

export const staffImport = defineBulkAction({
  name: 'staff.import',
  module: 'customer',
  scope: 'staff:manage',
  async validate(em, _scope, rows): Promise<BulkChecked[]> {
    const groups = new Map((await em.find(AccessGroup, {})).map((g) => [g.name, g.id]));
    const emails = rows.map((r) => normaliseEmail(r.data.email ?? ''));
    const taken = new Set((await em.find(Staff, { email: { $in: emails } }, { fields: ['email'] })).map((s) => s.email));
    const seen = new Set<string>();
    return rows.map(({ row, data }, i) => {
      const problems: BulkProblem[] = [];
      const name = (data.name ?? '').trim();
      const email = emails[i];
      const value: StaffImportRow = { name, email, groups: list(data.groups), segments: list(data.segments) };
      if (value.segments.length === 0) value.segments = ['*'];
      if (!name) problems.push(problem('BLANK', 'Must not be blank', 'name'));
      if (!isEmail(email)) problems.push(problem('INVALID', 'Not a valid email address', 'email'));
      else if (taken.has(email)) problems.push(problem('TAKEN', 'A staff member has this email', 'email'));
      else if (seen.has(email)) problems.push(problem('DUPLICATE', 'This email is on an earlier row', 'email'));
      seen.add(email);
      for (const g of value.groups) if (!groups.has(g)) problems.push(problem('NOT_FOUND', `No access group named ${g}`, 'groups'));
      return problems.length ? { row, value: null, problems } : { row, value, problems };
    });
  },
  async applyBatch(em, { storefrontId }, rows): Promise<BulkOutcome[]> {
    const groups = new Map((await em.find(AccessGroup, {})).map((g) => [g.name, g]));
    const emails = rows.map((r) => (r.value as StaffImportRow).email);
    const taken = new Set((await em.find(Staff, { email: { $in: emails } }, { fields: ['email'] })).map((s) => s.email));
    const outcomes: BulkOutcome[] = [];
    for (const { row, value } of rows) {
      const v = value as StaffImportRow;
      if (taken.has(v.email)) {
        outcomes.push(failed(row, problem('TAKEN', 'A staff member with this email was created since validation', 'email')));
        continue;
      }
      const id = newId();
      const member = em.create(Staff, {
        id,
        storefrontId,
        storefronts: [storefrontId],
        email: v.email,
        name: v.name,
        passwordHash: await hashPassword(randomBytes(24).toString('base64url')),
        // Expired at once: the member must set a password before signing in.
        passwordChangedAt: new Date(0),
        segments: v.segments,
      });
      for (const g of v.groups) {
        const group = groups.get(g);
        if (group) member.accessGroups.add(group);
      }
      outcomes.push(succeeded(row, id));
    }
    await em.flush();
    return outcomes;
  },
});
