import { Migration2026120151SaleOrders } from './20261201-51-sale-orders.js';
import { Migration20261201100Opportunity } from './20261201-100-opportunity.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [
  { name: '20261201-100-opportunity', class: Migration20261201100Opportunity },
  { name: '20261201-51-sale-orders', class: Migration2026120151SaleOrders },
];
