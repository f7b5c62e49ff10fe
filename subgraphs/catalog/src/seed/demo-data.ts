/**
 * Demo catalog for two white-label brands sharing one dcrm tenant:
 * - `volt`: "Volt Mobile", an Irish mobile operator (EUR, dark/electric theme).
 * - `nimbus`: "Nimbus Home", a UK broadband and TV provider (GBP, soft/light theme).
 *
 * Assortments overlap on a handful of items (a SIM-only plan, flagship phones, 5G home broadband,
 * insurance and roaming add-ons) so storefront scoping and per-brand pricing can be exercised.
 */

export type BrandKey = 'volt' | 'nimbus';

export type SeedTheme = {
  primaryColor: string;
  secondaryColor: string;
  accentColor: string;
  logoUrl: string;
  fontFamily: string;
};

export type SeedStorefront = {
  key: BrandKey;
  slug: string;
  name: string;
  currencyCode: string;
  locale: string;
  /** IANA zone of the brand's calendar (spend budgets' periods). */
  timeZone: string;
  theme: SeedTheme;
};

export type SeedCategory = { slug: string; name: string; parent: string | null };

export type SeedAttribute = { key: string; label: string; value: string; unit?: string };

export type SeedPrice = {
  recurring?: string;
  oneOff?: string;
  interval?: 'MONTH' | 'YEAR';
  deposit?: string;
  taxCategory?: 'STANDARD' | 'REDUCED' | 'ZERO' | 'EXEMPT';
};

export type SeedProduct = {
  slug: string;
  name: string;
  kind: 'PLAN' | 'ADDON' | 'DEVICE' | 'BUNDLE';
  /** Category slug. */
  category: string;
  description: string;
  attributes: SeedAttribute[];
  images: { url: string; altText: string }[];
  storefronts: BrandKey[];
  prices: Partial<Record<BrandKey, SeedPrice>>;
  /** Slugs of compatible ADDON products (for PLAN/BUNDLE/DEVICE). */
  addons?: string[];
  /** Slugs of component products (BUNDLE only). */
  bundleItems?: string[];
};

export type SeedStore = {
  brand: BrandKey;
  name: string;
  line1: string;
  city: string;
  postcode: string;
  country: string;
  lat: number;
  lng: number;
  phone: string;
  openingHours: string;
};

/** The storefront example's Vite dev and preview servers: the demo brands let them call the API directly (CORS). */
export const DEMO_WEB_ORIGINS = ['http://localhost:5173', 'http://localhost:4173'];

export const STOREFRONTS: SeedStorefront[] = [
  {
    key: 'volt',
    slug: 'volt',
    name: 'Volt Mobile',
    currencyCode: 'EUR',
    locale: 'en-IE',
    timeZone: 'Europe/Dublin',
    theme: {
      primaryColor: '#0b0f1a',
      secondaryColor: '#1e2a44',
      accentColor: '#f5e400',
      logoUrl: 'https://cdn.example.com/brands/volt/logo.svg',
      fontFamily: 'Space Grotesk, system-ui, sans-serif',
    },
  },
  {
    key: 'nimbus',
    slug: 'nimbus',
    name: 'Nimbus Home',
    currencyCode: 'GBP',
    locale: 'en-GB',
    timeZone: 'Europe/London',
    theme: {
      primaryColor: '#5b8def',
      secondaryColor: '#f4f7fc',
      accentColor: '#ffb38a',
      logoUrl: 'https://cdn.example.com/brands/nimbus/logo.svg',
      fontFamily: 'Nunito, Helvetica Neue, Arial, sans-serif',
    },
  },
];

export const CATEGORIES: SeedCategory[] = [
  { slug: 'mobile', name: 'Mobile', parent: null },
  { slug: 'sim-only-plans', name: 'SIM-only plans', parent: 'mobile' },
  { slug: 'prepaid-plans', name: 'Prepaid plans', parent: 'mobile' },
  { slug: 'phones', name: 'Phones', parent: 'mobile' },
  { slug: 'tablets', name: 'Tablets', parent: 'mobile' },
  { slug: 'mobile-addons', name: 'Mobile add-ons', parent: 'mobile' },
  { slug: 'mobile-bundles', name: 'Phone and plan bundles', parent: 'mobile' },
  { slug: 'home', name: 'Home', parent: null },
  { slug: 'broadband-plans', name: 'Broadband plans', parent: 'home' },
  { slug: 'routers', name: 'Routers and Wi-Fi', parent: 'home' },
  { slug: 'home-addons', name: 'Broadband add-ons', parent: 'home' },
  { slug: 'tv-addons', name: 'TV packs', parent: 'home' },
  { slug: 'home-bundles', name: 'Home bundles', parent: 'home' },
];

// ---------------------------------------------------------------------------------------------------------------
// Small builders keep attribute keys, labels and units consistent across products.

const attr = {
  data: (gb: number | 'Unlimited'): SeedAttribute =>
    gb === 'Unlimited' ? { key: 'data', label: 'Data', value: 'Unlimited' } : { key: 'data', label: 'Data', value: String(gb), unit: 'GB' },
  minutes: (value: string): SeedAttribute => ({ key: 'minutes', label: 'Minutes', value }),
  sms: (value: string): SeedAttribute => ({ key: 'sms', label: 'Texts', value }),
  validity: (days: number): SeedAttribute => ({
    key: 'validity',
    label: 'Validity',
    value: String(days),
    unit: 'days',
  }),
  network: (value: '5G' | '4G'): SeedAttribute => ({ key: 'network', label: 'Network', value }),
  contract: (months: number): SeedAttribute => ({
    key: 'contract',
    label: 'Contract length',
    value: String(months),
    unit: 'months',
  }),
  downloadSpeed: (mbps: number): SeedAttribute => ({
    key: 'downloadSpeed',
    label: 'Download speed',
    value: String(mbps),
    unit: 'Mbps',
  }),
  uploadSpeed: (mbps: number): SeedAttribute => ({
    key: 'uploadSpeed',
    label: 'Upload speed',
    value: String(mbps),
    unit: 'Mbps',
  }),
  storage: (gb: number): SeedAttribute => ({ key: 'storage', label: 'Storage', value: String(gb), unit: 'GB' }),
  screen: (inches: number): SeedAttribute => ({
    key: 'screen',
    label: 'Screen size',
    value: String(inches),
    unit: 'in',
  }),
  colour: (value: string): SeedAttribute => ({ key: 'colour', label: 'Colour', value }),
  channels: (count: number): SeedAttribute => ({ key: 'channels', label: 'Channels', value: String(count) }),
  roamingZone: (value: string): SeedAttribute => ({ key: 'roamingZone', label: 'Roaming zone', value }),
};

function images(slug: string, altText: string, count = 1): SeedProduct['images'] {
  const out: SeedProduct['images'] = [];
  for (let n = 1; n <= count; n++) {
    out.push({
      url: `https://cdn.example.com/products/${slug}/${n}.webp`,
      altText: n === 1 ? altText : `${altText}, view ${n}`,
    });
  }
  return out;
}

type PriceExtras = Pick<SeedPrice, 'deposit' | 'taxCategory' | 'oneOff'>;

/** Monthly recurring charge. */
function monthly(amount: string, extras: PriceExtras = {}): SeedPrice {
  return { recurring: amount, interval: 'MONTH', taxCategory: 'STANDARD', ...extras };
}

/** One-off charge (devices, prepaid top-ups, passes). */
function once(amount: string, extras: Omit<SeedPrice, 'oneOff'> = {}): SeedPrice {
  return { oneOff: amount, taxCategory: 'STANDARD', ...extras };
}

/** Device sold outright or on monthly instalments with an upfront deposit. */
function instalments(outright: string, perMonth: string, deposit?: string): SeedPrice {
  const price: SeedPrice = { oneOff: outright, recurring: perMonth, interval: 'MONTH', taxCategory: 'STANDARD' };
  if (deposit) price.deposit = deposit;
  return price;
}

// ---------------------------------------------------------------------------------------------------------------

const PLANS: SeedProduct[] = [
  // SIM-only (Volt, plus one shared with Nimbus)
  {
    slug: 'volt-sim-5gb',
    name: 'Volt Essentials 5GB',
    kind: 'PLAN',
    category: 'sim-only-plans',
    description: 'A low-cost SIM-only plan with 5GB of 4G data and unlimited calls and texts. Ideal as a second line.',
    attributes: [attr.data(5), attr.minutes('Unlimited'), attr.sms('Unlimited'), attr.network('4G'), attr.validity(30), attr.contract(12)],
    images: images('volt-sim-5gb', 'Volt Essentials 5GB SIM card'),
    storefronts: ['volt'],
    prices: { volt: monthly('9.99') },
    addons: ['data-boost-5gb', 'eu-roaming-pass', 'international-minutes-200'],
  },
  {
    slug: 'volt-sim-20gb',
    name: 'Volt Flex 5G 20GB',
    kind: 'PLAN',
    category: 'sim-only-plans',
    description: 'SIM-only plan with 20GB of 5G data, unlimited minutes and texts, and free EU roaming.',
    attributes: [attr.data(20), attr.minutes('Unlimited'), attr.sms('Unlimited'), attr.network('5G'), attr.validity(30), attr.contract(12)],
    images: images('volt-sim-20gb', 'Volt Flex 5G 20GB SIM card'),
    storefronts: ['volt'],
    prices: { volt: monthly('14.99') },
    addons: ['data-boost-5gb', 'data-boost-20gb', 'eu-roaming-pass', 'international-minutes-200'],
  },
  {
    slug: 'volt-sim-50gb',
    name: 'Volt Flex 5G 50GB',
    kind: 'PLAN',
    category: 'sim-only-plans',
    description: 'Plenty of 5G data for streaming on the go: 50GB with unlimited calls, texts and EU roaming.',
    attributes: [attr.data(50), attr.minutes('Unlimited'), attr.sms('Unlimited'), attr.network('5G'), attr.validity(30), attr.contract(24)],
    images: images('volt-sim-50gb', 'Volt Flex 5G 50GB SIM card'),
    storefronts: ['volt'],
    prices: { volt: monthly('19.99') },
    addons: ['data-boost-20gb', 'eu-roaming-pass', 'usa-roaming-pass', 'device-insurance'],
  },
  {
    slug: 'volt-sim-100gb',
    name: 'Volt Flex 5G 100GB',
    kind: 'PLAN',
    category: 'sim-only-plans',
    description: 'A 100GB 5G SIM-only plan for heavy users, with unlimited minutes and texts and hotspot included.',
    attributes: [
      attr.data(100),
      attr.minutes('Unlimited'),
      attr.sms('Unlimited'),
      attr.network('5G'),
      attr.validity(30),
      attr.contract(24),
    ],
    images: images('volt-sim-100gb', 'Volt Flex 5G 100GB SIM card'),
    storefronts: ['volt'],
    prices: { volt: monthly('24.99') },
    addons: ['data-boost-20gb', 'eu-roaming-pass', 'world-roaming-pass', 'device-insurance'],
  },
  {
    slug: 'volt-sim-unlimited',
    name: 'Volt Unlimited 5G',
    kind: 'PLAN',
    category: 'sim-only-plans',
    description: 'Truly unlimited 5G data, calls and texts on a SIM-only plan. Stream, game and tether without limits.',
    attributes: [
      attr.data('Unlimited'),
      attr.minutes('Unlimited'),
      attr.sms('Unlimited'),
      attr.network('5G'),
      attr.validity(30),
      attr.contract(24),
    ],
    images: images('volt-sim-unlimited', 'Volt Unlimited 5G SIM card', 2),
    storefronts: ['volt'],
    prices: { volt: monthly('29.99') },
    addons: ['eu-roaming-pass', 'world-roaming-pass', 'usa-roaming-pass', 'international-minutes-200', 'device-insurance'],
  },
  {
    slug: 'volt-sim-unlimited-max',
    name: 'Volt Unlimited 5G Max',
    kind: 'PLAN',
    category: 'sim-only-plans',
    description: 'Unlimited 5G data with priority network access and worldwide roaming in 60 destinations. Our premium plan.',
    attributes: [
      attr.data('Unlimited'),
      attr.minutes('Unlimited'),
      attr.sms('Unlimited'),
      attr.network('5G'),
      attr.validity(30),
      attr.contract(24),
      attr.roamingZone('World'),
    ],
    images: images('volt-sim-unlimited-max', 'Volt Unlimited 5G Max SIM card', 2),
    storefronts: ['volt'],
    prices: { volt: monthly('39.99') },
    addons: ['international-minutes-200', 'device-insurance', 'extra-sim'],
  },
  {
    slug: 'volt-family-unlimited',
    name: 'Volt Family Unlimited 5G',
    kind: 'PLAN',
    category: 'sim-only-plans',
    description: 'One family plan with four SIMs, each with unlimited 5G data, calls and texts, and parental controls.',
    attributes: [
      attr.data('Unlimited'),
      attr.minutes('Unlimited'),
      attr.sms('Unlimited'),
      attr.network('5G'),
      attr.validity(30),
      attr.contract(24),
    ],
    images: images('volt-family-unlimited', 'Four Volt family SIM cards'),
    storefronts: ['volt'],
    prices: { volt: monthly('59.99') },
    addons: ['extra-sim', 'eu-roaming-pass', 'device-insurance'],
  },
  {
    slug: 'sim-only-30gb-5g',
    name: 'SIM Only 5G 30GB',
    kind: 'PLAN',
    category: 'sim-only-plans',
    description: 'A simple 30-day rolling SIM-only plan with 30GB of 5G data and unlimited calls. Cancel any time.',
    attributes: [attr.data(30), attr.minutes('Unlimited'), attr.sms('Unlimited'), attr.network('5G'), attr.validity(30), attr.contract(1)],
    images: images('sim-only-30gb-5g', 'SIM Only 5G 30GB SIM card'),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: monthly('17.99'), nimbus: monthly('12.00') },
    addons: ['eu-roaming-pass', 'device-insurance', 'data-boost-5gb'],
  },
  // Prepaid (Volt)
  {
    slug: 'volt-prepaid-starter',
    name: 'Volt Prepaid Starter 2GB',
    kind: 'PLAN',
    category: 'prepaid-plans',
    description: 'Pay as you go starter pack with 2GB of data and 100 minutes for 30 days. No contract needed.',
    attributes: [attr.data(2), attr.minutes('100'), attr.sms('100'), attr.network('4G'), attr.validity(30)],
    images: images('volt-prepaid-starter', 'Volt Prepaid Starter pack'),
    storefronts: ['volt'],
    prices: { volt: once('5.00') },
    addons: ['data-boost-5gb', 'international-minutes-200'],
  },
  {
    slug: 'volt-prepaid-10',
    name: 'Volt Prepaid 10GB',
    kind: 'PLAN',
    category: 'prepaid-plans',
    description: 'Prepaid 30-day bundle with 10GB of data and unlimited calls and texts to Irish numbers.',
    attributes: [attr.data(10), attr.minutes('Unlimited'), attr.sms('Unlimited'), attr.network('4G'), attr.validity(30)],
    images: images('volt-prepaid-10', 'Volt Prepaid 10GB top-up card'),
    storefronts: ['volt'],
    prices: { volt: once('10.00') },
    addons: ['data-boost-5gb', 'eu-roaming-pass'],
  },
  {
    slug: 'volt-prepaid-25',
    name: 'Volt Prepaid 5G 25GB',
    kind: 'PLAN',
    category: 'prepaid-plans',
    description: 'Prepaid 5G bundle with 25GB of data, unlimited calls and texts, valid for 30 days with no contract.',
    attributes: [attr.data(25), attr.minutes('Unlimited'), attr.sms('Unlimited'), attr.network('5G'), attr.validity(30)],
    images: images('volt-prepaid-25', 'Volt Prepaid 5G 25GB top-up card'),
    storefronts: ['volt'],
    prices: { volt: once('15.00') },
    addons: ['data-boost-5gb', 'data-boost-20gb', 'eu-roaming-pass'],
  },
  {
    slug: 'volt-prepaid-data-50',
    name: 'Volt Prepaid Data 50GB',
    kind: 'PLAN',
    category: 'prepaid-plans',
    description: 'Data-only prepaid SIM with 50GB of 5G data for tablets, laptops and mobile hotspots.',
    attributes: [attr.data(50), attr.minutes('0'), attr.sms('0'), attr.network('5G'), attr.validity(30)],
    images: images('volt-prepaid-data-50', 'Volt Prepaid Data 50GB SIM'),
    storefronts: ['volt'],
    prices: { volt: once('20.00') },
    addons: ['data-boost-20gb', 'eu-roaming-pass'],
  },
  {
    slug: 'volt-prepaid-unlimited',
    name: 'Volt Prepaid Unlimited 5G',
    kind: 'PLAN',
    category: 'prepaid-plans',
    description: 'Unlimited 5G data, calls and texts on prepaid for 30 days. Top up when you like, no contract.',
    attributes: [attr.data('Unlimited'), attr.minutes('Unlimited'), attr.sms('Unlimited'), attr.network('5G'), attr.validity(30)],
    images: images('volt-prepaid-unlimited', 'Volt Prepaid Unlimited 5G top-up card'),
    storefronts: ['volt'],
    prices: { volt: once('25.00') },
    addons: ['eu-roaming-pass', 'world-roaming-pass', 'international-minutes-200'],
  },
  // Broadband (Nimbus, plus 5G home broadband shared with Volt)
  {
    slug: 'nimbus-social-broadband',
    name: 'Nimbus Essential Fibre 36',
    kind: 'PLAN',
    category: 'broadband-plans',
    description: 'Social tariff fibre broadband at 36Mbps for households receiving Universal Credit. No exit fees.',
    attributes: [attr.downloadSpeed(36), attr.uploadSpeed(10), attr.contract(1)],
    images: images('nimbus-social-broadband', 'Nimbus Essential Fibre router on a shelf'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('15.00', { taxCategory: 'REDUCED' }) },
    addons: ['home-phone-anytime', 'tv-kids-pack'],
  },
  {
    slug: 'nimbus-fibre-75',
    name: 'Nimbus Fibre 75',
    kind: 'PLAN',
    category: 'broadband-plans',
    description: 'Reliable fibre broadband at 75Mbps, ideal for small households browsing and streaming in HD.',
    attributes: [attr.downloadSpeed(75), attr.uploadSpeed(20), attr.contract(18)],
    images: images('nimbus-fibre-75', 'Nimbus Fibre 75 broadband'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('24.99') },
    addons: ['home-phone-anytime', 'tv-entertainment-pack', 'tv-kids-pack'],
  },
  {
    slug: 'nimbus-fibre-150',
    name: 'Nimbus Fibre 150',
    kind: 'PLAN',
    category: 'broadband-plans',
    description: 'Full fibre broadband at 150Mbps for busy family homes, with a Wi-Fi 6 hub included.',
    attributes: [attr.downloadSpeed(150), attr.uploadSpeed(30), attr.contract(18)],
    images: images('nimbus-fibre-150', 'Nimbus Fibre 150 broadband'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('29.99') },
    addons: ['home-phone-anytime', 'tv-entertainment-pack', 'tv-movies-pack', 'mesh-wifi-rental'],
  },
  {
    slug: 'nimbus-fibre-500',
    name: 'Nimbus Fibre 500',
    kind: 'PLAN',
    category: 'broadband-plans',
    description: 'Ultrafast 500Mbps full fibre for 4K streaming, gaming and working from home on many devices at once.',
    attributes: [attr.downloadSpeed(500), attr.uploadSpeed(75), attr.contract(24)],
    images: images('nimbus-fibre-500', 'Nimbus Fibre 500 broadband', 2),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('39.99') },
    addons: ['static-ip', 'mesh-wifi-rental', 'tv-entertainment-pack', 'tv-sports-pack', 'tv-movies-pack'],
  },
  {
    slug: 'nimbus-fibre-900',
    name: 'Nimbus Fibre 900',
    kind: 'PLAN',
    category: 'broadband-plans',
    description: 'Gigabit-class 900Mbps full fibre with symmetrical-feeling uploads for creators and large households.',
    attributes: [attr.downloadSpeed(900), attr.uploadSpeed(110), attr.contract(24)],
    images: images('nimbus-fibre-900', 'Nimbus Fibre 900 broadband'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('49.99') },
    addons: ['static-ip', 'mesh-wifi-rental', 'tv-sports-pack', 'tv-ultimate-pack'],
  },
  {
    slug: 'nimbus-fibre-1000',
    name: 'Nimbus Full Fibre Gigabit',
    kind: 'PLAN',
    category: 'broadband-plans',
    description: 'Our fastest home fibre: 1000Mbps download and upload, with mesh Wi-Fi and a static IP option.',
    attributes: [attr.downloadSpeed(1000), attr.uploadSpeed(1000), attr.contract(24)],
    images: images('nimbus-fibre-1000', 'Nimbus Full Fibre Gigabit broadband', 2),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('64.99') },
    addons: ['static-ip', 'mesh-wifi-rental', 'tv-ultimate-pack', 'home-phone-anytime'],
  },
  {
    slug: 'nimbus-business-fibre-2000',
    name: 'Nimbus Pro Fibre 2000',
    kind: 'PLAN',
    category: 'broadband-plans',
    description: 'Multi-gigabit 2000Mbps symmetrical fibre with a static IP, 4-hour fix and priority support for home offices.',
    attributes: [attr.downloadSpeed(2000), attr.uploadSpeed(2000), attr.contract(36)],
    images: images('nimbus-business-fibre-2000', 'Nimbus Pro Fibre 2000 broadband'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('109.99') },
    addons: ['static-ip', 'mesh-wifi-rental', 'home-phone-anytime'],
  },
  {
    slug: '5g-home-broadband',
    name: '5G Home Broadband Unlimited',
    kind: 'PLAN',
    category: 'broadband-plans',
    description: 'Unlimited 5G home broadband with no landline or engineer visit needed. Plug in the router and go.',
    attributes: [attr.data('Unlimited'), attr.network('5G'), attr.downloadSpeed(300), attr.uploadSpeed(50), attr.contract(12)],
    images: images('5g-home-broadband', '5G Home Broadband router in a living room', 2),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: monthly('34.99'), nimbus: monthly('30.00') },
    addons: ['mesh-wifi-rental', 'device-insurance'],
  },
];

const ADDONS: SeedProduct[] = [
  // Mobile add-ons
  {
    slug: 'data-boost-5gb',
    name: 'Data Boost 5GB',
    kind: 'ADDON',
    category: 'mobile-addons',
    description: 'Add 5GB of extra data to your plan, valid until the end of your billing month.',
    attributes: [attr.data(5), attr.validity(30)],
    images: images('data-boost-5gb', 'Data Boost 5GB badge'),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: once('5.00'), nimbus: once('4.00') },
  },
  {
    slug: 'data-boost-20gb',
    name: 'Data Boost 20GB',
    kind: 'ADDON',
    category: 'mobile-addons',
    description: 'A 20GB data booster for when you need extra 5G data for streaming or hotspot use this month.',
    attributes: [attr.data(20), attr.validity(30), attr.network('5G')],
    images: images('data-boost-20gb', 'Data Boost 20GB badge'),
    storefronts: ['volt'],
    prices: { volt: once('12.00') },
  },
  {
    slug: 'eu-roaming-pass',
    name: 'EU Roaming Plus',
    kind: 'ADDON',
    category: 'mobile-addons',
    description: 'Extends your roaming data allowance across the EU, UK, Norway and Switzerland every month.',
    attributes: [attr.roamingZone('Europe'), attr.data(15), attr.validity(30)],
    images: images('eu-roaming-pass', 'EU Roaming Plus pass'),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: monthly('4.99'), nimbus: monthly('3.99') },
  },
  {
    slug: 'world-roaming-pass',
    name: 'World Roaming Pass 7 Days',
    kind: 'ADDON',
    category: 'mobile-addons',
    description: 'Use your calls, texts and 5GB of data in 80 destinations worldwide for seven days of travel.',
    attributes: [attr.roamingZone('World'), attr.data(5), attr.minutes('Unlimited'), attr.validity(7)],
    images: images('world-roaming-pass', 'World Roaming Pass with globe'),
    storefronts: ['volt'],
    prices: { volt: once('14.99') },
  },
  {
    slug: 'usa-roaming-pass',
    name: 'USA & Canada Roaming Pass',
    kind: 'ADDON',
    category: 'mobile-addons',
    description: 'Roaming pass for the USA and Canada with 10GB of data and unlimited calls home for 30 days.',
    attributes: [attr.roamingZone('USA & Canada'), attr.data(10), attr.minutes('Unlimited'), attr.validity(30)],
    images: images('usa-roaming-pass', 'USA and Canada Roaming Pass'),
    storefronts: ['volt'],
    prices: { volt: once('9.99') },
  },
  {
    slug: 'international-minutes-200',
    name: 'International Minutes 200',
    kind: 'ADDON',
    category: 'mobile-addons',
    description: '200 international minutes a month to landlines and mobiles in 50 countries, including the USA.',
    attributes: [attr.minutes('200'), attr.validity(30)],
    images: images('international-minutes-200', 'International Minutes 200 badge'),
    storefronts: ['volt'],
    prices: { volt: monthly('6.99') },
  },
  {
    slug: 'extra-sim',
    name: 'Extra Family SIM',
    kind: 'ADDON',
    category: 'mobile-addons',
    description: 'Add another family member to your plan with their own SIM sharing your unlimited 5G allowance.',
    attributes: [attr.data('Unlimited'), attr.minutes('Unlimited'), attr.sms('Unlimited'), attr.network('5G')],
    images: images('extra-sim', 'Extra Family SIM card'),
    storefronts: ['volt'],
    prices: { volt: monthly('12.50') },
  },
  {
    slug: 'device-insurance',
    name: 'Device Care Insurance',
    kind: 'ADDON',
    category: 'mobile-addons',
    description: 'Insurance for loss, theft and accidental damage with next-day replacement of your phone or tablet.',
    attributes: [attr.contract(1)],
    images: images('device-insurance', 'Device Care shield icon'),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: monthly('7.99'), nimbus: monthly('6.50', { taxCategory: 'EXEMPT' }) },
  },
  // Broadband add-ons
  {
    slug: 'static-ip',
    name: 'Static IP Address',
    kind: 'ADDON',
    category: 'home-addons',
    description: 'A fixed public IPv4 address for remote access, home servers and business VPNs on fibre broadband.',
    attributes: [attr.contract(1)],
    images: images('static-ip', 'Static IP address icon'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('5.00') },
  },
  {
    slug: 'mesh-wifi-rental',
    name: 'Mesh Wi-Fi Rental',
    kind: 'ADDON',
    category: 'home-addons',
    description: 'Rent two mesh Wi-Fi discs for whole-home coverage with no dead spots. Swap or return any time.',
    attributes: [attr.contract(1)],
    images: images('mesh-wifi-rental', 'Two mesh Wi-Fi discs', 2),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: monthly('7.00'), nimbus: monthly('6.00') },
  },
  {
    slug: 'home-phone-anytime',
    name: 'Home Phone Anytime',
    kind: 'ADDON',
    category: 'home-addons',
    description: 'Unlimited calls to UK landlines and mobiles from your home phone line, any time of day.',
    attributes: [attr.minutes('Unlimited'), attr.contract(12)],
    images: images('home-phone-anytime', 'Cordless home phone'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('9.00') },
  },
  // TV packs
  {
    slug: 'tv-entertainment-pack',
    name: 'TV Entertainment Pack',
    kind: 'ADDON',
    category: 'tv-addons',
    description: 'Over 80 entertainment channels including drama, comedy and reality TV, with catch-up and recordings.',
    attributes: [attr.channels(80), attr.contract(12)],
    images: images('tv-entertainment-pack', 'TV Entertainment Pack channel guide', 2),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('12.00') },
  },
  {
    slug: 'tv-sports-pack',
    name: 'TV Sports Pack',
    kind: 'ADDON',
    category: 'tv-addons',
    description: 'Live football, rugby, F1 and cricket across 12 sports channels in HD and 4K.',
    attributes: [attr.channels(12), attr.contract(12)],
    images: images('tv-sports-pack', 'TV Sports Pack live football'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('29.99') },
  },
  {
    slug: 'tv-movies-pack',
    name: 'TV Movies Pack',
    kind: 'ADDON',
    category: 'tv-addons',
    description: 'Ten movie channels and a box-set library with new blockbuster films every week.',
    attributes: [attr.channels(10), attr.contract(1)],
    images: images('tv-movies-pack', 'TV Movies Pack film posters'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('15.00') },
  },
  {
    slug: 'tv-kids-pack',
    name: 'TV Kids Pack',
    kind: 'ADDON',
    category: 'tv-addons',
    description: 'Eight ad-free kids and family channels with parental controls and downloads for travel.',
    attributes: [attr.channels(8), attr.contract(1)],
    images: images('tv-kids-pack', 'TV Kids Pack cartoon characters'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('5.00', { taxCategory: 'REDUCED' }) },
  },
  {
    slug: 'tv-ultimate-pack',
    name: 'TV Ultimate Pack',
    kind: 'ADDON',
    category: 'tv-addons',
    description: 'Every channel we offer: entertainment, sports, movies and kids, 200 channels with 4K and multiroom.',
    attributes: [attr.channels(200), attr.contract(18)],
    images: images('tv-ultimate-pack', 'TV Ultimate Pack channel wall', 2),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('55.00') },
  },
];

const DEVICES: SeedProduct[] = [
  // Phones
  {
    slug: 'aurora-x15-pro',
    name: 'Aurora X15 Pro 256GB',
    kind: 'DEVICE',
    category: 'phones',
    description: 'Flagship 5G phone with a 6.7-inch display, titanium frame and triple camera with 5x zoom.',
    attributes: [attr.storage(256), attr.screen(6.7), attr.colour('Titanium Black'), attr.network('5G')],
    images: images('aurora-x15-pro', 'Aurora X15 Pro in Titanium Black', 2),
    storefronts: ['volt', 'nimbus'],
    prices: {
      volt: instalments('1199.00', '49.99', '99.00'),
      nimbus: instalments('1049.00', '43.50', '79.00'),
    },
    addons: ['device-insurance'],
  },
  {
    slug: 'aurora-x15',
    name: 'Aurora X15 128GB',
    kind: 'DEVICE',
    category: 'phones',
    description: 'Compact 5G phone with a bright 6.1-inch screen, all-day battery and a 48MP camera.',
    attributes: [attr.storage(128), attr.screen(6.1), attr.colour('Sky Blue'), attr.network('5G')],
    images: images('aurora-x15', 'Aurora X15 in Sky Blue', 2),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: instalments('899.00', '37.50', '49.00'), nimbus: instalments('799.00', '33.25', '29.00') },
    addons: ['device-insurance'],
  },
  {
    slug: 'galaxia-s25',
    name: 'Galaxia S25 256GB',
    kind: 'DEVICE',
    category: 'phones',
    description: 'Android 5G flagship with a 6.2-inch AMOLED display, AI photo editing and seven years of updates.',
    attributes: [attr.storage(256), attr.screen(6.2), attr.colour('Icy Silver'), attr.network('5G')],
    images: images('galaxia-s25', 'Galaxia S25 in Icy Silver', 2),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: instalments('949.00', '39.99', '49.00'), nimbus: once('849.00') },
    addons: ['device-insurance', 'eu-roaming-pass'],
  },
  {
    slug: 'galaxia-z-flip7',
    name: 'Galaxia Z Flip7 512GB',
    kind: 'DEVICE',
    category: 'phones',
    description: 'Foldable 5G flip phone with a 6.9-inch folding screen and a large cover display for quick replies.',
    attributes: [attr.storage(512), attr.screen(6.9), attr.colour('Mint'), attr.network('5G')],
    images: images('galaxia-z-flip7', 'Galaxia Z Flip7 folded in Mint', 2),
    storefronts: ['volt'],
    prices: { volt: instalments('1399.00', '58.29', '149.00') },
    addons: ['device-insurance'],
  },
  {
    slug: 'pixelite-9',
    name: 'Pixelite 9 128GB',
    kind: 'DEVICE',
    category: 'phones',
    description: 'Clean Android 5G phone with a 6.3-inch screen, class-leading night photography and call screening.',
    attributes: [attr.storage(128), attr.screen(6.3), attr.colour('Obsidian'), attr.network('5G')],
    images: images('pixelite-9', 'Pixelite 9 in Obsidian'),
    storefronts: ['volt'],
    prices: { volt: instalments('699.00', '29.13') },
    addons: ['device-insurance'],
  },
  {
    slug: 'pixelite-9a',
    name: 'Pixelite 9a 128GB',
    kind: 'DEVICE',
    category: 'phones',
    description: 'Affordable 5G phone with a 6.1-inch display and the same great Pixelite camera software.',
    attributes: [attr.storage(128), attr.screen(6.1), attr.colour('Porcelain'), attr.network('5G')],
    images: images('pixelite-9a', 'Pixelite 9a in Porcelain'),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: once('499.00'), nimbus: once('399.00') },
    addons: ['device-insurance'],
  },
  {
    slug: 'galaxia-a36',
    name: 'Galaxia A36 128GB',
    kind: 'DEVICE',
    category: 'phones',
    description: 'Mid-range 5G phone with a 6.6-inch screen and a two-day battery, great value for the family.',
    attributes: [attr.storage(128), attr.screen(6.6), attr.colour('Lavender'), attr.network('5G')],
    images: images('galaxia-a36', 'Galaxia A36 in Lavender'),
    storefronts: ['volt'],
    prices: { volt: once('349.00') },
    addons: ['device-insurance'],
  },
  {
    slug: 'nova-lite-4g',
    name: 'Nova Lite 64GB',
    kind: 'DEVICE',
    category: 'phones',
    description: 'Budget 4G smartphone with a 6.5-inch screen, dual SIM and a long-lasting battery.',
    attributes: [attr.storage(64), attr.screen(6.5), attr.colour('Graphite'), attr.network('4G')],
    images: images('nova-lite-4g', 'Nova Lite in Graphite'),
    storefronts: ['volt'],
    prices: { volt: once('129.00') },
  },
  {
    slug: 'classic-4g-feature-phone',
    name: 'Classic 4G Feature Phone',
    kind: 'DEVICE',
    category: 'phones',
    description: 'Simple 4G flip feature phone with big buttons, an SOS key and a week of battery life.',
    attributes: [attr.storage(4), attr.screen(2.4), attr.colour('Red'), attr.network('4G')],
    images: images('classic-4g-feature-phone', 'Classic 4G feature phone, open'),
    storefronts: ['volt'],
    prices: { volt: once('49.00', { taxCategory: 'REDUCED' }) },
  },
  // Tablets
  {
    slug: 'aurora-tab-11',
    name: 'Aurora Tab 11 5G 256GB',
    kind: 'DEVICE',
    category: 'tablets',
    description: 'An 11-inch 5G tablet for work and play with a laptop-class chip and stylus support.',
    attributes: [attr.storage(256), attr.screen(11), attr.colour('Space Grey'), attr.network('5G')],
    images: images('aurora-tab-11', 'Aurora Tab 11 with stylus', 2),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: instalments('899.00', '37.46'), nimbus: once('749.00') },
    addons: ['device-insurance', 'data-boost-20gb'],
  },
  {
    slug: 'galaxia-tab-a9',
    name: 'Galaxia Tab A9 64GB',
    kind: 'DEVICE',
    category: 'tablets',
    description: 'A compact 8.7-inch 4G family tablet with kids mode, ideal for video calls and reading.',
    attributes: [attr.storage(64), attr.screen(8.7), attr.colour('Navy'), attr.network('4G')],
    images: images('galaxia-tab-a9', 'Galaxia Tab A9 in Navy'),
    storefronts: ['volt'],
    prices: { volt: once('229.00') },
    addons: ['device-insurance'],
  },
  // Routers and Wi-Fi
  {
    slug: 'nimbus-hub-6',
    name: 'Nimbus Hub 6',
    kind: 'DEVICE',
    category: 'routers',
    description: 'Wi-Fi 6 fibre router with four gigabit ports and smart band steering. Free with most fibre plans.',
    attributes: [attr.downloadSpeed(2400), attr.colour('White')],
    images: images('nimbus-hub-6', 'Nimbus Hub 6 router'),
    storefronts: ['nimbus'],
    prices: { nimbus: once('49.00') },
    addons: ['mesh-wifi-rental', 'static-ip'],
  },
  {
    slug: 'nimbus-hub-7',
    name: 'Nimbus Hub 7',
    kind: 'DEVICE',
    category: 'routers',
    description: 'Tri-band Wi-Fi 7 router with a 2.5Gbps port, built for gigabit full fibre and 4K streaming.',
    attributes: [attr.downloadSpeed(5800), attr.colour('Cloud White')],
    images: images('nimbus-hub-7', 'Nimbus Hub 7 router', 2),
    storefronts: ['nimbus'],
    prices: { nimbus: once('129.00') },
    addons: ['mesh-wifi-rental', 'static-ip'],
  },
  {
    slug: 'mesh-wifi-kit-3',
    name: 'Mesh Wi-Fi Kit (3-pack)',
    kind: 'DEVICE',
    category: 'routers',
    description: 'Three mesh Wi-Fi 6 discs covering homes up to 5 bedrooms with seamless roaming between rooms.',
    attributes: [attr.downloadSpeed(3000), attr.colour('White')],
    images: images('mesh-wifi-kit-3', 'Three mesh Wi-Fi discs', 2),
    storefronts: ['nimbus'],
    prices: { nimbus: instalments('199.00', '9.00', '20.00') },
  },
  {
    slug: '5g-home-router',
    name: '5G Home Router',
    kind: 'DEVICE',
    category: 'routers',
    description: 'Plug-and-play 5G home router with Wi-Fi 6 for 5G home broadband. No engineer or landline needed.',
    attributes: [attr.network('5G'), attr.downloadSpeed(1600), attr.colour('Black')],
    images: images('5g-home-router', '5G Home Router on a windowsill'),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: once('249.00'), nimbus: once('199.00') },
    addons: ['mesh-wifi-rental'],
  },
  {
    slug: 'pocket-5g-hotspot',
    name: 'Pocket 5G Hotspot',
    kind: 'DEVICE',
    category: 'routers',
    description: 'Portable 5G mobile hotspot that connects up to 32 devices, perfect for travel and roaming.',
    attributes: [attr.network('5G'), attr.downloadSpeed(1000), attr.colour('Black')],
    images: images('pocket-5g-hotspot', 'Pocket 5G Hotspot'),
    storefronts: ['volt'],
    prices: { volt: once('149.00') },
    addons: ['data-boost-20gb', 'eu-roaming-pass', 'world-roaming-pass'],
  },
];

const BUNDLES: SeedProduct[] = [
  // Phone and plan bundles (Volt)
  {
    slug: 'aurora-x15-pro-unlimited-bundle',
    name: 'Aurora X15 Pro + Unlimited 5G',
    kind: 'BUNDLE',
    category: 'mobile-bundles',
    description: 'The Aurora X15 Pro with our Unlimited 5G plan on a 24-month contract, with EU roaming included.',
    attributes: [attr.data('Unlimited'), attr.network('5G'), attr.storage(256), attr.contract(24)],
    images: images('aurora-x15-pro-unlimited-bundle', 'Aurora X15 Pro with Volt Unlimited SIM', 2),
    storefronts: ['volt'],
    prices: { volt: monthly('74.99', { oneOff: '149.00' }) },
    addons: ['device-insurance', 'world-roaming-pass', 'international-minutes-200'],
    bundleItems: ['aurora-x15-pro', 'volt-sim-unlimited'],
  },
  {
    slug: 'galaxia-s25-100gb-bundle',
    name: 'Galaxia S25 + 5G 100GB',
    kind: 'BUNDLE',
    category: 'mobile-bundles',
    description: 'Galaxia S25 paired with 100GB of 5G data, unlimited calls and texts over 24 months.',
    attributes: [attr.data(100), attr.network('5G'), attr.storage(256), attr.contract(24)],
    images: images('galaxia-s25-100gb-bundle', 'Galaxia S25 with Volt 100GB SIM'),
    storefronts: ['volt'],
    prices: { volt: monthly('59.99', { oneOff: '49.00' }) },
    addons: ['device-insurance', 'data-boost-20gb'],
    bundleItems: ['galaxia-s25', 'volt-sim-100gb'],
  },
  {
    slug: 'pixelite-9a-starter-bundle',
    name: 'Pixelite 9a + 5G 20GB',
    kind: 'BUNDLE',
    category: 'mobile-bundles',
    description: 'An affordable 5G starter bundle: Pixelite 9a with a 20GB SIM plan and nothing to pay upfront.',
    attributes: [attr.data(20), attr.network('5G'), attr.storage(128), attr.contract(24)],
    images: images('pixelite-9a-starter-bundle', 'Pixelite 9a with Volt 20GB SIM'),
    storefronts: ['volt'],
    prices: { volt: monthly('34.99') },
    addons: ['device-insurance', 'data-boost-5gb'],
    bundleItems: ['pixelite-9a', 'volt-sim-20gb'],
  },
  {
    slug: 'family-mobile-bundle',
    name: 'Family Unlimited + 2 Phones',
    kind: 'BUNDLE',
    category: 'mobile-bundles',
    description: 'Family bundle with four unlimited 5G SIMs, an extra SIM and two Galaxia A36 phones for the kids.',
    attributes: [attr.data('Unlimited'), attr.network('5G'), attr.contract(24)],
    images: images('family-mobile-bundle', 'Family with Galaxia A36 phones', 2),
    storefronts: ['volt'],
    prices: { volt: monthly('99.99', { oneOff: '29.00' }) },
    addons: ['device-insurance', 'eu-roaming-pass'],
    bundleItems: ['volt-family-unlimited', 'extra-sim', 'galaxia-a36'],
  },
  // Home bundles (Nimbus, plus one shared)
  {
    slug: 'fibre-500-tv-bundle',
    name: 'Fibre 500 + TV Entertainment',
    kind: 'BUNDLE',
    category: 'home-bundles',
    description: 'Ultrafast 500Mbps fibre broadband with 80 entertainment TV channels and the Nimbus Hub 6.',
    attributes: [attr.downloadSpeed(500), attr.uploadSpeed(75), attr.channels(80), attr.contract(24)],
    images: images('fibre-500-tv-bundle', 'Fibre 500 and TV bundle in a living room', 2),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('49.99') },
    addons: ['tv-movies-pack', 'tv-kids-pack', 'static-ip'],
    bundleItems: ['nimbus-fibre-500', 'tv-entertainment-pack', 'nimbus-hub-6'],
  },
  {
    slug: 'fibre-900-sports-bundle',
    name: 'Fibre 900 + Sports & Entertainment',
    kind: 'BUNDLE',
    category: 'home-bundles',
    description: 'Fibre 900 broadband with live sports, entertainment channels and a mesh Wi-Fi kit for every room.',
    attributes: [attr.downloadSpeed(900), attr.uploadSpeed(110), attr.channels(92), attr.contract(24)],
    images: images('fibre-900-sports-bundle', 'Fibre 900 sports bundle with live football'),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('89.99', { oneOff: '19.99' }) },
    addons: ['tv-movies-pack', 'static-ip', 'home-phone-anytime'],
    bundleItems: ['nimbus-fibre-900', 'tv-sports-pack', 'tv-entertainment-pack', 'mesh-wifi-kit-3'],
  },
  {
    slug: 'gigabit-ultimate-bundle',
    name: 'Gigabit Ultimate Home',
    kind: 'BUNDLE',
    category: 'home-bundles',
    description: 'Everything for the connected family: gigabit full fibre, every TV channel, mesh Wi-Fi and unlimited calls.',
    attributes: [attr.downloadSpeed(1000), attr.uploadSpeed(1000), attr.channels(200), attr.contract(24)],
    images: images('gigabit-ultimate-bundle', 'Gigabit Ultimate Home bundle', 2),
    storefronts: ['nimbus'],
    prices: { nimbus: monthly('119.99', { oneOff: '29.00' }) },
    addons: ['static-ip'],
    bundleItems: ['nimbus-fibre-1000', 'tv-ultimate-pack', 'mesh-wifi-kit-3', 'home-phone-anytime'],
  },
  {
    slug: '5g-home-and-mobile-bundle',
    name: '5G Home + Mobile',
    kind: 'BUNDLE',
    category: 'home-bundles',
    description: 'Unlimited 5G home broadband plus a 30GB 5G SIM-only plan and router, with one monthly bill.',
    attributes: [attr.data('Unlimited'), attr.network('5G'), attr.downloadSpeed(300), attr.contract(12)],
    images: images('5g-home-and-mobile-bundle', '5G home router and phone on a table'),
    storefronts: ['volt', 'nimbus'],
    prices: { volt: monthly('44.99'), nimbus: monthly('39.00') },
    addons: ['mesh-wifi-rental', 'eu-roaming-pass', 'device-insurance'],
    bundleItems: ['5g-home-broadband', 'sim-only-30gb-5g', '5g-home-router'],
  },
];

export const PRODUCTS: SeedProduct[] = [...PLANS, ...ADDONS, ...DEVICES, ...BUNDLES];

const HOURS_IE = 'Mo-Sa 09:00-18:00; Th 09:00-20:00; Su 12:00-18:00';
const HOURS_GB = 'Mo-Sa 09:00-19:00; Su 11:00-17:00';

export const STORES: SeedStore[] = [
  // Volt Mobile (Ireland). Dublin city centre is 53.3498, -6.2603.
  {
    brand: 'volt',
    name: 'Volt Mobile Henry Street',
    line1: '42 Henry Street',
    city: 'Dublin',
    postcode: 'D01 F6X2',
    country: 'IE',
    lat: 53.3497,
    lng: -6.2627,
    phone: '+353 1 555 0142',
    openingHours: HOURS_IE,
  },
  {
    brand: 'volt',
    name: 'Volt Mobile Grafton Street',
    line1: '87 Grafton Street',
    city: 'Dublin',
    postcode: 'D02 K7W3',
    country: 'IE',
    lat: 53.3412,
    lng: -6.2601,
    phone: '+353 1 555 0187',
    openingHours: HOURS_IE,
  },
  {
    brand: 'volt',
    name: 'Volt Mobile Dundrum',
    line1: 'Unit 214, Dundrum Town Centre',
    city: 'Dublin',
    postcode: 'D16 A9T4',
    country: 'IE',
    lat: 53.2866,
    lng: -6.2418,
    phone: '+353 1 555 0214',
    openingHours: HOURS_IE,
  },
  {
    brand: 'volt',
    name: 'Volt Mobile Patrick Street',
    line1: '105 St Patrick Street',
    city: 'Cork',
    postcode: 'T12 X2F8',
    country: 'IE',
    lat: 51.8989,
    lng: -8.4735,
    phone: '+353 21 555 0105',
    openingHours: HOURS_IE,
  },
  {
    brand: 'volt',
    name: 'Volt Mobile Mahon Point',
    line1: 'Unit 31, Mahon Point Shopping Centre',
    city: 'Cork',
    postcode: 'T12 H9P2',
    country: 'IE',
    lat: 51.8853,
    lng: -8.3951,
    phone: '+353 21 555 0131',
    openingHours: HOURS_IE,
  },
  {
    brand: 'volt',
    name: 'Volt Mobile Shop Street',
    line1: '18 Shop Street',
    city: 'Galway',
    postcode: 'H91 E2K6',
    country: 'IE',
    lat: 53.2733,
    lng: -9.0526,
    phone: '+353 91 555 0018',
    openingHours: HOURS_IE,
  },
  // Nimbus Home (Great Britain). London centre (Charing Cross) is 51.5074, -0.1278.
  {
    brand: 'nimbus',
    name: 'Nimbus Home Covent Garden',
    line1: '24 Long Acre',
    city: 'London',
    postcode: 'WC2E 9LG',
    country: 'GB',
    lat: 51.5125,
    lng: -0.1262,
    phone: '+44 20 7946 0124',
    openingHours: HOURS_GB,
  },
  {
    brand: 'nimbus',
    name: 'Nimbus Home Oxford Street',
    line1: '310 Oxford Street',
    city: 'London',
    postcode: 'W1C 1HS',
    country: 'GB',
    lat: 51.5152,
    lng: -0.1441,
    phone: '+44 20 7946 0310',
    openingHours: HOURS_GB,
  },
  {
    brand: 'nimbus',
    name: 'Nimbus Home Stratford',
    line1: 'Unit 1042, Westfield Stratford City',
    city: 'London',
    postcode: 'E20 1EJ',
    country: 'GB',
    lat: 51.5432,
    lng: -0.0066,
    phone: '+44 20 7946 1042',
    openingHours: HOURS_GB,
  },
  {
    brand: 'nimbus',
    name: 'Nimbus Home Market Street',
    line1: '61 Market Street',
    city: 'Manchester',
    postcode: 'M1 1WR',
    country: 'GB',
    lat: 53.4827,
    lng: -2.2406,
    phone: '+44 161 496 0061',
    openingHours: HOURS_GB,
  },
  {
    brand: 'nimbus',
    name: 'Nimbus Home Trafford Centre',
    line1: 'Unit L12, Trafford Centre',
    city: 'Manchester',
    postcode: 'M17 8AA',
    country: 'GB',
    lat: 53.4668,
    lng: -2.3478,
    phone: '+44 161 496 0012',
    openingHours: HOURS_GB,
  },
  {
    brand: 'nimbus',
    name: 'Nimbus Home Broadmead',
    line1: '9 Broadmead',
    city: 'Bristol',
    postcode: 'BS1 3HA',
    country: 'GB',
    lat: 51.4588,
    lng: -2.5887,
    phone: '+44 117 496 0009',
    openingHours: HOURS_GB,
  },
];
