import { Migration } from '@dcrm/kit';

/**
 * Promotions on carts: the promo codes a shopper entered (normalised, at most five) and the sales
 * channel the cart is in (WEB; CHATBOT for carts made with a chatbot key; AGENT once staff assist).
 */
export class Migration20261128003Promotions extends Migration {
  override async up(): Promise<void> {
    const s = '"cart"';
    this.addSql(`alter table ${s}."cart" add column "promo_codes" jsonb not null default '[]',
      add column "channel" text not null default 'WEB' check ("channel" in ('WEB', 'APP', 'CHATBOT', 'STORE', 'AGENT'))`);
  }
}
