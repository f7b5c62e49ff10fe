import { actingStorefront, Checks, executeBoundPrepared, fail, languageOf, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type INotificationTemplate, type NotificationChannel, NotificationTemplate } from '../../entities/index.js';
import type { ErrorCode, Result } from '../customer.errors.js';
import { MissingVariables, renderText, templateProblems, VARIABLE_NAME, type Variables } from './template-text.js';

export const DEFAULT_LOCALE = 'en';
const KEY = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*){0,4}$/;
const LOCALE = /^[a-z]{2,3}(-[A-Z]{2})?$/;
const MAX_VARIABLES = 30;

/** What staff may ask for: templates of the storefront they act in, and the defaults (storefront null). */
export async function templatesOf(em: EntityManager, principal: Principal, key?: string | null): Promise<INotificationTemplate[]> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return [];
  return em.find(
    NotificationTemplate,
    { $or: [{ storefrontId }, { storefrontId: null }], ...(key ? { key } : {}) },
    { orderBy: { key: 'asc', channel: 'asc', locale: 'asc', storefrontId: 'asc' }, limit: 500 },
  );
}

/** What a send reads of a template (resolveTemplates): the row, not a managed entity. */
export type TemplateRow = Pick<
  INotificationTemplate,
  'id' | 'storefrontId' | 'key' | 'channel' | 'locale' | 'subject' | 'body' | 'variables'
>;

// A named prepared statement (kit `executeBoundPrepared`: parsed and planned once per connection) returning plain rows:
// every notification call resolves its templates, and the ORM's query building and entity hydration were most of its cost.
const TEMPLATES = `select "id", "storefront_id" as "storefrontId", "key", "channel", "locale", "subject", "body", "variables"
  from "customer"."notification_template"
  where "key" = any($1::text[]) and "locale" = any($2::text[]) and ("storefront_id" = $3 or "storefront_id" is null)`;

/**
 * The template a brand uses for an event on a channel: its own in the locale asked, else in that
 * locale's language, else in the default locale; then the default templates in the same order.
 */
export async function resolveTemplates(
  em: EntityManager,
  storefrontId: string,
  keys: string[],
  locale = DEFAULT_LOCALE,
): Promise<(key: string, channel: NotificationChannel) => TemplateRow | null> {
  const chain = [...new Set([locale, languageOf(locale), DEFAULT_LOCALE])];
  const rows = keys.length ? await executeBoundPrepared<TemplateRow>(em, TEMPLATES, [[...new Set(keys)], chain, storefrontId]) : [];
  const rank = (t: TemplateRow) => (t.storefrontId ? 0 : chain.length) + chain.indexOf(t.locale);
  // Chosen once per (key, channel): a batch asks the same pair for every message.
  const chosen = new Map<string, TemplateRow | null>();
  return (key, channel) => {
    const at = `${key} ${channel}`;
    let template = chosen.get(at);
    if (template === undefined) {
      template = rows.filter((t) => t.key === key && t.channel === channel).sort((a, b) => rank(a) - rank(b))[0] ?? null;
      chosen.set(at, template);
    }
    return template;
  };
}

type TemplateText = { subject?: string | null; body: string; variables: string[]; channel: NotificationChannel };

function checkText(checks: Checks<ErrorCode>, t: TemplateText): void {
  if (t.variables.length > MAX_VARIABLES) checks.add('TOO_MANY', `At most ${MAX_VARIABLES} variables`, ['input', 'variables']);
  t.variables.forEach((name, i) => {
    if (!VARIABLE_NAME.test(name))
      checks.add('INVALID', 'Variable names are letters, digits and _ (a letter first)', ['input', 'variables', String(i)]);
  });
  if (new Set(t.variables).size !== t.variables.length) checks.add('DUPLICATE', 'Contains duplicates', ['input', 'variables']);
  checks.text(t.body, ['input', 'body'], 10_000);
  checks.text(t.subject, ['input', 'subject'], 300, false);
  if (t.channel === 'SMS' && t.subject) checks.add('INVALID', 'SMS messages have no subject', ['input', 'subject']);
  if ((t.channel === 'EMAIL' || t.channel === 'SITE_MESSAGE') && !t.subject?.trim())
    checks.add('BLANK', 'Email and inbox messages need a subject', ['input', 'subject']);
  for (const [field, text] of [
    ['subject', t.subject],
    ['body', t.body],
  ] as const) {
    if (text) for (const problem of templateProblems(text, t.variables)) checks.add('INVALID_TEMPLATE', problem, ['input', field]);
  }
}

export type TemplateCreateInput = {
  key: string;
  channel: NotificationChannel;
  locale?: string | null;
  subject?: string | null;
  body: string;
  variables: string[];
};

/** Staff save their storefront's template for an event, channel and locale (one each; it overrides the default). */
export async function templateCreate(
  em: EntityManager,
  principal: Principal,
  input: TemplateCreateInput,
): Promise<Result<INotificationTemplate>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('FORBIDDEN', 'Act in a storefront to save its templates');
  const locale = input.locale ?? DEFAULT_LOCALE;
  const checks = new Checks<ErrorCode>();
  if (!KEY.test(input.key) || input.key.length > 80) checks.add('INVALID', 'Use a dotted event name, e.g. cart.reminder', ['input', 'key']);
  if (!LOCALE.test(locale)) checks.add('INVALID', 'Use a language tag, e.g. en or en-IE', ['input', 'locale']);
  checkText(checks, { ...input, variables: input.variables });
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (await em.count(NotificationTemplate, { storefrontId, key: input.key, channel: input.channel, locale }))
    return fail('TAKEN', 'The storefront has a template for this key, channel and locale; update it', ['input', 'key']);
  const template = em.create(NotificationTemplate, {
    storefrontId,
    key: input.key,
    channel: input.channel,
    locale,
    subject: input.subject?.trim() || null,
    body: input.body,
    variables: input.variables,
  });
  await em.flush();
  return ok(template);
}

export type TemplateUpdateInput = {
  id: string;
  version: number;
  subject?: string | null;
  body?: string | null;
  variables?: string[] | null;
};

/** Staff change a template of their storefront; the defaults are read-only (an unknown, default or other-brand id: NOT_FOUND). */
export async function templateUpdate(
  em: EntityManager,
  principal: Principal,
  input: TemplateUpdateInput,
): Promise<Result<INotificationTemplate>> {
  const storefrontId = actingStorefront(principal);
  const checks = new Checks<ErrorCode>();
  if (!checks.uuid(input.id, ['input', 'id'])) return { ok: false, errors: checks.errors };
  const template = storefrontId ? await em.findOne(NotificationTemplate, { id: input.id, storefrontId }) : null;
  if (!template) return fail('NOT_FOUND', 'Template not found', ['input', 'id']);
  if (template.version !== input.version) return fail('CONFLICT', 'The template changed since you read it', ['input', 'version']);
  const next = {
    channel: template.channel,
    subject: input.subject === undefined ? template.subject : input.subject,
    body: input.body ?? template.body,
    variables: input.variables ?? template.variables,
  };
  checkText(checks, next);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  template.subject = next.subject?.trim() || null;
  template.body = next.body;
  template.variables = next.variables;
  await em.flush();
  return ok(template);
}

export type Rendered = { subject: string | null; body: string };

/** A template rendered with these variables; a missing one is a userError (on `field`). */
export function render(
  template: Pick<INotificationTemplate, 'subject' | 'body' | 'variables'>,
  variables: Variables,
  field: string[],
): Result<Rendered> {
  try {
    return ok({
      subject: template.subject ? renderText(template.subject, template.variables, variables) : null,
      body: renderText(template.body, template.variables, variables),
    });
  } catch (error) {
    if (error instanceof MissingVariables) return fail('MISSING_VARIABLES', error.message, field);
    throw error;
  }
}

export type PreviewInput = {
  id?: string | null;
  key?: string | null;
  channel?: NotificationChannel | null;
  locale?: string | null;
  sampleVariables: { name: string; value?: string | null }[];
};

export const variablesOf = (list: { name: string; value?: string | null }[]): Variables =>
  Object.fromEntries(list.map((v) => [v.name, v.value ?? null]));

/** Staff render a template of their storefront (or a default) with sample data; nothing is sent. */
export async function templatePreview(em: EntityManager, principal: Principal, input: PreviewInput): Promise<Result<Rendered>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('NOT_FOUND', 'Template not found', ['input']);
  let template: TemplateRow | null = null;
  if (input.id) {
    const checks = new Checks<ErrorCode>();
    if (!checks.uuid(input.id, ['input', 'id'])) return { ok: false, errors: checks.errors };
    template = await em.findOne(NotificationTemplate, { id: input.id, $or: [{ storefrontId }, { storefrontId: null }] });
  } else if (input.key && input.channel) {
    template = (await resolveTemplates(em, storefrontId, [input.key], input.locale ?? DEFAULT_LOCALE))(input.key, input.channel);
  } else return fail('INVALID', 'Give a template id, or a key and a channel', ['input']);
  if (!template) return fail('NOT_FOUND', 'Template not found', ['input']);
  return render(template, variablesOf(input.sampleVariables), ['input', 'sampleVariables']);
}
