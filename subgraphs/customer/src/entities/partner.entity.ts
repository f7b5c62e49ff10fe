import { newId } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const Partner = defineEntity({
  name: 'Partner',
  tableName: 'partner',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    storefrontId: p.uuid(),
    name: p.string(),
    code: p.string().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IPartner = InferEntity<typeof Partner>;

export const PartnerUser = defineEntity({
  name: 'PartnerUser',
  tableName: 'partner_user',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    partner: () => p.manyToOne(Partner),
    email: p.string().unique(),
    name: p.string(),
    passwordHash: p.string().hidden(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
