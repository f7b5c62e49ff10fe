import type { RequestOptions } from './client-types.js';
import { documentText } from './document.js';
import { CustomerAccessTokenRenewDocument } from './generated/graphql.js';
import type { Post } from './request.js';
import { localExpiry, renewDue, type Session, stillValid } from './session.js';
import type { SessionKeeper } from './session-keeper.js';
import type { Sent } from './transport.js';

/** When to renew: always (`force`), or only when due; `ifToken`: only if the session still holds that token. */
export type RenewWhen = { force: boolean; ifToken?: string | null };

export type Renewal = {
  /** Resolves `true` when the session was renewed or needed no renewal, `false` when it cannot be (or just ended). */
  renew(when: RenewWhen): Promise<boolean>;
  /** The token to send: renewed first when due. A failed renewal still sends a token that has not expired. */
  tokenForRequest(): Promise<string | null>;
};

export type RenewalDeps = { keeper: SessionKeeper; post: Post; now: () => number; renewBeforeMs: number };

/** The sign-in payloads (`customerLogin`, `customerRegister`, `customerAccessTokenRenew`) the session is made from. */
export type RenewedPayload = {
  accessToken: string | null;
  accessTokenExpiresAt?: string | null;
  refreshToken: string | null;
  userErrors: ReadonlyArray<unknown>;
};

export const toSession = (payload: RenewedPayload, receivedAt: number): Session => ({
  accessToken: payload.accessToken as string,
  refreshToken: payload.refreshToken,
  expiresAt: localExpiry(payload.accessToken as string, payload.accessTokenExpiresAt, receivedAt),
});

export function createRenewal({ keeper, post, now, renewBeforeMs }: RenewalDeps): Renewal {
  // One renewal at a time: a refresh token works once, and presenting a used one ends the session.
  let renewing: Promise<boolean> | null = null;
  const renew = (when: RenewWhen): Promise<boolean> => {
    renewing ??= withLock('dcrm-session-renewal', async () => {
      const s = await keeper.reread();
      if (!s?.refreshToken) return false;
      if (when.ifToken !== undefined && s.accessToken !== when.ifToken) return true;
      if (!when.force && !renewDue(s, now(), renewBeforeMs)) return true;
      const { result } = await post(documentText(CustomerAccessTokenRenewDocument), { input: { refreshToken: s.refreshToken } }, null);
      const payload = (result.data as { customerAccessTokenRenew?: RenewedPayload } | null)?.customerAccessTokenRenew;
      if (payload?.accessToken && payload.refreshToken) {
        await keeper.set(toSession(payload, now()), true);
        return true;
      }
      // The server refused the refresh token (used, expired, revoked): the session is over.
      if (payload && payload.userErrors.length > 0) await keeper.set(null);
      return false;
    }).finally(() => {
      renewing = null;
    });
    return renewing;
  };

  const tokenForRequest = async (): Promise<string | null> => {
    let s = await keeper.session();
    if (s && renewDue(s, now(), renewBeforeMs)) {
      try {
        await renew({ force: false });
      } catch (error) {
        if (!stillValid(s, now())) throw error;
      }
      s = keeper.current();
    }
    return s?.accessToken ?? null;
  };

  return { renew, tokenForRequest };
}

/** Whose token an operation carries: the session's, or none (sign-in, sign-out and renewal carry their tokens in the input). */
export type Bearer = 'session' | 'none';

export type Execute = (query: string, variables: unknown, bearer: Bearer, requestOptions?: RequestOptions) => Promise<Sent['result']>;

/** Runs an operation with the session's token, renewed first when due and once more if the router refuses it. */
export function createExecute(post: Post, keeper: SessionKeeper, renewal: Renewal): Execute {
  return async (query, variables, bearer, requestOptions) => {
    const token = bearer === 'session' ? await renewal.tokenForRequest() : null;
    const sent = await post(query, variables, token, requestOptions);
    // The router refused the token before running anything (expired, or revoked): renew and try once more.
    const refused = sent.status === 401 && sent.result.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
    if (token && refused && (await renewal.renew({ force: true, ifToken: token })) && keeper.current()?.accessToken !== token) {
      return (await post(query, variables, keeper.current()?.accessToken ?? null, requestOptions)).result;
    }
    return sent.result;
  };
}

type LockManager = { request<T>(name: string, callback: () => Promise<T>): Promise<T> };

/** Runs `fn` under a Web Lock where the platform has them (browser tabs sharing a store), directly otherwise. */
function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  return locks ? locks.request(name, fn) : fn();
}
