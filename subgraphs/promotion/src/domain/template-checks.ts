import type { Checks } from '@dcrm/kit';
import type { OfferTemplate } from '../entities/index.js';
import type { ErrorCode } from './promotion.errors.js';

/** The checks every offer template takes (agent offers, rules, campaigns). */
export function checkTemplate(checks: Checks<ErrorCode>, template: OfferTemplate | null | undefined, field: string[]): void {
  if (!template) return;
  checks.text(template.title, [...field, 'title'], 200);
  checks.text(template.message, [...field, 'message'], 2000);
  checks.text(template.content, [...field, 'content'], 10_000, false);
  if (template.link) checks.url(template.link, [...field, 'link']);
  if (template.imageUrl) checks.url(template.imageUrl, [...field, 'imageUrl']);
}

/** Offer and rule scores rank offers on a 0–100 scale. */
export function checkScore(checks: Checks<ErrorCode>, value: number | null | undefined, field: string[]): void {
  if (value == null) return;
  if (!Number.isFinite(value) || value < 0 || value > 100) checks.add('OUT_OF_RANGE', 'Use a score from 0 to 100', field);
}
