import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** Where a lead came from: the channels the brochure names. */
export const LEAD_CHANNELS = ['PORTAL', 'WEB', 'EMAIL', 'IVR', 'SELF_CARE', 'PARTNER', 'BULK'] as const;
export type LeadChannel = (typeof LEAD_CHANNELS)[number];

/** A lead's own states; `tmfLeadStatus` maps them onto TMF699 SalesLead status. */
/** MERGED: folded into another lead by `leadMerge` (lead-merge.ts). */
export const LEAD_STATUSES = ['NEW', 'ACKNOWLEDGED', 'QUALIFIED', 'REJECTED', 'CONVERTED', 'MERGED'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const LEAD_RATINGS = ['HOT', 'WARM', 'COLD'] as const;
export type LeadRating = (typeof LEAD_RATINGS)[number];

export type LeadAddress = {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postcode?: string | null;
  country?: string | null;
};

/** Consent given at capture: what the person agreed to, when, and the wording's version. */
export type LeadConsent = { contact: boolean; marketing: boolean; text: string | null; at: string; ip: string | null };

/** One merge, kept on the survivor. */
export type LeadMergeEntry = { at: string; by: string | null; mergedIds: string[]; filled: { field: string; from: string }[] };

/** One rule's contribution to a lead's score (written by the scoring rules). */
export type ScoreReason = { rule: string; points: number; reason: string };

export const Lead = defineEntity({
  name: 'Lead',
  tableName: 'lead',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    channel: p.enum(LEAD_CHANNELS),
    status: p.enum(LEAD_STATUSES).default('NEW'),
    /** Free text: the form, the list, the referring site… */
    source: p.string().nullable(),
    campaignId: p.uuid().nullable(),
    /** The existing customer this lead is (matched on email or mobile), when there is one. */
    customerId: p.uuid().nullable(),
    /** The partner that captured it, or the matched customer's partner. */
    partnerId: p.uuid().nullable(),
    ownerStaffId: p.uuid().nullable(),
    /** Market segment, for staff access (`segment:<code>` roles). */
    segment: p.string().default('consumer'),
    firstName: p.string().nullable(),
    lastName: p.string().nullable(),
    company: p.string().nullable(),
    /** Normalised: trimmed, lower case. */
    email: p.string().nullable(),
    /** Normalised: E.164. */
    mobile: p.string().nullable(),
    address: p.json<LeadAddress>().nullable(),
    /** Catalog products (plans, offers) the lead is interested in. */
    productIds: p.json<string[]>(),
    description: p.text().nullable(),
    rating: p.enum(LEAD_RATINGS).nullable(),
    category: p.string().nullable(),
    budgetAmount: p.decimal('string').precision(14).scale(2).nullable(),
    budgetCurrency: p.string().nullable(),
    score: p.integer().default(0),
    scoreExplanation: p.json<ScoreReason[]>(),
    /** The lead this one duplicates, once detected. */
    duplicateOf: p.uuid().nullable(),
    consent: p.json<LeadConsent>().nullable(),
    rejectionReason: p.string().nullable(),
    capturedAt: p.datetime(),
    qualifiedAt: p.datetime().nullable(),
    convertedAt: p.datetime().nullable(),
    createdBy: p.string().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
    // Scoring, dedupe and merges (lead-derive.ts, lead-merge.ts): normalised contact keys, written on every change.
    emailKey: p.string().nullable(),
    mobileKey: p.string().nullable(),
    nameKey: p.string().nullable(),
    addressKey: p.string().nullable(),
    interestKeys: p.array().default([]),
    /** The survivor this lead was merged into (status MERGED). */
    mergedInto: p.uuid().nullable(),
    /** Merges this lead survived: who, when, which leads, which fields they filled. */
    mergeHistory: p.json<LeadMergeEntry[]>().default([]),
  },
});
export type ILead = InferEntity<typeof Lead>;
