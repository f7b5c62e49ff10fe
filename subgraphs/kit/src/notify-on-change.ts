import {
  type ChangeSet,
  ChangeSetType,
  defineEntity,
  type EntityManager,
  type EntityMetadata,
  type EventSubscriber,
  type FlushEventArgs,
  type InferEntity,
  type MikroORM,
  p,
  type TransactionEventArgs,
} from '@mikro-orm/core';
import type { AuditAction, AuditDiff } from './audit-record.js';
import { diffOf } from './audit-subscriber.js';
import { newId } from './ids.js';
import { loggerFor } from './logger.js';
import { SERVICE_SCOPES, servicePrincipal } from './principal.js';
import type { SubgraphTarget } from './targets.js';

/**
 * Notify on change, written once for every subgraph. A subgraph declares rules (`notifyRules` of its
 * definition); on each flush, every change a rule matches becomes a `NotifyOutbox` row in that same
 * flush (so a rolled-back change notifies nobody). After the commit the rows are handed to the customer
 * subgraph's `notificationSend` as the subgraph's service principal for the row's brand; a failed call
 * leaves the row for the next `dispatchNotifications` (the subgraph's periodic task), never failing the write.
 */
export type NotifyRow = Record<string, unknown>;
export type NotifyAction = 'create' | 'update' | 'delete';

export type NotifyRule = {
  /** The entity's class name (`Order`). */
  entity: string;
  on: NotifyAction | NotifyAction[];
  /** For updates: only when one of these properties changed (absent: any change). */
  fields?: string[];
  /** The notification template key (customer subgraph templates). */
  template: string;
  /**
   * Who is told; null: nobody for this row. A customer of the row's brand, or a staff member acting on
   * it (told in their inbox and by EMAIL: a manager, an assignee, an approver); a list tells each of them.
   */
  recipients: (row: NotifyRow) => NotifyRecipient | NotifyRecipient[] | null;
  variables: (row: NotifyRow, diff: AuditDiff) => Record<string, string | null>;
  /** The row's brand; default its `storefrontId`. */
  storefrontId?: (row: NotifyRow) => string | null;
  /** The customer's notification preference type the channels follow (absent: inbox + EMAIL). */
  preferenceType?: string;
};

/** A customer (`customerId`) or a staff member (`staffId`) to tell; a recipient with neither is nobody. */
export type NotifyRecipient = { customerId?: string | null; staffId?: string | null };

/** One notification a change asks for, before it is recorded: to a customer or (`staffId`) to a staff member. */
export type Notice = {
  storefrontId: string;
  customerId?: string;
  staffId?: string;
  templateKey: string;
  variables: Record<string, string | null>;
};

const ACTIONS: Partial<Record<ChangeSetType, NotifyAction>> = {
  [ChangeSetType.CREATE]: 'create',
  [ChangeSetType.UPDATE]: 'update',
  [ChangeSetType.DELETE]: 'delete',
  [ChangeSetType.DELETE_EARLY]: 'delete',
};

/** What the rules ask for one change (pure: the spec and the subscriber share it). */
export function noticesFor(rules: readonly NotifyRule[], entity: string, action: NotifyAction, row: NotifyRow, diff: AuditDiff): Notice[] {
  const notices: Notice[] = [];
  for (const rule of rules) {
    if (rule.entity !== entity || ![rule.on].flat().includes(action)) continue;
    if (action === 'update' && rule.fields?.length && !rule.fields.some((f) => f in diff)) continue;
    const storefrontId = rule.storefrontId ? rule.storefrontId(row) : (row.storefrontId as string | null | undefined);
    const recipients = [rule.recipients(row) ?? []].flat();
    if (!storefrontId) continue;
    const seen = new Set<string>();
    for (const { customerId, staffId } of recipients) {
      const to = customerId ? { customerId } : staffId ? { staffId } : null;
      const key = customerId ? `c:${customerId}` : `s:${staffId}`;
      if (!to || seen.has(key)) continue;
      seen.add(key);
      notices.push({ storefrontId, ...to, templateKey: rule.template, variables: rule.variables(row, diff) });
    }
  }
  return notices;
}

export const NotifyOutbox = defineEntity({
  name: 'NotifyOutbox',
  tableName: 'notify_outbox',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    storefrontId: p.uuid(),
    customerId: p.uuid().nullable(),
    /** Set instead of `customerId` for a staff recipient (tables made before staff recipients lack the column: `notifyOutboxStaffSql`). */
    staffId: p.uuid().nullable(),
    templateKey: p.string(),
    variables: p.json<Record<string, string | null>>(),
    preferenceType: p.string().nullable(),
    attempts: p.integer().default(0),
    claimedUntil: p.datetime().nullable(),
    lastError: p.string().nullable(),
    outcome: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
  },
});
export type INotifyOutbox = InferEntity<typeof NotifyOutbox>;

/** The outbox table of a subgraph that declares rules: its migration runs these. */
export function notifyOutboxSql(schema: string): string[] {
  const table = `"${schema}"."notify_outbox"`;
  return [
    `create table ${table} ("id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid null, "staff_id" uuid null,
      "template_key" varchar(255) not null, "variables" jsonb not null, "preference_type" varchar(255) null,
      "attempts" int not null default 0, "claimed_until" timestamptz null, "last_error" varchar(255) null,
      "outcome" varchar(255) null, "created_at" timestamptz not null, "sent_at" timestamptz null)`,
    `create index "notify_outbox_due_idx" on ${table} ("created_at") where "sent_at" is null`,
  ];
}

/** A table made by `notifyOutboxSql` before staff could be told: a new migration runs these to let its rules name staff. */
export function notifyOutboxStaffSql(schema: string): string[] {
  const table = `"${schema}"."notify_outbox"`;
  return [
    `alter table ${table} add column if not exists "staff_id" uuid null`,
    `alter table ${table} alter column "customer_id" drop not null`,
  ];
}

/** Attempts before a row is given up (left unsent, with its last error, for an operator). */
export const NOTIFY_MAX_ATTEMPTS = 5;
const CLAIM_SECONDS = 300;
const SEND = `mutation NotifyOnChange($input: NotificationSendInput!) { notificationSend(input: $input) {
  results { outcome } userErrors { message } } }`;

type Claimed = {
  id: string;
  storefront_id: string;
  customer_id: string | null;
  /** Absent in a table made before staff recipients. */
  staff_id?: string | null;
  template_key: string;
  variables: Record<string, string | null>;
  preference_type: string | null;
};

/**
 * Sends the due outbox rows of `em`'s schema (each claimed once across instances, SKIP LOCKED) through
 * `customer`'s `notificationSend` as `source`; a row the service answered (sent, opted out, skipped…) is
 * done, one it could not be asked about is retried later. Returns how many were answered.
 */
export async function dispatchNotifications(em: EntityManager, customer: SubgraphTarget, source: string): Promise<number> {
  const table = `"${em.config.get('schema')}"."notify_outbox"`;
  const connection = em.getConnection();
  const rows = (await connection.execute(
    `update ${table} set attempts = attempts + 1, claimed_until = now() + interval '${CLAIM_SECONDS} seconds' where id in (
       select id from ${table} where sent_at is null and attempts < ? and (claimed_until is null or claimed_until < now())
       order by created_at limit 50 for update skip locked)
     returning *`,
    [NOTIFY_MAX_ATTEMPTS],
  )) as Claimed[];
  let answered = 0;
  for (const row of rows) {
    const message = {
      ...(row.staff_id ? { staffId: row.staff_id } : { customerId: row.customer_id }),
      templateKey: row.template_key,
      variables: Object.entries(row.variables).map(([name, value]) => ({ name, value })),
      preferenceType: row.preference_type,
      marketing: false,
      dedupeKey: `notify:${row.id}`,
    };
    const principal = servicePrincipal(source, row.storefront_id, [SERVICE_SCOPES.messageSend]);
    const response = await customer
      .execute({ query: SEND, variables: { input: { messages: [message] } } }, principal)
      .catch((error: Error) => ({ errors: [{ message: error.message }], data: undefined }));
    const payload = response.data?.notificationSend as { results: { outcome: string }[]; userErrors: { message: string }[] } | undefined;
    const outcome = payload?.results[0]?.outcome;
    const problem = response.errors?.[0]?.message ?? payload?.userErrors[0]?.message ?? (outcome ? null : 'no answer');
    if (problem || !outcome) {
      loggerFor(source).warn(`notification ${row.id} (${row.template_key}) waits: ${problem}`);
      await connection.execute(`update ${table} set last_error = ?, claimed_until = null where id = ?`, [
        String(problem).slice(0, 255),
        row.id,
      ]);
      continue;
    }
    await connection.execute(`update ${table} set sent_at = now(), outcome = ?, last_error = null where id = ?`, [outcome, row.id]);
    answered += 1;
  }
  return answered;
}

type Meta = EntityMetadata<Record<string, unknown>>;

/** The subscriber (registered by createOrm when a subgraph declares rules). */
export class NotifyOnChange implements EventSubscriber {
  private customer: (() => SubgraphTarget) | null = null;
  private recorded = 0;

  constructor(
    private readonly rules: readonly NotifyRule[],
    private readonly source: string,
  ) {}

  /** Where messages go (the customer subgraph), known once the process has its peers; returns the previous one. */
  connect(customer: () => SubgraphTarget): (() => SubgraphTarget) | null {
    const previous = this.customer;
    this.customer = customer;
    return previous;
  }

  onFlush({ uow, em }: FlushEventArgs): void {
    const entities = new Set(this.rules.map((r) => r.entity));
    for (const cs of uow.getChangeSets()) {
      const action = ACTIONS[cs.type];
      if (!action || !entities.has(cs.meta.className)) continue;
      for (const notice of noticesFor(this.rules, cs.meta.className, action, rowOf(cs, action, uow), diffFor(cs, action, uow))) {
        const rule = this.rules.find((r) => r.template === notice.templateKey);
        uow.computeChangeSet(em.create(NotifyOutbox, { ...notice, preferenceType: rule?.preferenceType ?? null }));
        this.recorded += 1;
      }
    }
  }

  /** A flush outside a transaction has committed by now; inside one, `afterTransactionCommit` sends. */
  async afterFlush({ em }: FlushEventArgs): Promise<void> {
    if (!em.isInTransaction()) await this.afterCommit(em);
  }

  async afterTransactionCommit({ em, transaction }: TransactionEventArgs): Promise<void> {
    // A released savepoint is not a commit: the outer transaction's commit sends.
    if (transaction && typeof transaction === 'object' && 'savepointName' in transaction) return;
    await this.afterCommit(em);
  }

  private async afterCommit(em: EntityManager): Promise<void> {
    if (this.recorded === 0 || !this.customer) return;
    this.recorded = 0;
    try {
      await dispatchNotifications(em.fork(), this.customer(), this.source);
    } catch (error) {
      loggerFor(this.source).warn(`notify on change: ${(error as Error).message}`);
    }
  }
}

type Uow = FlushEventArgs['uow'];
// biome-ignore lint/suspicious/noExplicitAny: change sets of any entity
type AnyChange = ChangeSet<any>;

function rowOf(cs: AnyChange, action: NotifyAction, uow: Uow): NotifyRow {
  if (action === 'delete') return (cs.originalEntity ?? uow.getOriginalEntityData(cs.entity) ?? {}) as NotifyRow;
  return cs.entity as NotifyRow;
}

function diffFor(cs: AnyChange, action: NotifyAction, uow: Uow): AuditDiff {
  const audit = action.toUpperCase() as AuditAction;
  const before = action === 'create' ? undefined : ((cs.originalEntity ?? uow.getOriginalEntityData(cs.entity)) as NotifyRow | undefined);
  const after = action === 'update' ? (cs.payload as NotifyRow) : action === 'create' ? (cs.entity as NotifyRow) : undefined;
  return diffOf(cs.meta as Meta, audit, before, after);
}

/** The ORM's notify-on-change subscriber, when its subgraph declared rules. */
export function notifierOf(orm: MikroORM): NotifyOnChange | null {
  return (orm.config.get('subscribers') as unknown[]).find((s): s is NotifyOnChange => s instanceof NotifyOnChange) ?? null;
}
