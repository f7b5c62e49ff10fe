import { createHash } from 'node:crypto';
import { fail, isUuid, ok, type SaleAgreedPrice } from '@dcrm/kit';
import type { OrderSourceKind } from '../entities/index.js';
import type { Result } from './cart.errors.js';

/** One line of a sale: a product, how many, and (for an add-on) the index of the line it belongs to. */
export type SaleLine = { productId: string; quantity: number; parentIndex?: number | null; agreed?: SaleAgreedPrice | null };

/** What a sale (a won opportunity, an accepted quote) asks the cart to order. */
export type SaleOrderInput = {
  customerId: string;
  lines: SaleLine[];
  source: { kind: OrderSourceKind; id: string };
  idempotencyKey: string;
  actedBy: string;
};

export const MAX_SALE_LINES = 100;
const MAX_QUANTITY = 999;

export const saleField = (...path: (string | number)[]) => ['input', ...path.map(String)];

/** The input checked before anything is asked of another subgraph: ids, key, lines and their parents. */
export function validSale(input: SaleOrderInput): Result<SaleOrderInput & { idempotencyKey: string }> {
  const key = input.idempotencyKey.trim();
  if (key.length < 8 || key.length > 200) return fail('INVALID', 'Use 8 to 200 characters, e.g. a UUID', saleField('idempotencyKey'));
  if (!isUuid(input.customerId)) return fail('NOT_FOUND', 'No such customer', saleField('customerId'));
  if (!isUuid(input.source.id)) return fail('INVALID', 'Not a valid id', saleField('source', 'id'));
  if (!isUuid(input.actedBy)) return fail('INVALID', 'Not a valid id', saleField('actedBy'));
  if (input.lines.length === 0) return fail('EMPTY', 'A sale needs at least one line', saleField('lines'));
  if (input.lines.length > MAX_SALE_LINES) return fail('INVALID', `At most ${MAX_SALE_LINES} lines`, saleField('lines'));
  for (const [i, line] of input.lines.entries()) {
    if (!isUuid(line.productId)) return fail('NOT_FOUND', 'No such product', saleField('lines', i, 'productId'));
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY)
      return fail('INVALID', `Quantity from 1 to ${MAX_QUANTITY}`, saleField('lines', i, 'quantity'));
    const parent = line.parentIndex;
    if (parent !== null && parent !== undefined && (!Number.isInteger(parent) || parent < 0 || parent >= i))
      return fail('INVALID', 'An add-on names an earlier line as its parent', saleField('lines', i, 'parentIndex'));
    const bad = line.agreed ? badAgreedField(line.agreed) : null;
    if (bad) return fail('INVALID', 'A non-negative amount with two decimals at most', saleField('lines', i, 'agreed', bad));
  }
  return ok({ ...input, idempotencyKey: key });
}

const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;

/** The first agreed amount that is not a non-negative decimal, or null. */
function badAgreedField(agreed: SaleAgreedPrice): string | null {
  for (const [name, value] of Object.entries(agreed)) if (value != null && !AMOUNT.test(String(value))) return name;
  return null;
}

/**
 * What makes two requests with one key the same sale: customer, source and lines (not who placed it:
 * a colleague's retry of the same sale is a retry).
 */
export function saleDigest(input: SaleOrderInput): string {
  const request = {
    customerId: input.customerId,
    source: [input.source.kind, input.source.id],
    lines: input.lines.map((l) => [l.productId, l.quantity, l.parentIndex ?? null, ...(l.agreed ? [agreedKey(l.agreed)] : [])]),
  };
  return createHash('sha256').update(JSON.stringify(request)).digest('base64url');
}

const agreedKey = (a: SaleAgreedPrice) => [a.recurring, a.oneOff, a.deposit, a.discountOneOff, a.discountRecurring];
