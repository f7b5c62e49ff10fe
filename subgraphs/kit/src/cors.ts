/**
 * Browser origins, as CORS compares them: `scheme://host[:port]`, lower-case, default port left out.
 * Exact origins only — no paths, no wildcards (`*`, `*.example.com`) and no `null` — so what a
 * storefront or `DCRM_CORS_ORIGINS` lists is exactly what a browser sends in `Origin`.
 */

export const MAX_ALLOWED_ORIGINS = 20;

/** The canonical origin of `value` (`HTTPS://Shop.Example.com:443/` → `https://shop.example.com`), or null when it is not one. */
export function normalizeOrigin(value: string): string | null {
  const text = value.trim();
  if (!/^https?:\/\/[^/?#*\s]+\/?$/i.test(text)) return null;
  try {
    const url = new URL(text);
    if (url.username || url.password || !url.hostname) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** `DCRM_CORS_ORIGINS` (comma-separated): origins allowed for every storefront. Throws on an entry that is not an origin. */
export function envCorsOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  const entries = (env.DCRM_CORS_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    const origin = normalizeOrigin(entry);
    if (!origin) throw new Error(`DCRM_CORS_ORIGINS: "${entry}" is not an origin (scheme://host[:port], no path or wildcard)`);
    return origin;
  });
}
