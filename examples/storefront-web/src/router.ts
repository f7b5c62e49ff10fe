/** The page being shown: `#/product/volt-sim-20gb?x=1` → path `/product/volt-sim-20gb`, `params.slug`, `query`. */
export type Route = {
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
};

export type Query = Record<string, string | number | null | undefined | false>;

/** The hash for a path and query; the page's `?key=` stays in `location.search`, so links keep the brand. */
export function href(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== false && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

export function navigate(path: string, query: Query = {}): void {
  location.hash = href(path, query);
}

const parseHash = (hash: string): { path: string; query: URLSearchParams } => {
  const raw = hash.replace(/^#/, '') || '/';
  const at = raw.indexOf('?');
  const path = at === -1 ? raw : raw.slice(0, at);
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(at === -1 ? '' : raw.slice(at + 1)) };
};

/** Matches `/product/:slug`-style patterns; the first route that matches wins. */
export function match<T>(routes: ReadonlyArray<readonly [pattern: string, handler: T]>, hash: string): { route: Route; handler: T } | null {
  const { path, query } = parseHash(hash);
  const parts = path.split('/').filter(Boolean);
  for (const [pattern, handler] of routes) {
    const wanted = pattern.split('/').filter(Boolean);
    if (wanted.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = wanted.every((w, i) => {
      if (w.startsWith(':')) {
        params[w.slice(1)] = decodeURIComponent(parts[i]);
        return true;
      }
      return w === parts[i];
    });
    if (ok) return { route: { path, params, query }, handler };
  }
  return null;
}
