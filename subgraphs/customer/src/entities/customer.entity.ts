import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Partner } from './partner.entity.js';
import { Staff } from './staff.entity.js';

export const CHANNELS = ['EMAIL', 'SMS', 'PHONE', 'IVR', 'CHAT', 'WEB', 'STORE', 'CHATBOT', 'PUSH'] as const;
export type Channel = (typeof CHANNELS)[number];
export type ConsentData = { channel: Channel; granted: boolean; updatedAt: string };
export type PreferenceData = { type: string; channels: Channel[] };

export const Customer = defineEntity({
  name: 'Customer',
  tableName: 'customer',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    type: p.enum(['INDIVIDUAL', 'BUSINESS'] as const),
    name: p.string(),
    email: p.string(),
    mobile: p.string().nullable(),
    passwordHash: p.string().nullable().hidden().lazy(),
    status: p.enum(['ACTIVE', 'SUSPENDED', 'CLOSED'] as const).default('ACTIVE'),
    category: p.string(),
    segment: p.string(),
    lifecycleStage: p.enum(['PROSPECT', 'ONBOARDING', 'ACTIVE', 'AT_RISK', 'CHURNED'] as const).default('ONBOARDING'),
    partner: () => p.manyToOne(Partner).nullable(),
    parent: () => p.manyToOne(Customer).nullable(),
    consents: p.json<ConsentData[]>(),
    notificationPreferences: p.json<PreferenceData[]>(),
    /** The language notifications are written in (BCP 47): the request's at sign-up; null: the templates' default. */
    locale: p.string().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type ICustomer = InferEntity<typeof Customer>;

export const Contact = defineEntity({
  name: 'Contact',
  tableName: 'contact',
  properties: {
    id: columns.id(),
    customer: () => p.manyToOne(Customer),
    name: p.string(),
    email: p.string().nullable(),
    phone: p.string().nullable(),
    role: p.string().nullable(),
    isPrimary: p.boolean().default(false),
  },
});

export type IContact = InferEntity<typeof Contact>;

export const Address = defineEntity({
  name: 'Address',
  tableName: 'address',
  properties: {
    id: columns.id(),
    customer: () => p.manyToOne(Customer),
    type: p.enum(['BILLING', 'SERVICE', 'SHIPPING'] as const),
    line1: p.string(),
    line2: p.string().nullable(),
    city: p.string(),
    postcode: p.string(),
    country: p.string().length(2),
    isDefault: p.boolean().default(false),
  },
});

export type IAddress = InferEntity<typeof Address>;

export const SiteMessage = defineEntity({
  name: 'SiteMessage',
  tableName: 'site_message',
  properties: {
    id: columns.id(),
    customer: () => p.manyToOne(Customer),
    title: p.string(),
    body: p.text(),
    createdAt: columns.createdAt(),
    readAt: p.datetime().nullable(),
  },
});

export const Interaction = defineEntity({
  name: 'Interaction',
  tableName: 'interaction',
  properties: {
    id: columns.id(),
    customer: () => p.manyToOne(Customer),
    channel: p.enum(CHANNELS),
    direction: p.enum(['INBOUND', 'OUTBOUND'] as const),
    occurredAt: p.datetime(),
    notes: p.text(),
    staff: () => p.manyToOne(Staff).nullable(),
  },
});
export type IInteraction = InferEntity<typeof Interaction>;

export const NpsSurvey = defineEntity({
  name: 'NpsSurvey',
  tableName: 'nps_survey',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    name: p.string(),
    question: p.string(),
    active: p.boolean().default(true),
    createdAt: columns.createdAt(),
  },
});
export type INpsSurvey = InferEntity<typeof NpsSurvey>;

export const NpsResponse = defineEntity({
  name: 'NpsResponse',
  tableName: 'nps_response',
  properties: {
    id: columns.id(),
    survey: () => p.manyToOne(NpsSurvey).nullable(),
    storefrontId: p.uuid(),
    customer: () => p.manyToOne(Customer),
    segment: p.string(),
    score: p.integer(),
    comment: p.text().nullable(),
    channel: p.enum(CHANNELS),
    contextType: p.string().nullable(),
    contextId: p.string().nullable(),
    respondedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type INpsResponse = InferEntity<typeof NpsResponse>;
