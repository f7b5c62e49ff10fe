import { Migration20261123001Customer } from './20261123-001-customer.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [{ name: '20261123-001-customer', class: Migration20261123001Customer }];
