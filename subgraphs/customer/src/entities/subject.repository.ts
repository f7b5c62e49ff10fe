import type { EntityManager } from '@mikro-orm/postgresql';
import type { ICustomer } from './customer.entity.js';
import { Customer } from './customer.entity.js';
import { type IPartner, Partner, PartnerUser } from './partner.entity.js';
import { type IStaff, Staff } from './staff.entity.js';

export type Subject = { kind: 'customer' | 'staff' | 'partner'; id: string };

export type SubjectRecords = { customer: ICustomer | null; staff: IStaff | null; partner: IPartner | null };

/**
 * The record tokens were issued for: the customer, the staff member or the partner user's partner.
 * Read without a scope: the caller has just proved who they are and holds no principal for it yet.
 */
export async function subjectRecords(em: EntityManager, subject: Subject): Promise<SubjectRecords> {
  const none: SubjectRecords = { customer: null, staff: null, partner: null };
  if (subject.kind === 'customer') return { ...none, customer: await em.findOne(Customer, { id: subject.id }) };
  if (subject.kind === 'staff') return { ...none, staff: await em.findOne(Staff, { id: subject.id }) };
  const user = await em.findOne(PartnerUser, { id: subject.id }, { populate: ['partner'] });
  return { ...none, partner: user ? await em.findOne(Partner, { id: user.partner.id }) : null };
}
