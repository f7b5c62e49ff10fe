import { defineEntity, p } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { AuditRecord, auditAs, auditTableSql, type IAuditRecord } from './audit-record.js';
import { requestPrincipal } from './brand-guard.js';
import { columns } from './columns.js';
import { withRequest } from './logger.js';
import { createOrm, Migration, type MikroORM, migrate } from './orm.js';
import type { Principal } from './principal.js';

const url = process.env.DATABASE_URL ?? inject('databaseUrl');
const reachable = await new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 })
  .connect()
  .then((client) => client.end().then(() => true))
  .catch(() => false);

const schema = `audit_spec_${process.pid}`;
const BRAND = '0190a000-0000-7000-8000-000000000001';
const OTHER_BRAND = '0190a000-0000-7000-8000-000000000002';
const CUSTOMER = '0190a000-0000-7000-8000-0000000000c1';

const Account = defineEntity({
  name: 'Account',
  tableName: 'account',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    customerId: p.uuid().nullable(),
    name: p.string(),
    passwordHash: p.string().nullable().hidden(),
    apiToken: p.string().nullable(),
    version: columns.version(),
  },
});

const Note = defineEntity({
  name: 'Note',
  tableName: 'note',
  properties: {
    id: columns.id(),
    account: () => p.manyToOne(Account),
    body: p.string(),
  },
});

const Counter = defineEntity({ name: 'Counter', tableName: 'counter', properties: { id: columns.id(), hits: p.integer() } });

class Tables extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "${schema}"."account" ("id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid null,
      "name" text not null, "password_hash" text null, "api_token" text null, "version" int not null default 1)`);
    this.addSql(
      `create table "${schema}"."note" ("id" uuid primary key, "account_id" uuid not null references "${schema}"."account", "body" text not null)`,
    );
    this.addSql(`create table "${schema}"."counter" ("id" uuid primary key, "hits" int not null)`);
    for (const sql of auditTableSql(schema)) this.addSql(sql);
  }
}

const staff: Principal = { kind: 'staff', id: 'staff-1', storefrontId: BRAND, partnerId: null, roles: [], scopes: [] };

/** Runs `fn` as a request of `principal` with a request id, as the subgraph server does. */
const asRequest = <T>(principal: Principal, requestId: string, fn: () => Promise<T>) =>
  withRequest(requestId, () =>
    requestPrincipal.run(async () => {
      requestPrincipal.bind(principal);
      return fn();
    }),
  );

describe.skipIf(!reachable)('AuditTrail (flush subscriber)', () => {
  let orm: MikroORM;
  let em: EntityManager;
  const records = (entityId: string) =>
    orm.em.fork().find(AuditRecord, { entityId }, { orderBy: { id: 'asc' } }) as Promise<IAuditRecord[]>;

  beforeAll(async () => {
    orm = await createOrm({
      name: schema,
      databaseUrl: url,
      entities: [Account, Note, Counter],
      migrations: [{ name: 'tables', class: Tables }],
      poolSize: 2,
      auditExclude: ['Counter'],
    });
    await migrate(orm);
  });
  afterAll(async () => {
    await orm?.em.getConnection().execute(`drop schema if exists "${schema}" cascade`);
    await orm?.close();
  });
  beforeEach(() => {
    em = orm.em.fork() as EntityManager;
  });

  it('records a create, an update and a delete with actor, request id, owners and a field diff', async () => {
    const account = em.create(Account, { storefrontId: BRAND, customerId: CUSTOMER, name: 'Ada', passwordHash: null, apiToken: null });
    await asRequest(staff, 'req-create', () => em.flush());
    account.name = 'Ada Lovelace';
    await asRequest(staff, 'req-update', () => em.flush());
    em.remove(account);
    await asRequest(staff, 'req-delete', () => em.flush());

    const [created, updated, deleted] = await records(account.id);
    expect(created).toMatchObject({
      entityType: 'Account',
      action: 'CREATE',
      actorKind: 'staff',
      actorId: 'staff-1',
      storefrontId: BRAND,
      customerId: CUSTOMER,
      requestId: 'req-create',
    });
    expect(created.diff).toMatchObject({ name: { to: 'Ada' }, storefrontId: { to: BRAND } });
    expect(updated).toMatchObject({ action: 'UPDATE', requestId: 'req-update', diff: { name: { from: 'Ada', to: 'Ada Lovelace' } } });
    // Bookkeeping (the version column) is not a change anyone made.
    expect(Object.keys(updated.diff)).toEqual(['name']);
    expect(deleted).toMatchObject({ action: 'DELETE', requestId: 'req-delete', diff: { name: { from: 'Ada Lovelace' } } });
    expect(deleted.diff.name).not.toHaveProperty('to');
  });

  it('records that a secret changed, never its value', async () => {
    const account = em.create(Account, { storefrontId: BRAND, name: 'Bo', passwordHash: 'scrypt$first', apiToken: 'tok-first' });
    await em.flush();
    account.passwordHash = 'scrypt$second';
    account.apiToken = 'tok-second';
    await em.flush();
    const trail = await records(account.id);
    expect(trail.map((r) => r.diff)).toEqual([
      expect.objectContaining({ passwordHash: { redacted: true }, apiToken: { redacted: true } }),
      { passwordHash: { redacted: true }, apiToken: { redacted: true } },
    ]);
    expect(JSON.stringify(trail)).not.toMatch(/scrypt|tok-/);
  });

  it("takes a child row's brand and account from its parent, loaded or not", async () => {
    const account = em.create(Account, { storefrontId: OTHER_BRAND, customerId: CUSTOMER, name: 'Cy' });
    await em.flush();
    const fresh = orm.em.fork() as EntityManager;
    const note = fresh.create(Note, { account: fresh.getReference(Account, account.id), body: 'called' });
    await fresh.flush();
    const [record] = await records(note.id);
    expect(record).toMatchObject({
      entityType: 'Note',
      storefrontId: OTHER_BRAND,
      customerId: CUSTOMER,
      diff: { account: { to: account.id } },
    });
  });

  it('writes in the same transaction: a rolled-back write leaves no record', async () => {
    let id = '';
    await expect(
      em.transactional(async (tx) => {
        id = tx.create(Account, { storefrontId: BRAND, name: 'Rolled back' }).id;
        await tx.flush();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(id).not.toBe('');
    expect(await records(id)).toEqual([]);
  });

  it('attributes jobs and system work, and skips the entities a subgraph opts out of', async () => {
    const account = em.create(Account, { storefrontId: BRAND, name: 'Job' });
    await auditAs({ kind: 'job', id: 'nightly' }, () => em.flush());
    const counter = em.create(Counter, { hits: 1 });
    await em.flush();
    const [record] = await records(account.id);
    expect(record).toMatchObject({ actorKind: 'job', actorId: 'nightly', requestId: null });
    expect(await records(counter.id)).toEqual([]);
    const bare = em.create(Account, { storefrontId: BRAND, name: 'System' });
    await em.flush();
    expect((await records(bare.id))[0]).toMatchObject({ actorKind: 'system', actorId: null });
  });
});
