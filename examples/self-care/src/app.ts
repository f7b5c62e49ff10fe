import {
  createStorefrontClient,
  errorCodes,
  getMe,
  getMyOffers,
  getMyOrders,
  getSiteMessages,
  type MeQuery,
  markSiteMessagesRead,
  type OfferFieldsFragment,
  type OrderFieldsFragment,
  onOfferReceived,
  type SiteMessageFieldsFragment,
  type StorefrontClient,
  type StorefrontClientOptions,
  type SubscriptionError,
  type UserErrorFieldsFragment,
} from '@dcrm/storefront-sdk';
import WebSocket from 'ws';

/**
 * A mobile self-care app without its UI: each screen is a function that loads what the screen shows.
 * A real app renders these results; `main.ts` prints them.
 */

export type Account = NonNullable<MeQuery['me']>;

/** The "My account" screen: the 360° view of the signed-in customer. */
export type Account360 = {
  profile: Pick<Account, 'id' | 'type' | 'name' | 'email' | 'mobile' | 'segment' | 'lifecycleStage' | 'createdAt'>;
  addresses: Account['addresses'];
  contacts: Account['contacts'];
  consents: Account['consents'];
  /** Null while orders cannot be read (the cart service is down): not the same as "no orders". */
  recentOrders: NonNullable<Account['orders']>['nodes'] | null;
  messages: { unreadCount: number; latest: SiteMessageFieldsFragment[] };
  offers: OfferFieldsFragment[];
};

export type SignInResult = { ok: true; name: string; customerId: string } | { ok: false; errors: UserErrorFieldsFragment[] };

export type SelfCareApp = {
  /** Creates an account in the storefront and signs it in. */
  signUp(input: { name: string; email: string; password: string; mobile?: string }): Promise<SignInResult>;
  signIn(email: string, password: string): Promise<SignInResult>;
  signOut(): Promise<void>;
  /** The 360° view; null when signed out. */
  account360(): Promise<Account360 | null>;
  /** Every order, newest first, with lines and status history. */
  orders(): Promise<OrderFieldsFragment[]>;
  /** The inbox, newest first. */
  messages(options?: { unreadOnly?: boolean }): Promise<{ unreadCount: number; nodes: SiteMessageFieldsFragment[] }>;
  /** Marks messages read; returns the unread count after. */
  markRead(ids: string[]): Promise<number>;
  /**
   * Offers as they are made for the signed-in customer (an agent, a campaign, a real-time rule), over
   * the API's WebSocket. Returns the function that stops listening.
   */
  liveOffers(onOffer: (offer: OfferFieldsFragment) => void, onError?: (error: SubscriptionError) => void): () => void;
  /** The SDK client underneath (for anything the screens above do not cover). */
  readonly client: StorefrontClient;
  dispose(): Promise<void>;
};

/** Why a screen could not load: GraphQL errors are thrown as one, with their codes. */
export class ScreenError extends Error {
  override readonly name = 'ScreenError';
  constructor(
    screen: string,
    readonly codes: string[],
    message: string,
  ) {
    super(`${screen}: ${message}`);
  }
}

const fail = (screen: string, result: { errors?: ReadonlyArray<{ message: string }> }) =>
  new ScreenError(screen, errorCodes(result), result.errors?.map((e) => e.message).join('; ') || 'no data');

/** The app, on the storefront SDK. `webSocketImpl` defaults to `ws` so live offers work on Node 20 too. */
export function createSelfCareApp(options: StorefrontClientOptions): SelfCareApp {
  const client = createStorefrontClient({ webSocketImpl: WebSocket, ...options });

  const signedIn = (
    payload: { customer: { id: string; name: string } | null; userErrors: UserErrorFieldsFragment[] } | undefined,
    result: { errors?: ReadonlyArray<{ message: string }> },
    screen: string,
  ): SignInResult => {
    if (payload?.customer) return { ok: true, name: payload.customer.name, customerId: payload.customer.id };
    if (payload) return { ok: false, errors: payload.userErrors };
    throw fail(screen, result);
  };

  return {
    client,
    async signUp(input) {
      const result = await client.auth.register(input);
      return signedIn(result.data?.customerRegister, result, 'sign up');
    },
    async signIn(email, password) {
      const result = await client.auth.login({ email, password });
      return signedIn(result.data?.customerLogin, result, 'sign in');
    },
    async signOut() {
      await client.auth.logout();
    },
    async account360() {
      // Three SDK operations in parallel: the account, its offers, its latest messages.
      const [me, offers, inbox] = await Promise.all([
        getMe(client, { recentOrders: 5 }),
        getMyOffers(client),
        getSiteMessages(client, { first: 5 }),
      ]);
      if (!me.data) throw fail('account', me);
      const account = me.data.me;
      if (!account) return null;
      const { addresses, contacts, consents, orders, siteMessages, ...profile } = account;
      return {
        profile: {
          id: profile.id,
          type: profile.type,
          name: profile.name,
          email: profile.email,
          mobile: profile.mobile,
          segment: profile.segment,
          lifecycleStage: profile.lifecycleStage,
          createdAt: profile.createdAt,
        },
        addresses,
        contacts,
        consents,
        recentOrders: orders?.nodes ?? null,
        messages: { unreadCount: siteMessages.unreadCount, latest: inbox.data?.me?.siteMessages.nodes ?? [] },
        offers: offers.data?.me?.offers?.nodes ?? [],
      };
    },
    async orders() {
      const all: OrderFieldsFragment[] = [];
      let after: string | null = null;
      for (;;) {
        const result = await getMyOrders(client, { first: 25, after });
        const page = result.data?.me?.orders;
        if (!page) throw fail('orders', result);
        all.push(...page.nodes);
        if (!page.pageInfo.hasNextPage) return all;
        after = page.pageInfo.endCursor;
      }
    },
    async messages({ unreadOnly = false } = {}) {
      const result = await getSiteMessages(client, { unreadOnly, first: 50 });
      const inbox = result.data?.me?.siteMessages;
      if (!inbox) throw fail('messages', result);
      return { unreadCount: inbox.unreadCount, nodes: inbox.nodes };
    },
    async markRead(ids) {
      const result = await markSiteMessagesRead(client, { ids });
      const payload = result.data?.siteMessagesMarkRead;
      if (!payload?.customer)
        throw payload
          ? new ScreenError(
              'messages',
              payload.userErrors.map((e) => e.code),
              payload.userErrors[0]?.message ?? '',
            )
          : fail('messages', result);
      return payload.customer.siteMessages.unreadCount;
    },
    liveOffers(onOffer, onError) {
      return onOfferReceived(
        client,
        (result) => {
          if (result.data?.offerReceived) onOffer(result.data.offerReceived);
        },
        { onError },
      );
    },
    dispose: () => client.dispose(),
  };
}
