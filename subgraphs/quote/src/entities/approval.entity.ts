import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { StoredApprovalRule } from '../domain/approval-rules.js';

/** A storefront's quote approval rules (as data; evaluated on submit). */
export const QuoteApprovalRuleSet = defineEntity({
  name: 'QuoteApprovalRuleSet',
  tableName: 'quote_approval_rule_set',
  properties: {
    storefrontId: p.uuid().primary(),
    rules: p.json<StoredApprovalRule[]>(),
    updatedBy: p.string().nullable(),
    updatedAt: p.datetime(),
    version: columns.version(),
  },
});
export type IQuoteApprovalRuleSet = InferEntity<typeof QuoteApprovalRuleSet>;

export const APPROVAL_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** One approver level a submitted quote revision needs: why (the matched rules explained), who may decide, the decision. */
export const QuoteApproval = defineEntity({
  name: 'QuoteApproval',
  tableName: 'quote_approval',
  properties: {
    id: columns.id(),
    quoteId: p.uuid(),
    level: p.string(),
    status: p.enum(APPROVAL_STATUSES).default('PENDING'),
    reasons: p.json<string[]>(),
    approverIds: p.json<string[]>(),
    requestedBy: p.string().nullable(),
    decidedBy: p.string().nullable(),
    comment: p.text().nullable(),
    decidedAt: p.datetime().nullable(),
    createdAt: columns.createdAt(),
  },
});
export type IQuoteApproval = InferEntity<typeof QuoteApproval>;

/** A file attached to a quote: every revision of the quote's number shows it; content read one at a time. */
export const QuoteAttachment = defineEntity({
  name: 'QuoteAttachment',
  tableName: 'quote_attachment',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    quoteNumber: p.string(),
    quoteId: p.uuid(),
    fileName: p.string(),
    contentType: p.string(),
    sizeBytes: p.integer(),
    sha256: p.string(),
    content: p.blob().lazy(),
    uploadedBy: p.string().nullable(),
    createdAt: columns.createdAt(),
  },
});
export type IQuoteAttachment = InferEntity<typeof QuoteAttachment>;
