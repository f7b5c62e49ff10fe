/**
 * What changed between two revisions of a quote (pure): lines added, removed and changed (matched by
 * product and the product of their plan, in order), and the quote's own changes (discount, validity,
 * promotion codes, totals). Amounts are compared as the stored decimals.
 */
export type DiffLine = {
  id: string;
  productId: string;
  parentLineId?: string | null;
  name: string;
  quantity: number;
  discountType?: string | null;
  discountValue?: string | null;
  recurringPrice?: string | null;
  oneOffPrice?: string | null;
};

export type DiffQuote = {
  discountType?: string | null;
  discountValue?: string | null;
  validUntil: Date;
  promoCodes?: string[] | null;
  totals: { dueNow: string; monthly: string; discounts: string; recurringDiscounts?: string };
};

export type FieldChange = { field: string; from: string | null; to: string | null };
export type LineSummary = { productId: string; parentProductId: string | null; name: string; quantity: number };
export type LineChange = LineSummary & { changes: FieldChange[] };
export type RevisionDiff = { added: LineSummary[]; removed: LineSummary[]; changed: LineChange[]; quoteChanges: FieldChange[] };

const discount = (type?: string | null, value?: string | null) => (type && value ? `${value}${type === 'PERCENT' ? '%' : ''}` : null);

function summaries(lines: readonly DiffLine[]) {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const parentProductId = line.parentLineId ? (byId.get(line.parentLineId)?.productId ?? null) : null;
    const base = `${line.productId}|${parentProductId ?? ''}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: `${base}|${n}`, line, summary: { productId: line.productId, parentProductId, name: line.name, quantity: line.quantity } };
  });
}

function changes(pairs: [string, string | null, string | null][]): FieldChange[] {
  return pairs.filter(([, from, to]) => from !== to).map(([field, from, to]) => ({ field, from, to }));
}

export function revisionDiff(
  from: { quote: DiffQuote; lines: readonly DiffLine[] },
  to: { quote: DiffQuote; lines: readonly DiffLine[] },
): RevisionDiff {
  const before = new Map(summaries(from.lines).map((s) => [s.key, s]));
  const after = summaries(to.lines);
  const afterKeys = new Set(after.map((s) => s.key));
  const added: LineSummary[] = [];
  const changed: LineChange[] = [];
  for (const { key, line, summary } of after) {
    const old = before.get(key)?.line;
    if (!old) {
      added.push(summary);
      continue;
    }
    const lineChanges = changes([
      ['quantity', String(old.quantity), String(line.quantity)],
      ['discount', discount(old.discountType, old.discountValue), discount(line.discountType, line.discountValue)],
      ['recurringPrice', old.recurringPrice ?? null, line.recurringPrice ?? null],
      ['oneOffPrice', old.oneOffPrice ?? null, line.oneOffPrice ?? null],
    ]);
    if (lineChanges.length) changed.push({ ...summary, changes: lineChanges });
  }
  const removed = [...before.values()].filter((s) => !afterKeys.has(s.key)).map((s) => s.summary);
  const a = from.quote;
  const b = to.quote;
  const quoteChanges = changes([
    ['discount', discount(a.discountType, a.discountValue), discount(b.discountType, b.discountValue)],
    ['validUntil', a.validUntil.toISOString(), b.validUntil.toISOString()],
    ['promoCodes', (a.promoCodes ?? []).join(',') || null, (b.promoCodes ?? []).join(',') || null],
    ['dueNow', a.totals.dueNow, b.totals.dueNow],
    ['monthly', a.totals.monthly, b.totals.monthly],
    ['discounts', a.totals.discounts, b.totals.discounts],
    ['recurringDiscounts', a.totals.recurringDiscounts ?? '0.00', b.totals.recurringDiscounts ?? '0.00'],
  ]);
  return { added, removed, changed, quoteChanges };
}
