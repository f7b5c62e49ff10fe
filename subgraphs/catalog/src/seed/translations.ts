import { seedId } from '@dcrm/kit';
import { attributeLabelField, imageAltField } from '../domain/product-texts.js';
import type { BrandKey, SeedProduct } from './demo-data.js';

/**
 * The demo's second language per brand: Volt (Ireland) also sells in French, Nimbus (UK) in German.
 * Not every text is translated, on purpose: the rest falls back to the stored English.
 */
export const DEMO_LOCALES: Record<BrandKey, string[]> = { volt: ['en', 'fr'], nimbus: ['en', 'de'] };

type Texts = { name: string; description?: string };

const PRODUCTS: Record<string, Record<string, Texts>> = {
  fr: {
    'volt-sim-5gb': {
      name: 'Volt Essentiel 5 Go',
      description: 'Un forfait sans engagement à petit prix : 5 Go de données 4G, appels et SMS illimités. Idéal comme seconde ligne.',
    },
    'volt-sim-20gb': { name: 'Volt Flex 5G 20 Go' },
    'volt-sim-50gb': { name: 'Volt Flex 5G 50 Go' },
    'volt-sim-100gb': { name: 'Volt Flex 5G 100 Go' },
    'volt-sim-unlimited': { name: 'Volt Illimité 5G' },
    'volt-sim-unlimited-max': { name: 'Volt Illimité 5G Max' },
    'volt-family-unlimited': { name: 'Volt Famille Illimité 5G' },
    'sim-only-30gb-5g': { name: 'Forfait SIM seule 5G 30 Go' },
    'data-boost-5gb': { name: 'Recharge data 5 Go' },
    'data-boost-20gb': { name: 'Recharge data 20 Go' },
    'eu-roaming-pass': { name: 'Itinérance UE Plus' },
    'world-roaming-pass': { name: 'Pass itinérance monde 7 jours' },
    'device-insurance': { name: 'Assurance appareil' },
  },
  de: {
    'nimbus-fibre-75': { name: 'Nimbus Glasfaser 75' },
    'nimbus-fibre-150': { name: 'Nimbus Glasfaser 150' },
    'nimbus-fibre-500': { name: 'Nimbus Glasfaser 500', description: 'Glasfaser mit 500 Mbit/s für die ganze Familie.' },
    'nimbus-fibre-900': { name: 'Nimbus Glasfaser 900' },
    'sim-only-30gb-5g': { name: 'Nur-SIM-Tarif 5G 30 GB' },
    'data-boost-5gb': { name: 'Datenpaket 5 GB' },
    'eu-roaming-pass': { name: 'EU-Roaming Plus' },
    'tv-sports-pack': { name: 'TV-Sportpaket' },
    'tv-movies-pack': { name: 'TV-Filmpaket' },
    'device-insurance': { name: 'Geräteversicherung' },
  },
};

const CATEGORIES: Record<string, Record<string, Texts>> = {
  fr: {
    mobile: { name: 'Mobile' },
    'sim-only-plans': { name: 'Forfaits SIM seule', description: 'Gardez votre téléphone, choisissez vos données.' },
    'prepaid-plans': { name: 'Forfaits prépayés' },
    phones: { name: 'Téléphones' },
    'mobile-addons': { name: 'Options mobiles' },
  },
  de: {
    home: { name: 'Zuhause' },
    'broadband-plans': { name: 'Internet-Tarife', description: 'Glasfaser und 5G für zu Hause.' },
    routers: { name: 'Router und WLAN' },
    'tv-addons': { name: 'TV-Pakete' },
  },
};

/** Attribute labels by key, in each brand's second language: every product the brand sells gets them. */
const LABELS: Record<string, Record<string, string>> = {
  fr: {
    data: 'Données',
    minutes: 'Minutes',
    sms: 'SMS',
    network: 'Réseau',
    validity: 'Validité',
    contract: "Durée d'engagement",
    downloadSpeed: 'Débit descendant',
    uploadSpeed: 'Débit montant',
    storage: 'Stockage',
    screen: "Taille d'écran",
    colour: 'Couleur',
    channels: 'Chaînes',
    roamingZone: "Zone d'itinérance",
  },
  de: {
    data: 'Datenvolumen',
    minutes: 'Minuten',
    sms: 'SMS',
    network: 'Netz',
    validity: 'Gültigkeit',
    contract: 'Vertragslaufzeit',
    downloadSpeed: 'Download-Geschwindigkeit',
    uploadSpeed: 'Upload-Geschwindigkeit',
    storage: 'Speicher',
    screen: 'Bildschirmgröße',
    colour: 'Farbe',
    channels: 'Sender',
    roamingZone: 'Roaming-Zone',
  },
};
const VIEW: Record<string, string> = { fr: 'vue', de: 'Ansicht' };
const SECOND_LANGUAGE: Record<BrandKey, string> = { volt: 'fr', nimbus: 'de' };

/** Per product and locale: attribute labels, and image alt texts for the products whose name is translated. */
function partTexts(products: SeedProduct[]): Record<string, Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, Record<string, string>>> = {};
  for (const product of products) {
    for (const locale of new Set(product.storefronts.map((b) => SECOND_LANGUAGE[b]))) {
      const fields: Record<string, string> = {};
      for (const a of product.attributes) {
        const label = LABELS[locale][a.key];
        if (label) fields[attributeLabelField(a.key)] = label;
      }
      const name = PRODUCTS[locale]?.[product.slug]?.name;
      product.images.forEach((image, i) => {
        if (name) fields[imageAltField(image.url)] = i === 0 ? name : `${name}, ${VIEW[locale]} ${i + 1}`;
      });
      out[locale] ??= {};
      out[locale][product.slug] = fields;
    }
  }
  return out;
}

/** Translation rows for the seed (ids deterministic, so seeding twice inserts nothing new). */
export function demoTranslations(
  productId: (slug: string) => string,
  categoryId: (slug: string) => string,
  products: SeedProduct[],
): Record<string, unknown>[] {
  const now = new Date();
  const rows = (subject: string, id: (slug: string) => string, byLocale: Record<string, Record<string, Record<string, string>>>) =>
    Object.entries(byLocale).flatMap(([locale, texts]) =>
      Object.entries(texts).flatMap(([slug, t]) =>
        Object.entries(t).map(([field, value]) => ({
          id: seedId('translation', `${subject}:${slug}:${locale}:${field}`),
          subject,
          subjectId: id(slug),
          locale,
          field,
          value,
          storefrontId: null,
          updatedAt: now,
        })),
      ),
    );
  return [
    ...rows('product', productId, PRODUCTS),
    ...rows('product', productId, partTexts(products)),
    ...rows('category', categoryId, CATEGORIES),
  ];
}
