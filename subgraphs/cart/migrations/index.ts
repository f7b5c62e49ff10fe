import { Migration20261124001Cart } from './20261124-001-cart.js';
import { Migration20261124002Abandonment } from './20261124-002-abandonment.js';
import { Migration20261128003Promotions } from './20261128-003-promotions.js';
import { Migration20261130010Audit } from './20261130-010-audit.js';
import { Migration20261130070NotifyOutbox } from './20261130-070-notify-outbox.js';
import { Migration2026120150SaleOrders } from './20261201-50-sale-orders.js';
import { Migration202612021001SpendControl } from './20261202-1001-spend-control.js';
import { Migration20261204s01SpendRollup } from './20261204-s01-spend-rollup.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [
  { name: '20261124-001-cart', class: Migration20261124001Cart },
  { name: '20261124-002-abandonment', class: Migration20261124002Abandonment },
  { name: '20261128-003-promotions', class: Migration20261128003Promotions },
  { name: '20261130-010-audit', class: Migration20261130010Audit },
  { name: '20261130-070-notify-outbox', class: Migration20261130070NotifyOutbox },
  { name: '20261201-50-sale-orders', class: Migration2026120150SaleOrders },
  { name: '20261202-1001-spend-control', class: Migration202612021001SpendControl },
  { name: '20261204-s01-spend-rollup', class: Migration20261204s01SpendRollup },
];
