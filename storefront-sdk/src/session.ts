/**
 * A signed-in customer's tokens. `expiresAt` is when the access token expires, in milliseconds on
 * this device's clock (see {@link localExpiry}); without it or without `refreshToken` the session is
 * never renewed.
 */
export type Session = {
  accessToken: string;
  refreshToken?: string | null;
  expiresAt?: number | null;
};

/**
 * Where the client keeps the session. `get` and `set` may be synchronous (memory, `localStorage`) or
 * asynchronous (React Native's AsyncStorage, a cookie API). The client reads it once and then keeps
 * its own copy, re-reading only before a renewal (another tab may have renewed already).
 */
export type TokenStore = {
  get(): Session | null | Promise<Session | null>;
  set(session: Session | null): void | Promise<void>;
};

/** The default store: the session lives as long as the client object. */
export function memoryTokenStore(initial: Session | null = null): TokenStore {
  let session = initial;
  return {
    get: () => session,
    set: (next) => {
      session = next;
    },
  };
}

/** The part of the Web Storage API a {@link webStorageTokenStore} needs (`localStorage`, `sessionStorage`). */
export type WebStorageLike = {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
};

/**
 * A store in `localStorage` (survives reloads, shared by the site's tabs) or `sessionStorage`, as JSON
 * under `key`. Renewals across tabs are serialized with the Web Locks API where the browser has it.
 */
export function webStorageTokenStore(storage: WebStorageLike, key = 'dcrm.session'): TokenStore {
  return {
    get: () => {
      try {
        const raw = storage.getItem(key);
        const parsed = raw ? (JSON.parse(raw) as Session) : null;
        return parsed && typeof parsed.accessToken === 'string' ? parsed : null;
      } catch {
        return null;
      }
    },
    set: (session) => (session ? storage.setItem(key, JSON.stringify(session)) : storage.removeItem(key)),
  };
}

const base64UrlDecode = (part: string): string => {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
};

/** The claims of a JWT (unverified: only to read `iat`/`exp`), or `null` when the token is not one. */
export function jwtClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(parts[1]));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * When an access token expires on this device's clock. A JWT's lifetime (`exp − iat`) is counted from
 * `receivedAt`, so a device clock that is off does not make the client renew too late or on every
 * request; otherwise the server's `accessTokenExpiresAt` is taken as it is. `null` when neither is known.
 */
export function localExpiry(accessToken: string, accessTokenExpiresAt: string | null | undefined, receivedAt: number): number | null {
  const claims = jwtClaims(accessToken);
  const { iat, exp } = claims ?? {};
  if (typeof iat === 'number' && typeof exp === 'number' && exp > iat) return receivedAt + (exp - iat) * 1000;
  const at = accessTokenExpiresAt ? Date.parse(accessTokenExpiresAt) : Number.NaN;
  return Number.isNaN(at) ? null : at;
}

/** When the client renews: `renewBeforeMs` before expiry; `null` when the session cannot be renewed. */
export function renewAt(session: Session, renewBeforeMs: number): number | null {
  if (!session.refreshToken || session.expiresAt == null) return null;
  return session.expiresAt - renewBeforeMs;
}

/** True when the session should be renewed before the next request. */
export const renewDue = (session: Session | null, now: number, renewBeforeMs: number): boolean => {
  if (!session) return false;
  const at = renewAt(session, renewBeforeMs);
  return at !== null && now >= at;
};

/** True while the access token can still be used (unknown expiry counts as usable). */
export const stillValid = (session: Session, now: number): boolean => session.expiresAt == null || now < session.expiresAt;
