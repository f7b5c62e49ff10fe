import { Migration20261201301Quote } from './20261201-301-quote.js';
import { Migration20261201302Audit } from './20261201-302-audit.js';
import { Migration20261201303PromoCodes } from './20261201-303-promo-codes.js';
import { Migration20261201351Contracts } from './20261201-351-contracts.js';
import { Migration20261201352NotifyOutbox } from './20261201-352-notify-outbox.js';
import { Migration20261201371Approvals } from './20261201-371-approvals.js';
import { Migration20261201372Revisions } from './20261201-372-revisions.js';
import { Migration20261201373Attachments } from './20261201-373-attachments.js';
import { Migration20261202301Acceptance } from './20261202-301-acceptance.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [
  { name: '20261201-301-quote', class: Migration20261201301Quote },
  { name: '20261201-302-audit', class: Migration20261201302Audit },
  { name: '20261201-303-promo-codes', class: Migration20261201303PromoCodes },
  { name: '20261201-351-contracts', class: Migration20261201351Contracts },
  { name: '20261201-352-notify-outbox', class: Migration20261201352NotifyOutbox },
  { name: '20261201-371-approvals', class: Migration20261201371Approvals },
  { name: '20261201-372-revisions', class: Migration20261201372Revisions },
  { name: '20261201-373-attachments', class: Migration20261201373Attachments },
  { name: '20261202-301-acceptance', class: Migration20261202301Acceptance },
];
