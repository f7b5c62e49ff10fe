import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;
const CURRENCY = /^[A-Z]{3}$/;

function invalid(name: string, hint: string): GraphQLError {
  return new GraphQLError(`Invalid ${name}: ${hint}`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function stringLiteral(ast: ValueNode, name: string, hint: string): string {
  if (ast.kind === Kind.STRING) return ast.value;
  if (name === 'Decimal' && (ast.kind === Kind.INT || ast.kind === Kind.FLOAT)) return ast.value;
  throw invalid(name, hint);
}

function stringScalar(name: string, description: string, hint: string, accept: (v: string) => boolean) {
  const parse = (value: unknown) => {
    const text = typeof value === 'number' && name === 'Decimal' ? String(value) : value;
    if (typeof text !== 'string' || !accept(text)) throw invalid(name, hint);
    return text;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => (typeof value === 'number' ? String(value) : (value as string)),
    parseValue: parse,
    parseLiteral: (ast) => parse(stringLiteral(ast, name, hint)),
  });
}

/** Exact decimal as a string ("19.99"); never a float. */
export const DecimalScalar = stringScalar('Decimal', 'Exact decimal number as a string', 'expected a decimal string like "19.99"', (v) =>
  DECIMAL.test(v),
);

export const CurrencyCodeScalar = stringScalar('CurrencyCode', 'ISO 4217 currency code', 'expected an ISO 4217 code like "EUR"', (v) =>
  CURRENCY.test(v),
);

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'RFC 3339 timestamp in UTC',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value as string).toISOString()),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw invalid('DateTime', 'expected an RFC 3339 timestamp');
    return date;
  },
  parseLiteral: (ast) => {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : null;
    if (!date || Number.isNaN(date.getTime())) throw invalid('DateTime', 'expected an RFC 3339 timestamp');
    return date;
  },
});

export const scalarResolvers = {
  Decimal: DecimalScalar,
  CurrencyCode: CurrencyCodeScalar,
  DateTime: DateTimeScalar,
};

export type Money = { amount: string; currencyCode: string };

/** Postgres numeric arrives as a string: normalise to two decimals without going through a float. */
export function money(amount: string | number, currencyCode: string): Money {
  const text = typeof amount === 'number' ? amount.toFixed(2) : amount;
  const [whole, fraction = ''] = text.split('.');
  return { amount: `${whole}.${fraction.padEnd(2, '0').slice(0, 2)}`, currencyCode };
}

const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** Decimal string → integer minor units ("19.99" → 1999), exact; money math happens in minor units. Bad input throws. */
export function toMinor(amount: string): number {
  const match = MONEY.exec(amount.trim());
  if (!match) throw new RangeError(`Invalid money amount: "${amount}"`);
  const minor = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -minor : minor;
}

export function fromMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.round(minor));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
