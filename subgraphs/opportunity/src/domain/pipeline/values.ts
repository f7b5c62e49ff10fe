/** Decimal strings summed exactly in cents (never floats): the lines' estimated value. */
export type EstimatedValueView = { oneOff: string; monthly: string; firstYear: string; currency: string | null };

const DECIMAL = /^-?\d{1,12}(\.\d{1,2})?$/;

export const isDecimal = (value: string): boolean => DECIMAL.test(value.trim());

export function toCents(value: string | null | undefined): bigint {
  if (value == null) return 0n;
  const [whole, fraction = ''] = value.trim().split('.');
  const sign = whole.startsWith('-') ? -1n : 1n;
  const cents = BigInt(whole.replace('-', '')) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return sign * cents;
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export type PricedLine = { quantity: number; oneOff: string | null; monthly: string | null; currency: string | null };

/** Sums of quantity × unit price; first year = one-off + 12 × monthly. */
export function estimate(lines: PricedLine[]): EstimatedValueView {
  let oneOff = 0n;
  let monthly = 0n;
  for (const line of lines) {
    oneOff += toCents(line.oneOff) * BigInt(line.quantity);
    monthly += toCents(line.monthly) * BigInt(line.quantity);
  }
  const currency = lines.find((l) => l.currency)?.currency ?? null;
  return { oneOff: fromCents(oneOff), monthly: fromCents(monthly), firstYear: fromCents(oneOff + 12n * monthly), currency };
}
