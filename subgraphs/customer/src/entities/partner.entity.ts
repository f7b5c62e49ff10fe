import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const Partner = defineEntity({
  name: 'Partner',
  tableName: 'partner',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    name: p.string(),
    code: p.string().unique(),
    createdAt: columns.createdAt(),
  },
});
export type IPartner = InferEntity<typeof Partner>;

export const PartnerUser = defineEntity({
  name: 'PartnerUser',
  tableName: 'partner_user',
  properties: {
    id: columns.id(),
    partner: () => p.manyToOne(Partner),
    email: p.string().unique(),
    name: p.string(),
    passwordHash: p.string().hidden(),
    /** A partner admin manages the partner's own users (scope `partner:manage`). */
    admin: p.boolean().default(false),
    /** Set for a password someone else chose: it must be changed before signing in. */
    mustChangePassword: p.boolean().default(false),
    active: p.boolean().default(true),
    createdAt: columns.createdAt(),
  },
});
export type IPartnerUser = InferEntity<typeof PartnerUser>;
