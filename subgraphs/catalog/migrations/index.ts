import { Migration20261123001Catalog } from './20261123-001-catalog.js';
import { Migration20261124002DropStorefrontKey } from './20261124-002-drop-storefront-key.js';
import { Migration20261124003ListAmount } from './20261124-003-list-amount.js';
import { Migration20261130010Audit } from './20261130-010-audit.js';
import { Migration20261130030BulkAppliedBatch } from './20261130-030-bulk-applied-batch.js';
import { Migration20261201004StorefrontOrigins } from './20261201-004-storefront-origins.js';
import { Migration20261202801FacetCount } from './20261202-801-facet-count.js';
import { Migration202612021003StorefrontTimeZone } from './20261202-1003-storefront-time-zone.js';
import { Migration202612021101Translations } from './20261202-1101-translations.js';
import { Migration20261204I01TranslationFieldWidth } from './20261204-i01-translation-field-width.js';
import { Migration20261204P01SearchDetailIndexes } from './20261204-p01-search-detail-indexes.js';
import { Migration20261205S01SearchEntry } from './20261205-s01-search-entry.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [
  { name: '20261123-001-catalog', class: Migration20261123001Catalog },
  { name: '20261124-002-drop-storefront-key', class: Migration20261124002DropStorefrontKey },
  { name: '20261124-003-list-amount', class: Migration20261124003ListAmount },
  { name: '20261201-004-storefront-origins', class: Migration20261201004StorefrontOrigins },
  { name: '20261130-010-audit', class: Migration20261130010Audit },
  { name: '20261130-030-bulk-applied-batch', class: Migration20261130030BulkAppliedBatch },
  { name: '20261202-801-facet-count', class: Migration20261202801FacetCount },
  { name: '20261202-1003-storefront-time-zone', class: Migration202612021003StorefrontTimeZone },
  { name: '20261202-1101-translations', class: Migration202612021101Translations },
  { name: '20261204-i01-translation-field-width', class: Migration20261204I01TranslationFieldWidth },
  { name: '20261204-p01-search-detail-indexes', class: Migration20261204P01SearchDetailIndexes },
  { name: '20261205-s01-search-entry', class: Migration20261205S01SearchEntry },
];
