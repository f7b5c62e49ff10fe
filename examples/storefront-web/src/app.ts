import type { Session, StorefrontClient } from '@dcrm/storefront-sdk';
import type { Storefront } from './brand.js';
import type { CartStore } from './cart-store.js';
import type { Formatters } from './money.js';
import type { Query, Route } from './router.js';

/** What every page gets: the SDK client, the brand, money formatting and the cart. */
export type App = Formatters & {
  client: StorefrontClient;
  storefront: Storefront;
  cart: CartStore;
  compare: CompareList;
  navigate(path: string, query?: Query): void;
  session(): Promise<Session | null>;
};

/** A page: renders into a fresh element; `signal` aborts when the shopper navigates away first. */
export type Page = (app: App, route: Route, signal: AbortSignal) => Promise<Node>;

/** Up to three products picked for comparison, kept for the browser session. */
export type CompareList = {
  ids(): string[];
  has(id: string): boolean;
  toggle(id: string): boolean;
  clear(): void;
  onChange(listener: () => void): void;
};

export const COMPARE_MAX = 3;

export function createCompareList(storage: Storage, brand: string): CompareList {
  const key = `dcrm.compare.${brand}`;
  const listeners = new Set<() => void>();
  const read = (): string[] => {
    try {
      return JSON.parse(storage.getItem(key) ?? '[]') as string[];
    } catch {
      return [];
    }
  };
  const write = (ids: string[]) => {
    storage.setItem(key, JSON.stringify(ids));
    for (const listener of listeners) listener();
  };
  return {
    ids: read,
    has: (id) => read().includes(id),
    toggle: (id) => {
      const ids = read();
      if (ids.includes(id)) {
        write(ids.filter((x) => x !== id));
        return false;
      }
      if (ids.length >= COMPARE_MAX) return false;
      write([...ids, id]);
      return true;
    },
    clear: () => write([]),
    onChange: (listener) => {
      listeners.add(listener);
    },
  };
}
