/**
 * Rule-based intent matching: regular expressions and keywords, with slot extraction (a price ceiling,
 * a data allowance, product names, an order number). Pure: no I/O, so every rule has a spec beside it.
 */

export type Intent =
  | { kind: 'help' }
  | { kind: 'greeting' }
  | { kind: 'login'; email: string; password: string }
  | { kind: 'logout' }
  /** The caller gives their registered mobile or email: a lookup with the chatbot's private key. */
  | { kind: 'identify'; mobile: string | null; email: string | null }
  /** Plans at most `maxPrice` (in the storefront's currency) with at least `minDataGb` (null: any; Infinity: unlimited). */
  | { kind: 'findPlans'; maxPrice: number | null; minDataGb: number | null }
  /** Product names as the shopper wrote them, matched against the catalog by {@link matchProduct}. */
  | { kind: 'compare'; products: string[] }
  | { kind: 'addToCart'; product: string }
  | { kind: 'showCart' }
  | { kind: 'myOffers' }
  /** `number` is null when the shopper asked without one (the latest order is meant). */
  | { kind: 'orderStatus'; number: string | null }
  | { kind: 'unknown' };

export const ORDER_NUMBER = /\bDC-\d{4}-\d{6}\b/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const MOBILE = /\+\d[\d ]{7,15}\d/;

const CURRENCY = '(?:€|£|\\$|eur(?:os?)?|gbp|pounds?|quid|bucks)';
// "under 30", "below €25", "less than 19.99 euro", "max 40", "for 20 a month"; never "50GB".
const PRICE_CEILING = new RegExp(
  `\\b(?:under|below|less than|cheaper than|up to|max(?:imum)?|at most|no more than|within|for)\\s*${CURRENCY}?\\s*(\\d+(?:[.,]\\d{1,2})?)(?!\\s*(?:gb|gigs?|mb|tb|g\\b|%|\\d))`,
  'i',
);
const PRICE_BARE = new RegExp(`(?:${CURRENCY}\\s*(\\d+(?:[.,]\\d{1,2})?)|(\\d+(?:[.,]\\d{1,2})?)\\s*${CURRENCY})`, 'i');
const DATA = /\b(\d+(?:\.\d+)?)\s*(gb|gigs?|gigabytes?|tb|mb)\b/i;
const UNLIMITED_DATA = /\bunlimited(?:\s+data)?\b/i;

/** The price ceiling in a message ("under 30", "below €25", "€20"), or null. */
export function priceCeiling(text: string): number | null {
  const m = PRICE_CEILING.exec(text) ?? PRICE_BARE.exec(text);
  if (!m) return null;
  const raw = m[1] ?? m[2];
  return raw ? Number(raw.replace(',', '.')) : null;
}

/** The data allowance asked for, in GB ("50GB", "20 gigs", "1TB"); Infinity for "unlimited"; null when none. */
export function dataAllowance(text: string): number | null {
  const m = DATA.exec(text);
  if (m) {
    const amount = Number(m[1]);
    const unit = m[2].toLowerCase();
    if (unit === 'tb') return amount * 1000;
    if (unit === 'mb') return amount / 1000;
    return amount;
  }
  return UNLIMITED_DATA.test(text) ? Number.POSITIVE_INFINITY : null;
}

const clean = (s: string) =>
  s
    .trim()
    .replace(/^(?:the|a|an)\s+/i, '')
    .replace(/\s+(?:plans?|please|pls)$/i, '')
    .replace(/[?.!]+$/, '')
    .trim();

/** "A and B", "A vs B", "A, B and C" → the names. */
function splitNames(list: string): string[] {
  return list
    .split(/\s*,\s*|\s+(?:and|with|vs\.?|versus|against|to|or)\s+|\s+&\s+/i)
    .map(clean)
    .filter((s) => s.length > 0);
}

/** What the message asks for. The first rule that matches wins; rules are ordered from most to least specific. */
export function matchIntent(input: string): Intent {
  const text = input.trim().replace(/\s+/g, ' ');
  const lower = text.toLowerCase();
  if (!text) return { kind: 'help' };

  const login = /^(?:log ?in|sign ?in)\s+(\S+@\S+)\s+(\S+)\s*$/i.exec(text);
  if (login) return { kind: 'login', email: login[1], password: login[2] };
  if (/^(?:log ?out|sign ?out|forget me)\b/i.test(text)) return { kind: 'logout' };

  const order = ORDER_NUMBER.exec(text);
  if (order) return { kind: 'orderStatus', number: order[0].toUpperCase() };
  if (/\b(?:where(?:'s| is)|track|status of|what happened to)\b.*\border\b|\border status\b/i.test(text))
    return { kind: 'orderStatus', number: null };

  const compare = /^(?:please\s+)?(?:compare|difference between|what(?:'s| is) the difference between)\s+(.+)$/i.exec(text);
  const versus = /^(.+?)\s+(?:vs\.?|versus)\s+(.+)$/i.exec(text);
  if (compare || versus) {
    const products = compare ? splitNames(compare[1]) : [...splitNames(versus![1]), ...splitNames(versus![2])];
    return { kind: 'compare', products };
  }

  const add =
    /^(?:please\s+)?(?:add|buy|order|get me|i(?:'ll| will) take|i want)\s+(?:the\s+|a\s+|an\s+)?(.+?)(?:\s+(?:to|in|into)\s+(?:my\s+|the\s+)?(?:cart|basket|bag))?[.!]*$/i.exec(
      text,
    );
  if (add && !/\b(?:plans?|sims?|tariffs?|deals?)\s+(?:under|below|with|for)\b/i.test(text))
    return { kind: 'addToCart', product: clean(add[1]) };

  if (/\b(?:cart|basket|bag)\b/i.test(lower)) return { kind: 'showCart' };
  if (/\b(?:offers?|deals?|discounts?|coupons?|promos?|promotions?)\b/i.test(lower) && !/\bplans?\b/i.test(lower))
    return { kind: 'myOffers' };

  const maxPrice = priceCeiling(text);
  const minDataGb = dataAllowance(text);
  if (/\b(?:plans?|sims?|tariffs?|bundles? of data|data)\b/i.test(lower) || maxPrice !== null || minDataGb !== null)
    return { kind: 'findPlans', maxPrice, minDataGb };

  const email = EMAIL.exec(text);
  const mobile = MOBILE.exec(text);
  if (mobile || email) return { kind: 'identify', mobile: mobile ? mobile[0].replace(/ /g, '') : null, email: email ? email[0] : null };

  if (/^(?:hi|hello|hey|good (?:morning|afternoon|evening))\b/i.test(text)) return { kind: 'greeting' };
  if (/\b(?:help|what can you do|menu|options)\b/i.test(lower)) return { kind: 'help' };
  return { kind: 'unknown' };
}

// ── Fuzzy product matching ───────────────────────────────────────────────────────────────────────

export type CatalogEntry = { id: string; slug: string; name: string };

const STOPWORDS = new Set(['the', 'a', 'an', 'plan', 'one', 'my', 'please']);

/** Lower-case words, with "50 GB" joined to "50gb" so it meets a product's "50GB". */
export const tokens = (s: string): string[] =>
  s
    .toLowerCase()
    .replace(/(\d)\s+(gb|mb|tb|g)\b/g, '$1$2')
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);

/** Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length];
}

const tokenScore = (q: string, p: string): number => {
  if (q === p) return 1;
  if (q.length >= 3 && p.startsWith(q)) return 0.8;
  // One typo in a word of 4+ letters ("unlimted"); never across numbers ("50gb" is not "5gb").
  if (q.length >= 4 && !/\d/.test(q) && editDistance(q, p, 1) <= 1) return 0.7;
  return 0;
};

/**
 * The catalog entry a shopper's phrase means, or null: an exact slug or name wins; otherwise the share
 * of the phrase's words found in the name (exactly, as a prefix, or with one typo), ties going to the
 * entry with the fewest other words ("unlimited" is "Volt Unlimited 5G", not "Volt Unlimited 5G Max").
 */
export function matchProduct<T extends CatalogEntry>(phrase: string, catalog: readonly T[]): T | null {
  const wanted = phrase.trim().toLowerCase();
  const exact = catalog.find((p) => p.slug === wanted || p.name.toLowerCase() === wanted);
  if (exact) return exact;
  const query = tokens(phrase).filter((t) => !STOPWORDS.has(t));
  if (query.length === 0) return null;
  let best: { entry: T; score: number; coverage: number } | null = null;
  for (const entry of catalog) {
    const words = [...new Set([...tokens(entry.name), ...tokens(entry.slug)])];
    let sum = 0;
    const used = new Set<string>();
    for (const q of query) {
      let top = 0;
      let topWord = '';
      for (const w of words) {
        const s = tokenScore(q, w);
        if (s > top) [top, topWord] = [s, w];
      }
      sum += top;
      if (topWord) used.add(topWord);
    }
    const score = sum / query.length;
    const coverage = used.size / tokens(entry.name).length;
    if (score > (best?.score ?? 0) || (best && score === best.score && coverage > best.coverage)) best = { entry, score, coverage };
  }
  return best && best.score >= 0.6 ? best.entry : null;
}
