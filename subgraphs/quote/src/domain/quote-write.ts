import { actingStorefront, Checks, fail, isUuid, ok, segmentsOf } from '@dcrm/kit';
import { accountFor } from '../clients/accounts.js';
import { storefrontFacts } from '../clients/catalog.js';
import { type IQuote, type IQuoteLine, linesOf, Quote } from '../entities/index.js';
import { quoteScope } from './access.js';
import { checkDiscount, type DiscountArg, draftLines, type LineArg, type LineDraft, MAX_LINES, storedDrafts } from './lines.js';
import type { Discount } from './pricing.js';
import type { ErrorCode, Result } from './quote.errors.js';
import { checkCodes, checkProspect, checkValidity, codeErrors, f, type ProspectArg, staffOnly } from './quote-checks.js';
import { isStaff, mayWrite, priceQuote, type WriteCtx } from './quote-context.js';
import { activeTemplate, applyLines, save } from './quote-persist.js';
import { newRevision } from './revisions.js';

const DAY = 86_400_000;

export type QuoteCreateArgs = {
  customerId?: string | null;
  prospect?: ProspectArg | null;
  segment?: string | null;
  opportunityId?: string | null;
  validUntil?: Date | null;
  discount?: DiscountArg;
  promoCodes?: string[] | null;
  lines: LineArg[];
  internalNote?: string | null;
  contractTemplateId?: string | null;
};

export async function quoteCreate(ctx: WriteCtx, input: QuoteCreateArgs): Promise<Result<IQuote>> {
  const { principal } = ctx;
  const storefrontId = actingStorefront(principal);
  if (!storefrontId || !mayWrite(principal)) return fail('FORBIDDEN', 'Missing scope quote:write');
  const now = ctx.services.clock.now();
  const checks = new Checks<ErrorCode>();
  staffOnly(checks, ctx, {
    prospect: input.prospect,
    segment: input.segment,
    discount: input.discount,
    internalNote: input.internalNote,
    contractTemplateId: input.contractTemplateId,
  });
  checks.uuid(input.contractTemplateId, f('contractTemplateId'));
  if (principal.kind === 'customer' && input.customerId && input.customerId !== principal.id)
    checks.add('NOT_FOUND', 'No such account', f('customerId'));
  if (input.customerId && input.prospect) checks.add('INVALID', 'A quote is for an account or a prospect, not both', f('prospect'));
  if (!input.customerId && !input.prospect && principal.kind !== 'customer')
    checks.add('REQUIRED', 'Which account or prospect?', f('customerId'));
  if (input.customerId) checks.uuid(input.customerId, f('customerId'));
  if (input.opportunityId) checks.uuid(input.opportunityId, f('opportunityId'));
  const prospect = input.prospect ? checkProspect(checks, input.prospect) : null;
  if (prospect && principal.kind === 'staff') {
    const mine = segmentsOf(principal);
    if (!input.segment) checks.add('REQUIRED', 'A prospect quote needs a segment', f('segment'));
    else if (!mine.includes('*') && !mine.includes(input.segment)) checks.add('FORBIDDEN', 'Not one of your segments', f('segment'));
  }
  const validUntil = input.validUntil ?? new Date(now.getTime() + 30 * DAY);
  checkValidity(checks, validUntil, now);
  const discount = checkDiscount(checks, input.discount, f('discount'));
  const promoCodes = checkCodes(checks, input.promoCodes ?? []);
  if (input.internalNote) checks.text(input.internalNote, f('internalNote'), 4000);
  const drafts = draftLines(checks, input.lines, f('lines'));
  if (drafts.length === 0) checks.add('REQUIRED', 'At least one product', f('lines'));
  if (drafts.length > MAX_LINES) checks.add('TOO_MANY', `At most ${MAX_LINES} lines`, f('lines'));
  if (!checks.ok) return { ok: false, errors: checks.errors };

  if (input.contractTemplateId && !(await activeTemplate(ctx, storefrontId, input.contractTemplateId)))
    return fail('NOT_FOUND', 'No such active contract template', f('contractTemplateId'));
  const account = prospect ? null : await accountFor(ctx.services.peers('customer'), principal, input.customerId ?? null);
  if (!prospect && !account) return fail('NOT_FOUND', 'No such account', f('customerId'));
  const facts = await storefrontFacts(ctx.services.peers('catalog'), principal);
  const fields = {
    storefrontId,
    customerId: account?.id ?? null,
    partnerId: account?.partner?.id ?? null,
    segment: account?.segment ?? (input.segment as string),
    currencyCode: facts.currencyCode,
    promoCodes,
  };
  const priced = await priceQuote(ctx, fields, drafts, discount, facts.locale);
  if (!priced.ok) return { ok: false, errors: priced.checks.errors };
  if (priced.codeProblems.length) return { ok: false, errors: codeErrors(promoCodes, priced.codeProblems) };
  const [{ n }] = await ctx.em.execute<{ n: string }[]>(`select nextval('"quote"."quote_number_seq"')::text as n`);
  const quote = ctx.em.create(Quote, {
    ...fields,
    prospect,
    opportunityId: input.opportunityId ?? null,
    number: `Q-${now.getUTCFullYear()}-${n.padStart(6, '0')}`,
    validFrom: now,
    validUntil,
    discountType: discount?.type ?? null,
    discountValue: discount?.value ?? null,
    totals: priced.totals,
    internalNote: input.internalNote?.trim() || null,
    contractTemplateId: input.contractTemplateId ?? null,
    createdBy: principal.id,
  });
  applyLines(ctx, quote, [], priced.lines);
  return save(ctx, quote);
}

/**
 * A DRAFT quote the caller may change, at the version they read; a submitted, approved or rejected one
 * becomes a new DRAFT revision (revisions.ts), `lineIds` mapping the old line ids to the copies.
 */
async function editable(
  ctx: WriteCtx,
  id: string,
  version: number,
): Promise<Result<{ quote: IQuote; lines: IQuoteLine[]; lineIds?: Map<string, string> }>> {
  if (!mayWrite(ctx.principal)) return fail('FORBIDDEN', 'Missing scope quote:write');
  const scope = quoteScope(ctx.principal);
  const quote = scope && isUuid(id) ? await ctx.em.findOne(Quote, { $and: [scope, { id }] }) : null;
  if (!quote) return fail('NOT_FOUND', 'No such quote', f('id'));
  if (quote.version !== version) return fail('CONFLICT', `The quote changed since version ${version}; reload it`, f('version'));
  if (quote.status !== 'DRAFT') return newRevision(ctx, quote);
  return ok({ quote, lines: await linesOf(ctx.em, [quote.id]) });
}

/** Prices the quote again with these lines and discount, and saves it. */
async function repriceAndSave(
  ctx: WriteCtx,
  quote: IQuote,
  stored: IQuoteLine[],
  drafts: LineDraft[],
  discount: Discount | null,
): Promise<Result<IQuote>> {
  if (drafts.length === 0) return fail('REQUIRED', 'A quote keeps at least one product', f('lines'));
  if (drafts.length > MAX_LINES) return fail('TOO_MANY', `At most ${MAX_LINES} lines`, f('lines'));
  const facts = await storefrontFacts(ctx.services.peers('catalog'), ctx.principal);
  const priced = await priceQuote(ctx, quote, drafts, discount, facts.locale);
  if (!priced.ok) return { ok: false, errors: priced.checks.errors };
  if (priced.codeProblems.length) return { ok: false, errors: codeErrors(quote.promoCodes, priced.codeProblems) };
  applyLines(ctx, quote, stored, priced.lines);
  quote.totals = priced.totals;
  quote.discountType = discount?.type ?? null;
  quote.discountValue = discount?.value ?? null;
  quote.updatedAt = new Date();
  return save(ctx, quote);
}

const quoteDiscount = (q: IQuote): Discount | null =>
  q.discountType && q.discountValue ? { type: q.discountType, value: q.discountValue } : null;

export type QuoteUpdateArgs = {
  id: string;
  version: number;
  validUntil?: Date | null;
  discount?: DiscountArg;
  clearDiscount?: boolean | null;
  promoCodes?: string[] | null;
  prospect?: ProspectArg | null;
  internalNote?: string | null;
  contractTemplateId?: string | null;
  clearContractTemplate?: boolean | null;
};

export async function quoteUpdate(ctx: WriteCtx, input: QuoteUpdateArgs): Promise<Result<IQuote>> {
  const checks = new Checks<ErrorCode>();
  staffOnly(checks, ctx, {
    discount: input.discount,
    clearDiscount: input.clearDiscount,
    internalNote: input.internalNote,
    prospect: input.prospect,
    contractTemplateId: input.contractTemplateId,
    clearContractTemplate: input.clearContractTemplate,
  });
  checks.uuid(input.contractTemplateId, f('contractTemplateId'));
  if (input.validUntil) checkValidity(checks, input.validUntil, ctx.services.clock.now());
  const discount = checkDiscount(checks, input.discount, f('discount'));
  const codes = input.promoCodes ? checkCodes(checks, input.promoCodes) : null;
  const prospect = input.prospect ? checkProspect(checks, input.prospect) : null;
  if (input.internalNote) checks.text(input.internalNote, f('internalNote'), 4000);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const found = await editable(ctx, input.id, input.version);
  if (!found.ok) return found;
  const { quote, lines } = found.value;
  if (prospect && !quote.prospect) return fail('INVALID', 'This quote is for an account', f('prospect'));
  if (input.contractTemplateId && !(await activeTemplate(ctx, quote.storefrontId, input.contractTemplateId)))
    return fail('NOT_FOUND', 'No such active contract template', f('contractTemplateId'));
  if (input.contractTemplateId) quote.contractTemplateId = input.contractTemplateId;
  if (input.clearContractTemplate) quote.contractTemplateId = null;
  if (input.validUntil) quote.validUntil = input.validUntil;
  if (prospect) quote.prospect = prospect;
  if (input.internalNote !== undefined && input.internalNote !== null) quote.internalNote = input.internalNote.trim() || null;
  if (codes) quote.promoCodes = codes;
  const next = input.clearDiscount ? null : (discount ?? quoteDiscount(quote));
  return repriceAndSave(ctx, quote, lines, storedDrafts(lines), next);
}

export type QuoteLinesAddArgs = { id: string; version: number; parentLineId?: string | null; lines: LineArg[] };

export async function quoteLinesAdd(ctx: WriteCtx, input: QuoteLinesAddArgs): Promise<Result<IQuote>> {
  const checks = new Checks<ErrorCode>();
  const drafts = draftLines(checks, input.lines, f('lines'), input.parentLineId ?? null);
  if (!isStaff(ctx.principal) && drafts.some((d) => d.discountType)) checks.add('FORBIDDEN', 'Only staff grant discounts', f('lines'));
  if (drafts.length === 0) checks.add('REQUIRED', 'At least one product', f('lines'));
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const found = await editable(ctx, input.id, input.version);
  if (!found.ok) return found;
  const { quote, lines, lineIds } = found.value;
  const parent = input.parentLineId ? (lineIds?.get(input.parentLineId) ?? input.parentLineId) : null;
  if (parent && !lines.some((l) => l.id === parent && !l.parentLineId))
    return fail('NOT_FOUND', 'No such plan line on this quote', f('parentLineId'));
  const added = parent ? drafts.map((d) => ({ ...d, parentLineId: parent })) : drafts;
  return repriceAndSave(ctx, quote, lines, [...storedDrafts(lines), ...added], quoteDiscount(quote));
}

export type QuoteLinesRemoveArgs = { id: string; version: number; lineIds: string[] };

export async function quoteLinesRemove(ctx: WriteCtx, input: QuoteLinesRemoveArgs): Promise<Result<IQuote>> {
  const found = await editable(ctx, input.id, input.version);
  if (!found.ok) return found;
  const { quote, lines, lineIds } = found.value;
  const wanted = input.lineIds.map((id) => lineIds?.get(id) ?? id);
  const known = new Set(lines.map((l) => l.id));
  const unknown = wanted.findIndex((id) => !known.has(id));
  if (unknown >= 0) return fail('NOT_FOUND', 'No such line on this quote', f('lineIds', String(unknown)));
  const gone = new Set(wanted);
  const kept = lines.filter((l) => !gone.has(l.id) && !(l.parentLineId && gone.has(l.parentLineId)));
  return repriceAndSave(ctx, quote, lines, storedDrafts(kept), quoteDiscount(quote));
}
