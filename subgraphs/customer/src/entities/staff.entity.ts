import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const AccessGroup = defineEntity({
  name: 'AccessGroup',
  tableName: 'access_group',
  properties: {
    id: columns.id(),
    /** The brand that owns the group; null: shared by every brand (managed with the all-brands grant). */
    storefrontId: p.uuid().nullable(),
    name: p.string(),
    description: p.text().nullable(),
    scopes: p.array(),
  },
});
export type IAccessGroup = InferEntity<typeof AccessGroup>;

export const Staff = defineEntity({
  name: 'Staff',
  tableName: 'staff',
  properties: {
    id: columns.id(),
    /** Home brand: the one a request acts in when no storefront key selects another. */
    storefrontId: p.uuid(),
    /** Brands this member may act on (always including the home brand); `*` is the explicit all-brands grant. */
    storefronts: p.array(),
    email: p.string().unique(),
    name: p.string(),
    passwordHash: p.string().hidden(),
    passwordChangedAt: p.datetime(),
    /** Set for a password someone else chose (an admin's initial or one-time password): it must be changed before signing in. */
    mustChangePassword: p.boolean().default(false),
    manager: () => p.manyToOne(Staff).nullable(),
    segments: p.array(),
    active: p.boolean().default(true),
    accessGroups: () =>
      p.manyToMany(AccessGroup).pivotTable('staff_access_group').joinColumn('staff_id').inverseJoinColumn('access_group_id'),
    createdAt: columns.createdAt(),
  },
});
export type IStaff = InferEntity<typeof Staff>;
