import { Migration20261128001Promotion } from './20261128-001-promotion.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [{ name: '20261128-001-promotion', class: Migration20261128001Promotion }];
