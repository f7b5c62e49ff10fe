import { Migration } from '@dcrm/kit';

const s = '"cart"';

/**
 * Spend control rolls up the account tree: each order records the buyer and the accounts above it when
 * placed, and a budget's period counts the orders whose path holds its account. Orders placed before
 * this keep the buyer alone (cart cannot read the tree of the past).
 */
export class Migration20261204s01SpendRollup extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table ${s}."customer_order" add column "account_path" uuid[] not null default '{}'`);
    this.addSql(`update ${s}."customer_order" set "account_path" = array["customer_id"]`);
    this.addSql(`create index "customer_order_account_path_idx" on ${s}."customer_order" using gin ("account_path")`);
    // A holder's queue: the held orders its accounts decide.
    this.addSql(`create index "customer_order_awaiting_idx" on ${s}."customer_order" ("approver_id") where "status" = 'PENDING_APPROVAL'`);
  }
}
