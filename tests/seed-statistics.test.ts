import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';

// The run's database was provisioned with the demo seed (global setup), as `pnpm db:seed` does.
describe('provision with the seed', () => {
  it('leaves every seeded table vacuumed and analyzed: generic plans need statistics from the start', async () => {
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        `select schemaname || '.' || relname as name from pg_stat_user_tables
         where schemaname = 'catalog' and (last_analyze is null or last_vacuum is null) order by 1`,
      );
      expect(rows.map((r) => r.name)).toEqual([]);
      const [{ tuples }] = (
        await client.query<{ tuples: number }>(`select reltuples as tuples from pg_class where oid = 'catalog.product'::regclass`)
      ).rows;
      expect(tuples).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
