import { Migration20261123001Catalog } from './20261123-001-catalog.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [{ name: '20261123-001-catalog', class: Migration20261123001Catalog }];
