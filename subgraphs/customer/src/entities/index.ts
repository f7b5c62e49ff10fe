import { ApiKey, RefreshToken } from './credential.entity.js';
import { Address, Contact, Customer, Interaction, NpsResponse, NpsSurvey, SiteMessage } from './customer.entity.js';
import { NotificationTemplate, PasswordResetToken } from './notification.entity.js';
import { Partner, PartnerUser } from './partner.entity.js';
import { AccessGroup, Staff } from './staff.entity.js';
import { StaffIdentity } from './staff-identity.entity.js';
import { Team, TeamMember } from './team.entity.js';

export * from './credential.entity.js';
export * from './customer.entity.js';
export * from './customer.repository.js';
export * from './notification.entity.js';
export * from './partner.entity.js';
export * from './staff.entity.js';
export * from './staff-identity.entity.js';
export * from './subject.repository.js';
export * from './team.entity.js';

export const entities = [
  Customer,
  Contact,
  Address,
  SiteMessage,
  Interaction,
  NpsSurvey,
  NpsResponse,
  Partner,
  PartnerUser,
  AccessGroup,
  Staff,
  ApiKey,
  RefreshToken,
  NotificationTemplate,
  PasswordResetToken,
  StaffIdentity,
  Team,
  TeamMember,
];
