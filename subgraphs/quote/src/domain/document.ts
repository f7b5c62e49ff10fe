import Handlebars from 'handlebars';
import type { Brand } from '../clients/brand.js';
import type { IQuote, IQuoteLine } from '../entities/index.js';

/**
 * A quote rendered to a self-contained HTML document with its brand's theme (pure). Every value goes
 * through Handlebars' escaping; colours and the font are used only when they look like colours and
 * font names, the logo only when it is an http(s) URL, so brand data cannot inject markup or script.
 */
const TEMPLATE = Handlebars.compile(
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{brand}} quote {{number}}</title>
<style>body{font-family:{{font}},sans-serif;color:#222;margin:2em}h1{color:{{primary}} }
table{border-collapse:collapse;width:100%}th{background:{{primary}};color:#fff;text-align:left}
td,th{padding:.4em;border-bottom:1px solid {{secondary}} }.total{color:{{accent}};font-weight:bold}</style></head>
<body>{{#if logo}}<img src="{{logo}}" alt="{{brand}}" height="48">{{/if}}
<h1>{{brand}} — quote {{number}} (revision {{revision}})</h1>
<p>For: {{recipient}}<br>Status: {{status}}<br>Valid until: {{validUntil}}</p>
<table><thead><tr><th>Product</th><th>Qty</th><th>Monthly</th><th>One-off</th><th>Discount</th></tr></thead><tbody>
{{#each lines}}<tr><td>{{#if addOn}}&nbsp;&nbsp;+ {{/if}}{{name}}</td><td>{{quantity}}</td><td>{{monthly}}</td><td>{{oneOff}}</td><td>{{discount}}</td></tr>
{{/each}}</tbody></table>
<p>{{#if discount}}Quote discount: {{discount}}<br>{{/if}}{{#each promotions}}{{this}}<br>{{/each}}
Tax: {{taxOneOff}} now, {{taxRecurring}} monthly<br>
<span class="total">Due now: {{dueNow}} · Monthly: {{monthly}}</span> ({{currency}}, tax included)</p>
<h2>Terms</h2><ul>{{#each terms}}<li>{{this}}</li>{{/each}}</ul>
</body></html>`,
);

const COLOUR = /^#[0-9a-fA-F]{3,8}$/;
const FONT = /^[A-Za-z0-9 ,'-]{1,80}$/;
const colour = (value: string, fallback: string) => (COLOUR.test(value) ? value : fallback);
const safeUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
};
const amount = (value: string | null | undefined, currency: string) => (value ? `${value} ${currency}` : '—');
const discountText = (type?: string | null, value?: string | null) => (type && value ? (type === 'PERCENT' ? `${value}%` : value) : '');

export type DocumentView = ReturnType<typeof documentView>;

/** The terms every quote document states: validity, currency and tax, and what accepting it does. */
export const termsOf = (validUntil: string, currency: string): string[] => [
  `This quote is valid until ${validUntil}; an expired quote cannot be accepted.`,
  `Prices are in ${currency} and include tax at the storefront's rates; monthly charges are billed in advance.`,
  'Accepting this quote places an order at these prices; plans with a term start a contract with its own terms.',
];

/** What a quote document shows, in whatever format (HTML here, PDF in `document-pdf.ts`): checked colours, formatted amounts, the terms. */
export function documentView(quote: IQuote, lines: readonly IQuoteLine[], brand: Brand) {
  const c = quote.currencyCode;
  const t = quote.totals;
  const validUntil = quote.validUntil.toISOString().slice(0, 10);
  return {
    brand: brand.name,
    font: FONT.test(brand.theme.fontFamily) ? brand.theme.fontFamily : 'sans-serif',
    primary: colour(brand.theme.primaryColor, '#333333'),
    secondary: colour(brand.theme.secondaryColor, '#dddddd'),
    accent: colour(brand.theme.accentColor, '#000000'),
    logo: safeUrl(brand.theme.logoUrl),
    number: quote.number,
    revision: quote.revision,
    status: quote.status,
    recipient: quote.prospect ? [quote.prospect.name, quote.prospect.company].filter(Boolean).join(', ') : 'Account holder',
    validUntil,
    currency: c,
    lines: lines.map((l) => ({
      addOn: !!l.parentLineId,
      name: l.name,
      quantity: l.quantity,
      monthly: amount(l.recurringPrice, c),
      oneOff: amount(l.oneOffPrice, c),
      discount: discountText(l.discountType, l.discountValue),
    })),
    discount: discountText(quote.discountType, quote.discountValue),
    promotions: (t.appliedDiscounts ?? []).map((d) => d.name),
    taxOneOff: amount(t.taxOneOff, c),
    taxRecurring: amount(t.taxRecurring, c),
    dueNow: amount(t.dueNow, c),
    monthly: amount(t.monthly, c),
    terms: termsOf(validUntil, c),
  };
}

export const renderQuoteHtml = (quote: IQuote, lines: readonly IQuoteLine[], brand: Brand): string =>
  TEMPLATE(documentView(quote, lines, brand));
