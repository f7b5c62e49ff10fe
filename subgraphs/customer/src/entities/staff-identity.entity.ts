import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Staff } from './staff.entity.js';

/**
 * A staff member's account at an external OpenID Connect provider (single sign-on): the issuer and
 * the subject it names them by. Made at the first SSO sign-in, from a verified email; afterwards the
 * member is found by it, whatever their email at the provider becomes.
 */
export const StaffIdentity = defineEntity({
  name: 'StaffIdentity',
  tableName: 'staff_identity',
  uniques: [{ properties: ['issuer', 'subject'] }],
  properties: {
    id: columns.id(),
    staff: () => p.manyToOne(Staff).deleteRule('cascade'),
    issuer: p.string().length(500),
    subject: p.string().length(255),
    /** The email that linked the two, at the first sign-in. */
    email: p.string(),
    lastSignInAt: p.datetime(),
    createdAt: columns.createdAt(),
  },
});
export type IStaffIdentity = InferEntity<typeof StaffIdentity>;
