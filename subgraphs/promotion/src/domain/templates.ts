import type { OfferTemplate } from '../entities/index.js';

export type TemplateValues = { name?: string | null; product?: string | null };

/** Renders `{{name}}` and `{{product}}` (missing values render empty; other text stays as written). */
export function renderText(text: string, values: TemplateValues): string {
  return text
    .replace(/\{\{\s*(name|product)\s*\}\}/g, (_, key: keyof TemplateValues) => values[key] ?? '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

export function renderTemplate(template: OfferTemplate, values: TemplateValues) {
  return {
    title: renderText(template.title, values),
    message: renderText(template.message, values),
    content: template.content ?? null,
    link: template.link ?? null,
    imageUrl: template.imageUrl ?? null,
  };
}
