import type { BrandKey, SeedAttribute, SeedPrice, SeedProduct } from './demo-data.js';
import { CATEGORIES, PRODUCTS } from './demo-data.js';

type Kind = SeedProduct['kind'];
type Rng = () => number;

/** mulberry32: tiny, fast, seedable 32-bit PRNG returning floats in [0, 1). */
function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

// ---------------------------------------------------------------------------------------------------------------
// Categories: leaf categories from the demo tree, grouped by the product kind they hold.

const LEAF_SLUGS_BY_KIND: Record<Kind, readonly string[]> = {
  PLAN: ['sim-only-plans', 'prepaid-plans', 'broadband-plans'],
  ADDON: ['mobile-addons', 'home-addons', 'tv-addons'],
  DEVICE: ['phones', 'tablets', 'routers'],
  BUNDLE: ['mobile-bundles', 'home-bundles'],
};

const LEAF_CATEGORIES: Record<Kind, string[]> = (() => {
  const parents = new Set(CATEGORIES.map((c) => c.parent).filter((p): p is string => p !== null));
  const leaves = new Set(CATEGORIES.filter((c) => c.parent !== null && !parents.has(c.slug)).map((c) => c.slug));
  const out = {} as Record<Kind, string[]>;
  for (const kind of Object.keys(LEAF_SLUGS_BY_KIND) as Kind[]) {
    out[kind] = LEAF_SLUGS_BY_KIND[kind].filter((slug) => leaves.has(slug));
    if (out[kind].length === 0) throw new Error(`generateProducts: no leaf category for kind ${kind}`);
  }
  return out;
})();

const DEMO_ADDONS = PRODUCTS.filter((p) => p.kind === 'ADDON');

/** Demo ADDON slugs available in every storefront of the key ('volt', 'nimbus', 'volt+nimbus'). */
const ADDON_POOLS: Record<string, string[]> = {};
for (const storefronts of [['volt'], ['nimbus'], ['volt', 'nimbus']] as BrandKey[][]) {
  const sold = DEMO_ADDONS.filter((addon) => storefronts.every((s) => addon.storefronts.includes(s)));
  ADDON_POOLS[storefronts.join('+')] = sold.map((addon) => addon.slug);
}

// ---------------------------------------------------------------------------------------------------------------
// Word lists.

const BRAND_NAMES: Record<BrandKey, string> = { volt: 'Volt', nimbus: 'Nimbus' };
const PLAN_TIERS = ['Unlimited', 'Flex', 'Essentials', 'Max', 'Smart', 'Family', 'Student', 'Lite'] as const;
const DATA_SIZES = [1, 3, 5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200] as const;
const SPEEDS = [36, 75, 100, 150, 300, 500, 900, 1000, 1600, 2000] as const;
const MOBILE_ADDON_NOUNS = ['Data Boost', 'Roaming Pass', 'Call Pack', 'Cloud Backup'] as const;
const HOME_ADDON_NOUNS = ['Wi-Fi Extender', 'Static IP', 'Home Phone', 'Security Suite'] as const;
const TV_GENRES = ['Sports', 'Movies', 'Kids', 'Entertainment', 'Docs', 'World'] as const;
const ROAMING_ZONES = ['Europe', 'World', 'USA & Canada', 'Asia Pacific'] as const;
const DEVICE_MAKERS = ['Aurora', 'Galaxia', 'Pixelite', 'Nova', 'Orbit', 'Zephyr'] as const;
const PHONE_LINES = ['X', 'S', 'A', 'Fold', 'Lite', 'Pro'] as const;
const TABLET_LINES = ['Tab', 'Pad', 'Tab Pro'] as const;
const ROUTER_LINES = ['Hub', 'Mesh', 'Home 5G', 'Wi-Fi 7'] as const;
const COLOURS = ['Black', 'White', 'Silver', 'Blue', 'Green', 'Lavender', 'Graphite', 'Gold', 'Red'] as const;
const STORAGE = [64, 128, 256, 512, 1024] as const;
const BUNDLE_NOUNS = ['Family Bundle', 'Home & Mobile', 'Phone + Plan', 'Fibre + TV', 'Starter Pack'] as const;

const KIND_NOUNS: Record<Kind, string> = { PLAN: 'plan', ADDON: 'add-on', DEVICE: 'device', BUNDLE: 'bundle' };
const OPENERS = ['Great value', 'Flexible', 'Award-winning', 'Simple', 'Premium', 'Family-friendly', 'No-nonsense', 'Fast'] as const;
const FEATURES = [
  'unlimited calls and texts',
  'free EU roaming',
  '5G network access',
  'full fibre speeds',
  'parental controls',
  'HD and 4K streaming',
  'a 30-day money-back guarantee',
  'worldwide roaming',
  'mesh Wi-Fi coverage',
  'no credit check',
] as const;
const AUDIENCES = [
  'for families',
  'for students',
  'for gamers',
  'for home workers',
  'for frequent travellers',
  'for streamers',
  'for light users',
] as const;

// ---------------------------------------------------------------------------------------------------------------
// Prices: bands in the storefront currency, weighted per kind so results span every price band.

const BANDS: readonly (readonly [number, number])[] = [
  [2, 9],
  [10, 24],
  [25, 49],
  [50, 99],
  [100, 1499],
];
const BAND_WEIGHTS: Record<Kind, readonly number[]> = {
  PLAN: [0.2, 0.35, 0.3, 0.1, 0.05],
  ADDON: [0.45, 0.35, 0.15, 0.05, 0],
  DEVICE: [0.02, 0.08, 0.15, 0.2, 0.55],
  BUNDLE: [0, 0.1, 0.35, 0.4, 0.15],
};
const CENTS = ['.00', '.49', '.50', '.99'] as const;

function amountInBand(rng: Rng, kind: Kind): number {
  const weights = BAND_WEIGHTS[kind];
  let r = rng();
  let band = BANDS.length - 1;
  for (let i = 0; i < weights.length; i++) {
    if (r < weights[i]) {
      band = i;
      break;
    }
    r -= weights[i];
  }
  const [min, max] = BANDS[band];
  return intBetween(rng, min, max);
}

function money(whole: number, rng: Rng): string {
  return `${whole}${pick(rng, CENTS)}`;
}

/** Categories whose products are sometimes sold as one-off purchases (prepaid bundles, passes, boosters). */
const ONE_OFF_CATEGORIES = new Set(['prepaid-plans', 'mobile-addons']);

function priceFor(rng: Rng, kind: Kind, category: string, whole: number): SeedPrice {
  const taxCategory = rng() < 0.9 ? 'STANDARD' : 'REDUCED';
  const amount = money(whole, rng);
  switch (kind) {
    case 'PLAN':
    case 'ADDON':
      return ONE_OFF_CATEGORIES.has(category) && rng() < 0.6
        ? { oneOff: amount, taxCategory }
        : { recurring: amount, interval: 'MONTH', taxCategory };
    case 'DEVICE': {
      const price: SeedPrice = { oneOff: amount, taxCategory };
      if (whole >= 100 && rng() < 0.5) {
        price.recurring = (Math.ceil((whole / 24) * 100) / 100).toFixed(2);
        price.interval = 'MONTH';
        if (rng() < 0.5) price.deposit = money(intBetween(rng, 1, 15) * 10 - 1, rng);
      }
      return price;
    }
    case 'BUNDLE': {
      const price: SeedPrice = { recurring: amount, interval: 'MONTH', taxCategory };
      if (rng() < 0.4) price.oneOff = money(intBetween(rng, 1, 20) * 10 - 1, rng);
      return price;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

function pickKind(rng: Rng): Kind {
  const r = rng();
  if (r < 0.4) return 'PLAN';
  if (r < 0.65) return 'ADDON';
  if (r < 0.9) return 'DEVICE';
  return 'BUNDLE';
}

function pickStorefronts(rng: Rng): BrandKey[] {
  const r = rng();
  if (r < 0.5) return ['volt'];
  if (r < 0.8) return ['nimbus'];
  return ['volt', 'nimbus'];
}

function dataAttr(gb: number | 'Unlimited'): SeedAttribute {
  return gb === 'Unlimited'
    ? { key: 'data', label: 'Data', value: 'Unlimited' }
    : { key: 'data', label: 'Data', value: String(gb), unit: 'GB' };
}

function contractAttr(months: number): SeedAttribute {
  return { key: 'contract', label: 'Contract length', value: String(months), unit: 'months' };
}

function networkAttr(value: string): SeedAttribute {
  return { key: 'network', label: 'Network', value };
}

type Shape = { name: string; attributes: SeedAttribute[] };

function describePlan(rng: Rng, brand: string, category: string): Shape {
  if (category === 'broadband-plans') {
    const down = pick(rng, SPEEDS);
    const up = Math.max(10, Math.round(down / pick(rng, [1, 5, 8, 10])));
    return {
      name: `${brand} Fibre ${down}`,
      attributes: [
        { key: 'downloadSpeed', label: 'Download speed', value: String(down), unit: 'Mbps' },
        { key: 'uploadSpeed', label: 'Upload speed', value: String(up), unit: 'Mbps' },
        contractAttr(pick(rng, [1, 12, 18, 24])),
      ],
    };
  }
  const tier = pick(rng, PLAN_TIERS);
  const network = rng() < 0.7 ? '5G' : '4G';
  const gb = tier === 'Unlimited' ? 'Unlimited' : pick(rng, DATA_SIZES);
  const prepaid = category === 'prepaid-plans';
  const attributes: SeedAttribute[] = [
    dataAttr(gb),
    { key: 'minutes', label: 'Minutes', value: rng() < 0.7 ? 'Unlimited' : String(pick(rng, [100, 300, 500])) },
    { key: 'sms', label: 'Texts', value: rng() < 0.8 ? 'Unlimited' : String(pick(rng, [100, 500])) },
    networkAttr(network),
    { key: 'validity', label: 'Validity', value: '30', unit: 'days' },
  ];
  if (!prepaid) attributes.push(contractAttr(pick(rng, [1, 12, 24])));
  const size = gb === 'Unlimited' ? '' : ` ${gb}GB`;
  return { name: `${brand}${prepaid ? ' Prepaid' : ''} ${tier} ${network}${size}`, attributes };
}

function describeAddon(rng: Rng, brand: string, category: string): Shape {
  if (category === 'tv-addons') {
    const channels = intBetween(rng, 4, 200);
    return {
      name: `${brand} TV ${pick(rng, TV_GENRES)} ${channels}`,
      attributes: [{ key: 'channels', label: 'Channels', value: String(channels) }, contractAttr(pick(rng, [1, 12]))],
    };
  }
  const noun = pick(rng, category === 'home-addons' ? HOME_ADDON_NOUNS : MOBILE_ADDON_NOUNS);
  const attributes: SeedAttribute[] = [];
  if (noun === 'Roaming Pass') {
    attributes.push({ key: 'roamingZone', label: 'Roaming zone', value: pick(rng, ROAMING_ZONES) });
  }
  if (noun === 'Data Boost' || noun === 'Roaming Pass') attributes.push(dataAttr(pick(rng, DATA_SIZES)));
  if (noun === 'Call Pack' || noun === 'Home Phone') {
    attributes.push({ key: 'minutes', label: 'Minutes', value: pick(rng, ['100', '200', '500', 'Unlimited']) });
  }
  if (category === 'home-addons') attributes.push(contractAttr(pick(rng, [1, 12])));
  else attributes.push({ key: 'validity', label: 'Validity', value: String(pick(rng, [7, 30])), unit: 'days' });
  return { name: `${brand} ${noun} ${intBetween(rng, 1, 99)}`, attributes };
}

function describeDevice(rng: Rng, category: string): Shape {
  const maker = pick(rng, DEVICE_MAKERS);
  const colour = pick(rng, COLOURS);
  if (category === 'routers') {
    return {
      name: `${maker} ${pick(rng, ROUTER_LINES)} Router ${intBetween(rng, 1, 9)}`,
      attributes: [
        { key: 'downloadSpeed', label: 'Download speed', value: String(pick(rng, SPEEDS)), unit: 'Mbps' },
        { key: 'colour', label: 'Colour', value: colour },
      ],
    };
  }
  const tablet = category === 'tablets';
  const line = pick(rng, tablet ? TABLET_LINES : PHONE_LINES);
  const storage = pick(rng, STORAGE);
  const screen = tablet ? pick(rng, [8.7, 10.9, 11, 12.4, 13]) : pick(rng, [6.1, 6.3, 6.5, 6.7, 6.9]);
  const network = rng() < 0.75 ? '5G' : '4G';
  return {
    name: `${maker} ${line} ${intBetween(rng, 1, 30)} ${storage}GB`,
    attributes: [
      { key: 'storage', label: 'Storage', value: String(storage), unit: 'GB' },
      { key: 'screen', label: 'Screen size', value: String(screen), unit: 'in' },
      { key: 'colour', label: 'Colour', value: colour },
      networkAttr(network),
    ],
  };
}

function describeBundle(rng: Rng, brand: string): Shape {
  const gb = rng() < 0.4 ? 'Unlimited' : pick(rng, DATA_SIZES);
  return {
    name: `${brand} ${pick(rng, BUNDLE_NOUNS)} ${gb === 'Unlimited' ? 'Unlimited' : `${gb}GB`}`,
    attributes: [dataAttr(gb), networkAttr('5G'), contractAttr(pick(rng, [12, 18, 24]))],
  };
}

/** 0-3 distinct demo add-ons sold in every storefront that carries the product. */
function pickAddons(rng: Rng, storefronts: BrandKey[]): string[] {
  const pool = ADDON_POOLS[storefronts.join('+')];
  const n = Math.min(intBetween(rng, 0, 3), pool.length);
  const chosen = new Set<string>();
  while (chosen.size < n) chosen.add(pick(rng, pool));
  return [...chosen];
}

/** Deterministic synthetic catalog for benchmarks: `count` extra products spread over both brands. */
export function generateProducts(count: number, seed = 0x5eed): SeedProduct[] {
  const rng = mulberry32(seed);
  const out: SeedProduct[] = [];
  for (let i = 0; i < count; i++) {
    const kind = pickKind(rng);
    const category = pick(rng, LEAF_CATEGORIES[kind]);
    const storefronts = pickStorefronts(rng);
    const brand = BRAND_NAMES[storefronts[0]];
    const slug = `gen-${kind.toLowerCase()}-${String(i).padStart(6, '0')}`;

    let shape: Shape;
    switch (kind) {
      case 'PLAN':
        shape = describePlan(rng, brand, category);
        break;
      case 'ADDON':
        shape = describeAddon(rng, brand, category);
        break;
      case 'DEVICE':
        shape = describeDevice(rng, category);
        break;
      case 'BUNDLE':
        shape = describeBundle(rng, brand);
        break;
    }

    const description =
      `${pick(rng, OPENERS)} ${KIND_NOUNS[kind]} ${pick(rng, AUDIENCES)}, with ${pick(rng, FEATURES)} ` + `and ${pick(rng, FEATURES)}.`;

    // Same base amount for every storefront, converted and nudged so EUR and GBP prices differ.
    const whole = amountInBand(rng, kind);
    const prices: SeedProduct['prices'] = {};
    for (const key of storefronts) {
      const converted = key === 'nimbus' && storefronts.length > 1 ? Math.max(1, Math.round(whole * 0.86)) : whole;
      prices[key] = priceFor(rng, kind, category, converted);
    }

    const product: SeedProduct = {
      slug,
      name: shape.name,
      kind,
      category,
      description,
      attributes: shape.attributes,
      images: [{ url: `https://cdn.example.com/products/${slug}/1.webp`, altText: shape.name }],
      storefronts,
      prices,
    };
    if (kind !== 'ADDON') {
      const addons = pickAddons(rng, storefronts);
      if (addons.length > 0) product.addons = addons;
    }
    out.push(product);
  }
  return out;
}
