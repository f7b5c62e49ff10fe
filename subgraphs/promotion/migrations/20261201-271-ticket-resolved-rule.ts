import { Migration } from '@dcrm/kit';

/** Real-time rules may react to a resolved ticket (the ticket subgraph's `ticket.resolved` event), e.g. with a goodwill offer. */
export class Migration20261201271TicketResolvedRule extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "promotion"."offer_rule" drop constraint if exists "offer_rule_event_check"`);
    this.addSql(`alter table "promotion"."offer_rule" add constraint "offer_rule_event_check"
      check ("event" in ('PRODUCT_VIEWED', 'CART_ABANDONED', 'ORDER_PLACED', 'TICKET_RESOLVED'))`);
  }
}
