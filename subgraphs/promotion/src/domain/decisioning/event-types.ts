import { Ajv, type ValidateFunction } from 'ajv';
import type { BUILT_IN_EVENT_TYPES } from './types.js';

/** An answer to an offer: which offer, where it came from (and the decision that made it, if one). */
const OFFER_SCHEMA = {
  type: 'object',
  required: ['offerId'],
  properties: {
    offerId: { type: 'string' },
    source: { type: 'string' },
    decisionId: { type: 'string' },
    productId: { type: 'string' },
    promotionId: { type: 'string' },
  },
};

/**
 * Payload schemas (JSON Schema, checked by ajv: maintained, fast, and each schema compiled once) of the
 * built-in event types, and the measure each sums into the hot context. Unknown extra properties are
 * allowed: producers send more than decisioning reads.
 */
const BUILT_IN: Record<(typeof BUILT_IN_EVENT_TYPES)[number], { schema: object; measure: string | null }> = {
  DATA_USAGE: {
    measure: 'usedShare',
    schema: {
      type: 'object',
      required: ['usedShare'],
      properties: { usedShare: { type: 'number', minimum: 0, maximum: 10 }, allowanceMb: { type: 'number', minimum: 0 } },
    },
  },
  BALANCE_LOW: {
    measure: 'balance',
    schema: {
      type: 'object',
      required: ['balance'],
      properties: { balance: { type: 'number' }, currency: { type: 'string', maxLength: 3 } },
    },
  },
  RECHARGE: {
    measure: 'amount',
    schema: {
      type: 'object',
      required: ['amount'],
      properties: {
        amount: { type: 'number', minimum: 0 },
        currency: { type: 'string', maxLength: 3 },
        plan: { type: 'string', maxLength: 100 },
      },
    },
  },
  ROAMING_ENTERED: {
    measure: null,
    schema: { type: 'object', required: ['country'], properties: { country: { type: 'string', pattern: '^[A-Z]{2}$' } } },
  },
  SESSION_ENDED: {
    measure: 'durationSeconds',
    schema: {
      type: 'object',
      properties: {
        durationSeconds: { type: 'number', minimum: 0 },
        kind: { enum: ['VOICE', 'DATA'] },
        megabytes: { type: 'number', minimum: 0 },
      },
    },
  },
  APP_USAGE: {
    measure: 'megabytes',
    schema: {
      type: 'object',
      required: ['app'],
      properties: { app: { type: 'string', maxLength: 100 }, megabytes: { type: 'number', minimum: 0 } },
    },
  },
  TICKET_RESOLVED: {
    measure: null,
    schema: {
      type: 'object',
      properties: { ticketId: { type: 'string' }, category: { type: 'string' }, priority: { type: 'string' } },
    },
  },
  PRODUCT_VIEWED: { measure: null, schema: { type: 'object', required: ['productId'], properties: { productId: { type: 'string' } } } },
  CART_ABANDONED: {
    measure: 'lines',
    schema: {
      type: 'object',
      properties: {
        kind: { enum: ['CART', 'BROWSE'] },
        productIds: { type: 'array', items: { type: 'string' }, maxItems: 250 },
        lines: { type: 'number', minimum: 0 },
      },
    },
  },
  ORDER_PLACED: {
    measure: 'dueNow',
    schema: {
      type: 'object',
      properties: {
        orderId: { type: 'string' },
        productIds: { type: 'array', items: { type: 'string' }, maxItems: 250 },
        dueNow: { type: 'number', minimum: 0 },
        monthly: { type: 'number', minimum: 0 },
        currency: { type: 'string', maxLength: 3 },
      },
    },
  },
  OFFER_SEEN: { measure: null, schema: OFFER_SCHEMA },
  OFFER_ACCEPTED: { measure: null, schema: OFFER_SCHEMA },
  OFFER_DISMISSED: { measure: null, schema: OFFER_SCHEMA },
};

/** The measure of a custom type: its payload's numeric `value`, if any. */
const CUSTOM_MEASURE = 'value';

export type EventTypeSpec = { name: string; validate: ValidateFunction; measure: string | null };

const ajv = new Ajv({ allErrors: false, strict: false });

const builtIns = new Map<string, EventTypeSpec>(
  Object.entries(BUILT_IN).map(([name, spec]) => [name, { name, validate: ajv.compile(spec.schema), measure: spec.measure }]),
);

export const isBuiltIn = (name: string) => builtIns.has(name);
export const builtInSpec = (name: string): EventTypeSpec | null => builtIns.get(name) ?? null;

/** A custom type's schema, compiled (once per type and version: the caller caches it). Null with a reason when it is no valid schema. */
export function compileCustom(name: string, schema: unknown): { spec: EventTypeSpec } | { error: string } {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return { error: 'The payload schema must be a JSON Schema object' };
  try {
    return { spec: { name, validate: ajv.compile(schema as object), measure: CUSTOM_MEASURE } };
  } catch (error) {
    return { error: `Not a valid JSON Schema: ${(error as Error).message.slice(0, 200)}` };
  }
}

/** The first schema error, in words (ajv's instance path and message). */
export const schemaError = (validate: ValidateFunction): string => {
  const [first] = validate.errors ?? [];
  return first ? `payload${first.instancePath.replaceAll('/', '.')} ${first.message ?? 'is invalid'}` : 'payload is invalid';
};

/** Custom type names: upper-case words, never a built-in's. */
export const CUSTOM_TYPE_NAME = /^[A-Z][A-Z0-9_]{1,49}$/;
