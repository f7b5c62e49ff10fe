import {
  addCartLines,
  applyPromoCode,
  attachCartToCustomer,
  type CartFieldsFragment,
  type CartLineInput,
  type CartRef,
  type CartUserErrorFieldsFragment,
  createCart,
  getCart,
  removeCartLines,
  removePromoCode,
  type StorefrontClient,
  updateCartLines,
} from '@dcrm/storefront-sdk';

export type Cart = CartFieldsFragment;
export type CartChange = { cart: Cart | null; userErrors: ReadonlyArray<CartUserErrorFieldsFragment> };

type Saved = { id: string; cartToken: string | null; version: number };

/**
 * The shopper's open cart on this device: its id, token (anonymous carts) and the version last read,
 * in localStorage per brand. Every change sends that version; on a CONFLICT (the cart changed in
 * another tab) it re-reads the cart and tries once more.
 */
export type CartStore = {
  ref(): CartRef | null;
  load(): Promise<Cart | null>;
  add(lines: CartLineInput[]): Promise<CartChange>;
  update(lines: { id: string; quantity: number }[]): Promise<CartChange>;
  remove(lineIds: string[]): Promise<CartChange>;
  /** Enters a promo code; a code that does not apply comes back as a userError (EXPIRED, UNKNOWN_CODE…). */
  applyCode(code: string): Promise<CartChange>;
  removeCode(code: string): Promise<CartChange>;
  /** After sign-in: the anonymous cart becomes the customer's (merged into theirs if they have one). */
  attach(): Promise<void>;
  /** Keeps a cart that came from elsewhere (a drop link). */
  remember(cart: Cart, cartToken: string | null): void;
  clear(): void;
  /** Items in the cart as last seen (for the header). */
  count(): number;
  onChange(listener: () => void): void;
};

const itemCount = (cart: Cart | null) => cart?.lines.filter((l) => !l.parentLineId).reduce((n, l) => n + l.quantity, 0) ?? 0;

export function createCartStore(client: StorefrontClient, storage: Storage, brand: string): CartStore {
  const key = `dcrm.cart.${brand}`;
  let last: Cart | null = null;
  const listeners = new Set<() => void>();

  const read = (): Saved | null => {
    try {
      const raw = storage.getItem(key);
      return raw ? (JSON.parse(raw) as Saved) : null;
    } catch {
      return null;
    }
  };
  const keep = (cart: Cart | null, cartToken = read()?.cartToken ?? null) => {
    last = cart;
    if (cart && cart.status === 'OPEN') storage.setItem(key, JSON.stringify({ id: cart.id, cartToken, version: cart.version }));
    else storage.removeItem(key);
    for (const listener of listeners) listener();
  };
  const ref = (): CartRef | null => {
    const saved = read();
    return saved ? { cartId: saved.id, cartToken: saved.cartToken, version: saved.version } : null;
  };

  const load = async (): Promise<Cart | null> => {
    const saved = read();
    if (!saved) return null;
    const { data } = await getCart(client, { id: saved.id, cartToken: saved.cartToken });
    // Gone, converted or not ours any more (signed out): start afresh next time.
    keep(data?.cart ?? null, saved.cartToken);
    return last;
  };

  /** Runs a change with the saved version; re-reads and retries once when the cart moved on. */
  const change = async (run: (cart: CartRef) => Promise<CartChange | null | undefined>): Promise<CartChange> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const current = ref();
      if (!current) return { cart: null, userErrors: [{ field: null, code: 'NOT_FOUND', message: 'Your cart is empty.' }] };
      const result = (await run(current)) ?? {
        cart: null,
        userErrors: [{ field: null, code: 'SERVICE_UNAVAILABLE', message: 'Please try again.' }],
      };
      if (result.userErrors.some((e) => e.code === 'CONFLICT') && attempt === 0) {
        await load();
        continue;
      }
      if (result.cart) keep(result.cart);
      return result;
    }
    return { cart: last, userErrors: [{ field: null, code: 'CONFLICT', message: 'Your cart changed elsewhere; please try again.' }] };
  };

  return {
    ref,
    load,
    add: async (lines) => {
      if (!ref()) {
        const { data, errors } = await createCart(client, { lines });
        const payload = data?.cartCreate;
        if (payload?.cart) keep(payload.cart, payload.cartToken);
        return (
          payload ?? {
            cart: null,
            userErrors: [{ field: null, code: 'SERVICE_UNAVAILABLE', message: errors?.[0]?.message ?? 'Please try again.' }],
          }
        );
      }
      return change(async (cart) => (await addCartLines(client, { cart, lines })).data?.cartLinesAdd);
    },
    update: (lines) => change(async (cart) => (await updateCartLines(client, { cart, lines })).data?.cartLinesUpdate),
    remove: (lineIds) => change(async (cart) => (await removeCartLines(client, { cart, lineIds })).data?.cartLinesRemove),
    applyCode: (code) => change(async (cart) => (await applyPromoCode(client, { cart, code })).data?.cartPromoCodeApply),
    removeCode: (code) => change(async (cart) => (await removePromoCode(client, { cart, code })).data?.cartPromoCodeRemove),
    attach: async () => {
      const saved = read();
      if (!saved?.cartToken) return;
      const { data } = await attachCartToCustomer(client, { cartId: saved.id, cartToken: saved.cartToken });
      const cart = data?.cartAttachCustomer.cart;
      // The customer's cart now (it may be another one, merged): no token needed any more.
      if (cart) keep(cart, null);
    },
    remember: (cart, cartToken) => keep(cart, cartToken),
    clear: () => keep(null, null),
    count: () => itemCount(last),
    onChange: (listener) => {
      listeners.add(listener);
    },
  };
}
