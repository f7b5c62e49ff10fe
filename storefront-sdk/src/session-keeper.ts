import { renewAt, type Session, type TokenStore } from './session.js';

type Listener = (session: Session | null) => void;

export type SessionKeeperDeps = {
  store: TokenStore;
  /** A bearer token given at creation: the session from the start, never renewed. */
  accessToken?: string;
  onSessionChange?: Listener;
  autoRenew: boolean;
  renewBeforeMs: number;
  now: () => number;
  /** The renewal timer fired. */
  renewDue: () => void;
  /** A sign-in or sign-out (not a renewal) changed who the client is. */
  identityChanged: () => void;
};

/** The client's copy of the session: read from the store once, written through to it, announced to listeners. */
export type SessionKeeper = {
  /** The session, read from the store on first use. */
  session(): Promise<Session | null>;
  /** The session as last read or written, without waiting for the store. */
  current(): Session | null;
  /** Re-reads the store (another tab sharing it may have renewed) and returns the newest session. */
  reread(): Promise<Session | null>;
  /** Stores `next` and tells the listeners; `renewal` marks a renewed token for the same customer. */
  set(next: Session | null, renewal?: boolean): Promise<void>;
  onChange(listener: Listener): () => void;
  /** Stops the renewal timer. */
  stop(): void;
};

export function createSessionKeeper(deps: SessionKeeperDeps): SessionKeeper {
  const { store, accessToken } = deps;
  const listeners = new Set<Listener>();
  if (deps.onSessionChange) listeners.add(deps.onSessionChange);
  const timer = renewalTimer(deps);

  // The session as last read or written; the store is read once, then only before a renewal.
  let loaded: Promise<Session | null> | null = accessToken
    ? Promise.resolve(store.set({ accessToken })).then(() => ({ accessToken }))
    : null;
  let current: Session | null = accessToken ? { accessToken } : null;
  const session = (): Promise<Session | null> => {
    loaded ??= Promise.resolve(store.get()).then((s) => {
      current = s;
      timer.schedule(current);
      return s;
    });
    return loaded.then(() => current);
  };

  return {
    session,
    current: () => current,
    async reread() {
      await session();
      const stored = await store.get();
      if (stored && stored.accessToken !== current?.accessToken) {
        current = stored;
        timer.schedule(current);
      }
      return current;
    },
    async set(next, renewal = false) {
      await session();
      current = next;
      await store.set(next);
      timer.schedule(current);
      for (const listener of listeners) listener(next);
      if (!renewal) deps.identityChanged();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop: () => timer.stop(),
  };
}

/** Renews shortly before expiry so an idle signed-in app keeps its session (when `autoRenew`). */
function renewalTimer(deps: Pick<SessionKeeperDeps, 'autoRenew' | 'renewBeforeMs' | 'now' | 'renewDue'>) {
  let timer: unknown = null;
  const stop = () => {
    if (timer !== null) clearTimeout(timer as number);
    timer = null;
  };
  const schedule = (session: Session | null) => {
    stop();
    const at = session && deps.autoRenew ? renewAt(session, deps.renewBeforeMs) : null;
    if (at === null) return;
    timer = setTimeout(
      () => {
        timer = null;
        deps.renewDue();
      },
      Math.min(Math.max(at - deps.now(), 0), 2 ** 31 - 1),
    );
    // A pending renewal must not keep a Node process (a script, a test run) alive.
    (timer as { unref?: () => void }).unref?.();
  };
  return { schedule, stop };
}
