import {
  addCartLines,
  attachCartToCustomer,
  type CartFieldsFragment,
  compareProducts,
  createCart,
  createStorefrontClient,
  errorCodes,
  type GraphQLResult,
  getCart,
  getMyOffers,
  getMyOrders,
  isNetworkError,
  type OrderFieldsFragment,
  type StorefrontClient,
  type StorefrontClientOptions,
  type UserErrorFieldsFragment,
} from '@dcrm/storefront-sdk';
import {
  CatalogNamesDocument,
  type CatalogNamesResult,
  CustomerLookupDocument,
  MyCartsDocument,
  type PlanNode,
  PlanSearchDocument,
  type PlanSearchResult,
} from './documents.js';
import { type CatalogEntry, type Intent, matchIntent, matchProduct } from './intents.js';

export type Reply = { text: string; suggestions?: string[] };

export type Bot = {
  /** Answers one message of the conversation `sessionId` (its sign-in and cart are kept between messages). */
  reply(sessionId: string, text: string): Promise<Reply>;
  /** Signs nothing out on the server; drops every conversation and closes the clients. */
  close(): Promise<void>;
};

export type BotOptions = {
  /**
   * Options of the SDK clients: each conversation gets its own client (it holds that conversation's
   * sign-in), and one more, never signed in, looks callers up. With the chatbot's private key
   * (`customer:lookup`) carts are made in the CHATBOT channel and callers can be identified.
   */
  client: StorefrontClientOptions;
  /** Conversations kept at once; the least recently active is forgotten beyond it (default 1000). */
  maxConversations?: number;
};

type CatalogProduct = CatalogEntry & { kind: string };
type CartState = { id: string; token: string | null; version: number };
type Conversation = { client: StorefrontClient; cart: CartState | null; name: string | null; queue: Promise<unknown> };

const SUGGESTIONS = ['plans under 30 with 50GB', 'compare Volt Unlimited 5G and Volt Flex 5G 50GB', "what's in my cart", 'my offers'];
const SIGN_IN_HINT = 'Sign in first: "login <email> <password>".';
// Orders per page: a full order with a page of its status history costs over 30 points; 25 stay
// inside the router's single-query maximum (1000), 40 do not.
const PAGE = 25;

const money = (m: { amount: string; currencyCode: string } | null | undefined): string =>
  m ? new Intl.NumberFormat('en-IE', { style: 'currency', currency: m.currencyCode }).format(Number(m.amount)) : '—';

const INTERVAL = { MONTH: '/month', YEAR: '/year' } as const;
/** "€19.99/month" for a recurring price, "€20.00 one-off" for a prepaid bundle or a device. */
const priceText = (p: PlanNode['price']): string =>
  p ? `${money(p.amount)}${p.interval ? INTERVAL[p.interval] : ' one-off'}` : 'no price';

/** A plan's data allowance in GB: Infinity for unlimited, null when it has none. */
export function planDataGb(plan: Pick<PlanNode, 'attributes'>): number | null {
  const data = plan.attributes.find((a) => a.key === 'data');
  if (!data) return null;
  if (/unlimited/i.test(data.value)) return Number.POSITIVE_INFINITY;
  const amount = Number(data.value);
  if (Number.isNaN(amount)) return null;
  const unit = (data.unit ?? 'GB').toUpperCase();
  return unit === 'TB' ? amount * 1000 : unit === 'MB' ? amount / 1000 : amount;
}

const gbText = (gb: number | null) => (gb === null ? 'no data' : gb === Number.POSITIVE_INFINITY ? 'unlimited data' : `${gb}GB`);

const userErrorText = (errors: readonly UserErrorFieldsFragment[]) => errors.map((e) => e.message).join('; ');

/** True when the API said the caller must sign in (or `me` is null: signed out). */
const needsSignIn = (result: GraphQLResult<unknown>) => errorCodes(result).some((c) => c === 'UNAUTHENTICATED' || c === 'FORBIDDEN');

/**
 * The conversational assistant: rule-based intents (see `intents.ts`) answered with the storefront SDK.
 * Expected failures (no match, signed out, a user error) are answers; only bugs throw.
 */
export function createBot(options: BotOptions): Bot {
  const maxConversations = options.maxConversations ?? 1000;
  const conversations = new Map<string, Conversation>();
  const lookup = createStorefrontClient({ ...options.client, accessToken: undefined });
  let catalog: Promise<CatalogProduct[]> | null = null;

  const conversation = (sessionId: string): Conversation => {
    let c = conversations.get(sessionId);
    if (c) conversations.delete(sessionId);
    else c = { client: createStorefrontClient(options.client), cart: null, name: null, queue: Promise.resolve() };
    // A Map keeps insertion order: re-inserting makes it the most recent.
    conversations.set(sessionId, c);
    for (const [id, old] of conversations) {
      if (conversations.size <= maxConversations) break;
      conversations.delete(id);
      void old.client.dispose();
    }
    return c;
  };

  /** Product names of the storefront, read once (and again after a failure). */
  const catalogNames = (): Promise<CatalogProduct[]> => {
    catalog ??= (async () => {
      const entries: CatalogProduct[] = [];
      let after: string | null = null;
      for (;;) {
        const { data, errors }: GraphQLResult<CatalogNamesResult> = await lookup.request(CatalogNamesDocument, {
          first: PAGE,
          after,
        });
        if (!data) throw new Error(`catalog: ${errors?.[0]?.message ?? 'no data'}`);
        entries.push(...data.products.nodes);
        if (!data.products.pageInfo.hasNextPage) return entries;
        after = data.products.pageInfo.endCursor;
      }
    })().catch((error) => {
      catalog = null;
      throw error;
    });
    return catalog;
  };

  async function findPlans(c: Conversation, intent: Extract<Intent, { kind: 'findPlans' }>): Promise<Reply> {
    const plans: PlanNode[] = [];
    let after: string | null = null;
    // Cheapest first: stop paging once prices pass the ceiling.
    for (;;) {
      const { data, errors }: GraphQLResult<PlanSearchResult> = await c.client.request(PlanSearchDocument, {
        first: PAGE,
        after,
        filter: { kinds: ['PLAN'] },
        sort: 'PRICE_ASC',
      });
      if (!data) return { text: `I couldn't search the plans (${errors?.[0]?.message ?? 'no answer'}).` };
      plans.push(...data.products.nodes);
      const last = data.products.nodes.at(-1);
      const passed = intent.maxPrice !== null && last?.price && Number(last.price.amount.amount) > intent.maxPrice;
      if (!data.products.pageInfo.hasNextPage || passed) break;
      after = data.products.pageInfo.endCursor;
    }
    const matches = plans.filter((p) => {
      if (intent.maxPrice !== null && (!p.price || Number(p.price.amount.amount) > intent.maxPrice)) return false;
      const gb = planDataGb(p);
      return intent.minDataGb === null || (gb !== null && gb >= intent.minDataGb);
    });
    const ask = [
      intent.maxPrice !== null ? `at most ${intent.maxPrice}` : null,
      intent.minDataGb !== null
        ? `with ${intent.minDataGb === Number.POSITIVE_INFINITY ? 'unlimited data' : `at least ${intent.minDataGb}GB`}`
        : null,
    ]
      .filter(Boolean)
      .join(' ');
    if (matches.length === 0)
      return {
        text: `No plans ${ask || 'right now'}. Try a higher price or less data.`,
        suggestions: ['plans under 40', 'plans with 20GB'],
      };
    const shown = matches.slice(0, 8);
    const lines = shown.map((p) => `• ${p.name}: ${priceText(p.price)}, ${gbText(planDataGb(p))}`);
    const more = matches.length > shown.length ? `\n…and ${matches.length - shown.length} more.` : '';
    return {
      text: `${matches.length} plan${matches.length === 1 ? '' : 's'}${ask ? ` ${ask}` : ''}:\n${lines.join('\n')}${more}`,
      suggestions: [`add ${shown[0].name} to my cart`, ...(shown[1] ? [`compare ${shown[0].name} and ${shown[1].name}`] : [])],
    };
  }

  async function compare(c: Conversation, names: string[]): Promise<Reply> {
    if (names.length < 2) return { text: 'Which products? e.g. "compare Volt Unlimited 5G and Volt Flex 5G 50GB".' };
    if (names.length > 4) return { text: 'I can compare up to 4 products at a time.' };
    const entries = await catalogNames();
    const found = names.map((n) => ({ name: n, product: matchProduct(n, entries) }));
    const missing = found.filter((f) => !f.product).map((f) => `"${f.name}"`);
    if (missing.length) return { text: `I couldn't find ${missing.join(' or ')} in the catalog.`, suggestions: ['plans'] };
    const ids = [...new Set(found.map((f) => f.product!.id))];
    if (ids.length < 2) return { text: `Those are the same product: ${found[0].product!.name}.` };
    const { data, errors } = await compareProducts(c.client, { ids });
    if (!data) return { text: `I couldn't compare them (${errors?.[0]?.message ?? 'no answer'}).` };
    const { products, rows } = data.compareProducts;
    const header = products.map((p) => `${p.name} (${priceText(p.price)})`).join(' vs ');
    const body = rows.map(
      (r) =>
        `${r.differs ? '*' : ' '} ${r.label}: ${r.values.map((v) => (v === null ? '—' : `${v}${r.unit ? ` ${r.unit}` : ''}`)).join(' | ')}`,
    );
    return { text: `${header}\n${body.join('\n')}\n(* differs)`, suggestions: products.map((p) => `add ${p.name} to my cart`) };
  }

  const remember = (c: Conversation, cart: CartFieldsFragment, token?: string | null) => {
    c.cart = { id: cart.id, token: token !== undefined ? token : (c.cart?.token ?? null), version: cart.version };
  };

  /** The conversation's cart: the one it made, else (signed in) the customer's latest open cart. */
  async function currentCart(c: Conversation): Promise<CartFieldsFragment | null> {
    if (!c.cart && (await c.client.auth.session())) {
      const { data } = await c.client.request(MyCartsDocument, {});
      // Carts come most recently changed first.
      const latest = data?.me?.carts.nodes[0];
      if (latest) c.cart = { id: latest.id, token: null, version: latest.version };
    }
    if (!c.cart) return null;
    const { data } = await getCart(c.client, { id: c.cart.id, cartToken: c.cart.token });
    if (data?.cart?.status !== 'OPEN') {
      c.cart = null;
      return null;
    }
    remember(c, data.cart);
    return data.cart;
  }

  const cartText = (cart: CartFieldsFragment) =>
    `${cart.lines.map((l) => `• ${l.quantity} × ${l.name}${l.recurringPrice ? ` ${money(l.recurringPrice)}/month` : ''}${l.oneOffPrice ? ` ${money(l.oneOffPrice)} now` : ''}`).join('\n')}\n${cart.totals ? `Monthly ${money(cart.totals.monthly)}, due now ${money(cart.totals.dueNow)}.` : "Totals can't be worked out right now (promotions are unavailable); try again in a moment."}`;

  async function addToCart(c: Conversation, name: string): Promise<Reply> {
    const product = matchProduct(name, await catalogNames());
    if (!product) return { text: `I couldn't find "${name}" in the catalog.`, suggestions: ['plans'] };
    const cart = await currentCart(c);
    // An add-on goes under a plan or device line: the latest one in the cart.
    const parent = cart?.lines.findLast((l) => !l.parentLineId && l.product && l.product.kind !== 'ADDON');
    if (product.kind === 'ADDON' && !parent) return { text: `${product.name} is an add-on: add a plan first.`, suggestions: ['plans'] };
    const lines = [{ productId: product.id, parentLineId: product.kind === 'ADDON' ? parent?.id : undefined }];
    if (!cart) {
      const { data, errors } = await createCart(c.client, { lines });
      const payload = data?.cartCreate;
      if (!payload?.cart) return { text: `I couldn't start a cart: ${payload ? userErrorText(payload.userErrors) : errors?.[0]?.message}` };
      remember(c, payload.cart, payload.cartToken);
      return { text: `Added ${product.name}.\n${cartText(payload.cart)}`, suggestions: ["what's in my cart"] };
    }
    const { data, errors } = await addCartLines(c.client, {
      cart: { cartId: cart.id, cartToken: c.cart?.token, version: cart.version },
      lines,
    });
    const payload = data?.cartLinesAdd;
    if (!payload?.cart)
      return { text: `I couldn't add ${product.name}: ${payload ? userErrorText(payload.userErrors) : errors?.[0]?.message}` };
    remember(c, payload.cart);
    return { text: `Added ${product.name}.\n${cartText(payload.cart)}`, suggestions: ["what's in my cart"] };
  }

  async function showCart(c: Conversation): Promise<Reply> {
    const cart = await currentCart(c);
    if (!cart || cart.lines.length === 0) return { text: 'Your cart is empty.', suggestions: ['plans under 30 with 50GB'] };
    return { text: `In your cart:\n${cartText(cart)}` };
  }

  async function login(c: Conversation, email: string, password: string): Promise<Reply> {
    const { data, errors } = await c.client.auth.login({ email, password });
    const payload = data?.customerLogin;
    if (!payload?.customer)
      return { text: `I couldn't sign you in: ${payload ? userErrorText(payload.userErrors) : errors?.[0]?.message}` };
    c.name = payload.customer.name;
    // The cart started before signing in becomes the customer's (merged into their open cart, if any).
    if (c.cart?.token) {
      const attached = await attachCartToCustomer(c.client, { cartId: c.cart.id, cartToken: c.cart.token });
      const cart = attached.data?.cartAttachCustomer.cart;
      c.cart = cart ? { id: cart.id, token: null, version: cart.version } : null;
    }
    return { text: `Hi ${payload.customer.name}, you're signed in.`, suggestions: ['my offers', "where's my order", "what's in my cart"] };
  }

  async function logout(c: Conversation): Promise<Reply> {
    const had = await c.client.auth.logout();
    c.name = null;
    c.cart = null;
    return { text: had ? 'Signed out. Bye for now!' : "You weren't signed in." };
  }

  async function identify(mobile: string | null, email: string | null): Promise<Reply> {
    const { data, errors } = await lookup.request(CustomerLookupDocument, { mobile, email });
    const found = data?.customerByIdentity;
    if (found) return { text: `Thanks, ${found.name}. To see your orders and offers, sign in: "login <email> <password>".` };
    if (errorCodes({ errors }).includes('FORBIDDEN')) return { text: "I can't look accounts up here. Please sign in instead." };
    return { text: "I couldn't find an account with that. Please check it, or sign in." };
  }

  async function myOffers(c: Conversation): Promise<Reply> {
    if (!(await c.client.auth.session())) return { text: `Offers are personal. ${SIGN_IN_HINT}` };
    const result = await getMyOffers(c.client);
    if (!result.data?.me) return { text: needsSignIn(result) ? SIGN_IN_HINT : "I couldn't read your offers just now." };
    const offers = result.data.me.offers?.nodes;
    if (!offers) return { text: "I couldn't read your offers just now." };
    if (offers.length === 0) return { text: 'No offers for you right now. Check back soon!' };
    const lines = offers.map((o) => `• ${o.title}: ${o.message}${o.couponCode ? ` (code ${o.couponCode})` : ''}`);
    return { text: `Your offers:\n${lines.join('\n')}` };
  }

  const orderText = (o: OrderFieldsFragment) => {
    const history = o.history.nodes.map((h) => `  ${h.at.slice(0, 16).replace('T', ' ')} ${h.status}${h.reason ? ` (${h.reason})` : ''}`);
    return `Order ${o.number} is ${o.status}${o.statusReason ? ` (${o.statusReason})` : ''}.\n${history.join('\n')}`;
  };

  async function orderStatus(c: Conversation, number: string | null): Promise<Reply> {
    if (!(await c.client.auth.session())) return { text: `To look up an order, ${SIGN_IN_HINT}` };
    let after: string | null = null;
    // Newest first: the latest order when no number was given, otherwise page until it turns up.
    for (;;) {
      const result = await getMyOrders(c.client, { first: number ? PAGE : 1, after });
      const orders = result.data?.me?.orders;
      if (!orders) return { text: needsSignIn(result) ? SIGN_IN_HINT : "I couldn't read your orders just now." };
      const order = number ? orders.nodes.find((o) => o.number === number) : orders.nodes[0];
      if (order) return { text: orderText(order) };
      if (!number) return { text: "You haven't placed any orders yet." };
      if (!orders.pageInfo.hasNextPage) return { text: `I can't find order ${number} on your account.` };
      after = orders.pageInfo.endCursor;
    }
  }

  async function answer(c: Conversation, text: string): Promise<Reply> {
    const intent = matchIntent(text);
    switch (intent.kind) {
      case 'findPlans':
        return findPlans(c, intent);
      case 'compare':
        return compare(c, intent.products);
      case 'addToCart':
        return addToCart(c, intent.product);
      case 'showCart':
        return showCart(c);
      case 'myOffers':
        return myOffers(c);
      case 'orderStatus':
        return orderStatus(c, intent.number);
      case 'login':
        return login(c, intent.email, intent.password);
      case 'logout':
        return logout(c);
      case 'identify':
        return identify(intent.mobile, intent.email);
      case 'greeting':
        return {
          text: `Hello${c.name ? ` ${c.name}` : ''}! I can find plans, compare them, fill your cart and track orders.`,
          suggestions: SUGGESTIONS,
        };
      case 'help':
        return {
          text: [
            'Try:',
            '• "plans under 30 with 50GB"',
            '• "compare Volt Unlimited 5G and Volt Flex 5G 50GB"',
            '• "add Volt Unlimited 5G to my cart", "what\'s in my cart"',
            '• "login <email> <password>", then "my offers" or "where is my order DC-2026-000042"',
          ].join('\n'),
          suggestions: SUGGESTIONS,
        };
      case 'unknown':
        return { text: 'Sorry, I didn\'t get that. Type "help" to see what I can do.', suggestions: SUGGESTIONS };
    }
  }

  return {
    reply(sessionId, text) {
      const c = conversation(sessionId);
      // One message at a time per conversation: the cart's version moves with each change.
      const next = c.queue.then(() =>
        answer(c, text).catch((error: unknown) => {
          if (isNetworkError(error)) return { text: "I can't reach the shop right now. Please try again in a moment." };
          throw error;
        }),
      );
      c.queue = next.catch(() => {});
      return next;
    },
    async close() {
      const all = [...conversations.values()];
      conversations.clear();
      await Promise.all([...all.map((c) => c.client.dispose()), lookup.dispose()]);
    },
  };
}
