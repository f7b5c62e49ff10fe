import { Migration } from '@dcrm/kit';

/**
 * The offer table loses its (customer_id, created_at) index of campaign offers: its one reader, the
 * attribution of an order (`domain/attribution.ts`), finds the customer's offers through
 * `offer_customer_idx` (customer_id, status, score desc) just as well (EXPLAIN: index scan on the customer,
 * a customer holding a handful of offers). The dropped index cost an entry per offer a campaign writes,
 * ~1–1.5 µs of PostgreSQL CPU per account of a launch.
 */
export class Migration20261210C31OfferAttributionIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists "promotion"."offer_customer_campaign_idx"`);
  }
}
