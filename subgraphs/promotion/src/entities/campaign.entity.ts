import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const CAMPAIGN_STATUSES = ['DRAFT', 'SCHEDULED', 'RUNNING', 'COMPLETED', 'CANCELLED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export type Channel = 'WEB' | 'APP' | 'CHATBOT' | 'STORE' | 'AGENT';

export type AudienceRules = {
  segments: string[];
  categories: string[];
  countries: string[];
  regions: string[];
  productIdsHeld: string[];
  lifecycleStages: string[];
  customerTypes: string[];
};

/** Audience rules with every rule empty (no restriction) except those given. */
export const audienceRules = (rules: Partial<AudienceRules> = {}): AudienceRules => ({
  segments: [],
  categories: [],
  countries: [],
  regions: [],
  productIdsHeld: [],
  lifecycleStages: [],
  customerTypes: [],
  ...rules,
});

export type OfferTemplate = { title: string; message: string; content?: string | null; link?: string | null; imageUrl?: string | null };

export const Campaign = defineEntity({
  name: 'Campaign',
  tableName: 'campaign',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    name: p.string(),
    objective: p.string(),
    status: p.enum(CAMPAIGN_STATUSES).default('DRAFT'),
    priority: p.integer().default(0),
    channels: p.json<Channel[]>(),
    audience: p.json<AudienceRules>(),
    template: p.json<OfferTemplate>(),
    promotionId: p.uuid().nullable(),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    launchedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    cancelledAt: p.datetime().nullable(),
    cancelReason: p.string().nullable(),
    /** Keyset position of the audience resolution (the last customer id done), so a launch resumes after a crash. */
    audienceCursor: p.uuid().nullable(),
    notified: p.integer().default(0),
    createdBy: p.string().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type ICampaign = InferEntity<typeof Campaign>;
