import {
  type AnyEntity,
  type ChangeSet,
  ChangeSetType,
  type EntityMetadata,
  type EventSubscriber,
  type FlushEventArgs,
  ReferenceKind,
  wrap,
} from '@mikro-orm/core';
import { type AuditAction, type AuditDiff, AuditRecord, currentActor, currentRequestIds } from './audit-record.js';

/**
 * The audit trail, written once for every subgraph: on each flush, one `AuditRecord` per created,
 * updated or deleted entity, persisted in that same flush — so in the same transaction, and a
 * rolled-back write leaves no record. Registered on every ORM (orm.ts) after the brand guard.
 *
 * - Actor: an explicit `auditAs` (jobs, seeds), else the request's principal, else `system`.
 * - Diff: property → { from, to } (JSON values; relations by id). Hidden properties and any whose name
 *   says password, secret, hash or token are recorded as `{ redacted: true }`: that they changed, never
 *   their values. Bookkeeping columns (`version`, `updatedAt`) are left out.
 * - Owners, by convention: the brand is a `storefrontId` / `storefront` property (a `Storefront` is its
 *   own), the account a `customerId` / `customer` property (a `Customer` is its own); a row with
 *   neither takes them from the many-to-one parent that has them (a price from its list, an address
 *   from its customer), read in the flush's transaction when not loaded.
 * - Not recorded: entities a subgraph opts out of (`OrmOptions.auditExclude`: outbox, sessions,
 *   counters…), the audit records themselves, raw SQL (`execute`, `nativeUpdate`) and many-to-many
 *   link rows.
 */
type Meta = EntityMetadata<Record<string, unknown>>;
type Row = Record<string, unknown>;
type Owners = { storefrontId: string | null; customerId: string | null };

const ACTIONS: Partial<Record<ChangeSetType, AuditAction>> = {
  [ChangeSetType.CREATE]: 'CREATE',
  [ChangeSetType.UPDATE]: 'UPDATE',
  [ChangeSetType.DELETE]: 'DELETE',
  [ChangeSetType.DELETE_EARLY]: 'DELETE',
};

const SECRET_NAME = /password|secret|hash|token/i;
const BOOKKEEPING = new Set(['version', 'updatedAt']);
const BRAND = ['storefrontId', 'storefront'];
const ACCOUNT = ['customerId', 'customer'];

/** A scalar id, or an entity / reference's primary key. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'id' in value && typeof value.id === 'string') return value.id;
  return null;
}

/** A property value as JSON: dates as ISO strings, related entities by id. */
function jsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && !Array.isArray(value) && wrapped(value)) return idOf(value);
  return value;
}

const wrapped = (value: object) => '__helper' in value || '__meta' in value;

const isSecret = (meta: Meta, name: string) => Boolean(meta.properties[name]?.hidden) || SECRET_NAME.test(name);

/** The diff of one change set: what was created, what changed (old → new), or what was deleted. */
export function diffOf(meta: Meta, action: AuditAction, before: Row | undefined, after: Row | undefined): AuditDiff {
  const names =
    action === 'UPDATE'
      ? Object.keys(after ?? {})
      : Object.keys(meta.properties).filter((n) => (action === 'CREATE' ? after : before)?.[n] != null);
  const diff: AuditDiff = {};
  for (const name of names) {
    const prop = meta.properties[name];
    if (!prop || BOOKKEEPING.has(name) || prop.kind === ReferenceKind.ONE_TO_MANY || prop.kind === ReferenceKind.MANY_TO_MANY) continue;
    if (isSecret(meta, name)) {
      diff[name] = { redacted: true };
      continue;
    }
    const change: AuditDiff[string] = {};
    if (action !== 'CREATE') change.from = jsonValue(before?.[name]);
    if (action !== 'DELETE') change.to = jsonValue(after?.[name]);
    diff[name] = change;
  }
  return diff;
}

/** The brand and account a row names itself (null where it names none). */
function ownOwners(meta: Meta, row: Row, id: string | null): Owners {
  const pick = (names: string[]) => names.map((n) => (meta.properties[n] ? idOf(row[n]) : null)).find((v) => v) ?? null;
  return {
    storefrontId: meta.className === 'Storefront' ? id : pick(BRAND),
    customerId: meta.className === 'Customer' ? id : pick(ACCOUNT),
  };
}

const namesOwners = (meta: Meta | undefined) =>
  Boolean(meta && (['Storefront', 'Customer'].includes(meta.className) || [...BRAND, ...ACCOUNT].some((n) => meta.properties[n])));

export class AuditTrail implements EventSubscriber {
  constructor(private readonly exclude: ReadonlySet<string> = new Set()) {}

  async onFlush({ uow, em }: FlushEventArgs): Promise<void> {
    const changes = uow
      .getChangeSets()
      .filter((cs) => ACTIONS[cs.type] && cs.meta.className !== 'AuditRecord' && !this.exclude.has(cs.meta.className));
    if (changes.length === 0) return;
    const actor = currentActor();
    const ids = currentRequestIds();
    const owners = await this.ownersOf(changes, em);
    changes.forEach((cs, i) => {
      const action = ACTIONS[cs.type] as AuditAction;
      const meta = cs.meta as Meta;
      const before = action === 'CREATE' ? undefined : ((cs.originalEntity ?? uow.getOriginalEntityData(cs.entity)) as Row | undefined);
      const after = action === 'UPDATE' ? (cs.payload as Row) : action === 'CREATE' ? (cs.entity as Row) : undefined;
      const diff = diffOf(meta, action, before, after);
      if (action === 'UPDATE' && Object.keys(diff).length === 0) return;
      const record = em.create(AuditRecord, {
        entityType: meta.className,
        entityId: entityIdOf(cs),
        action,
        actorKind: actor.kind,
        actorId: actor.id,
        ...owners[i],
        ...ids,
        diff,
      });
      uow.computeChangeSet(record);
    });
  }

  /** Each change's brand and account: its own, else its parent's (loaded, or read in one query per parent table). */
  private async ownersOf(changes: ChangeSet<AnyEntity>[], em: FlushEventArgs['em']): Promise<Owners[]> {
    const pending: { index: number; target: Meta; id: string }[] = [];
    const result = changes.map((cs, index) => {
      const meta = cs.meta as Meta;
      const row = cs.entity as Row;
      const own = ownOwners(meta, row, entityIdOf(cs));
      if (own.storefrontId && (own.customerId || !namesAccount(meta))) return own;
      // The account's own row first: an interaction's brand is its customer's, not its agent's.
      const relations = [...meta.relations].sort(
        (a, b) => Number(b.targetMeta?.className === 'Customer') - Number(a.targetMeta?.className === 'Customer'),
      );
      for (const relation of relations) {
        const target = relation.targetMeta as Meta | undefined;
        if (relation.kind !== ReferenceKind.MANY_TO_ONE || !namesOwners(target) || target?.primaryKeys.length !== 1) continue;
        const value = row[relation.name];
        const id = idOf(value);
        if (!id || !target) continue;
        if (value && typeof value === 'object' && wrap(value).isInitialized()) {
          const parent = ownOwners(target, value as Row, id);
          own.storefrontId ??= parent.storefrontId;
          own.customerId ??= parent.customerId;
        } else if (target.className === 'Customer' && !own.customerId) {
          own.customerId = id;
          pending.push({ index, target, id });
        } else pending.push({ index, target, id });
        break;
      }
      return own;
    });
    for (const [target, group] of groupBy(pending, (p) => p.target)) {
      const rows = await readOwners(em, target, [...new Set(group.map((p) => p.id))]);
      for (const { index, id } of group) {
        const parent = rows.get(id);
        if (!parent) continue;
        result[index].storefrontId ??= parent.storefrontId;
        result[index].customerId ??= parent.customerId;
      }
    }
    return result;
  }
}

/** An entity that could belong to an account but names none itself (a guest cart): no parent lookup for that. */
const namesAccount = (meta: Meta) => ACCOUNT.some((n) => meta.properties[n]);

function entityIdOf(cs: ChangeSet<AnyEntity>): string {
  return wrap(cs.entity, true).getSerializedPrimaryKey() ?? String(cs.getSerializedPrimaryKey());
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

/** Brand and account of parent rows by id, from their table (in the flush's transaction, when there is one). */
async function readOwners(em: FlushEventArgs['em'], target: Meta, ids: string[]): Promise<Map<string, Owners>> {
  const column = (names: string[]) => names.map((n) => target.properties[n]?.fieldNames?.[0]).find(Boolean);
  const key = target.properties[target.primaryKeys[0]].fieldNames[0];
  const brand = target.className === 'Storefront' ? key : column(BRAND);
  const account = target.className === 'Customer' ? key : column(ACCOUNT);
  const table = `"${target.schema ?? em.config.get('schema')}"."${target.tableName}"`;
  const select = (c: string | undefined) => (c ? `"${c}"::text` : 'null');
  const rows: { id: string; brand: string | null; account: string | null }[] = await em
    .getConnection()
    .execute(
      `select "${key}"::text as id, ${select(brand)} as brand, ${select(account)} as account from ${table} where "${key}" in (?)`,
      [ids],
      'all',
      em.getTransactionContext(),
    );
  return new Map(rows.map((r) => [r.id, { storefrontId: r.brand, customerId: r.account }]));
}
