import { warmDecisionProfiles } from '@dcrm/customer/domain/decision-profiles.js';
import { databaseNamespaceOfUrl, hotProfiles, newId } from '@dcrm/kit';
import pg from 'pg';
import { benchEnv, type Child, freePort, startServe, waitReady } from './processes.js';

/**
 * The decisioning bench's world: `subscribers` prepaid and postpaid accounts of one brand, written by
 * set-based SQL (a million in well under a minute), with MSISDNs, consents and offer preferences spread
 * over the base, and a realistic rule set (data top-up near the allowance, recharge nudges, roaming
 * packs, heavy app users).
 */
export async function seedSubscribers(url: string, storefrontId: string, subscribers: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into "customer"."customer" (id, storefront_id, type, name, email, mobile, status, category, segment, lifecycle_stage,
         consents, notification_preferences, created_at, updated_at)
       select gen_random_uuid(), $1, 'INDIVIDUAL', 'Subscriber ' || n, 's' || n || '@bench.example', '+35387' || lpad(n::text, 7, '0'),
         'ACTIVE', 'CONSUMER', case when n % 10 < 7 then 'prepaid' else 'postpaid' end, 'ACTIVE',
         case n % 4
           when 0 then '[{"channel": "SMS", "granted": true, "updatedAt": "2026-01-01T00:00:00Z"}, {"channel": "EMAIL", "granted": true, "updatedAt": "2026-01-01T00:00:00Z"}]'
           when 1 then '[{"channel": "SMS", "granted": true, "updatedAt": "2026-01-01T00:00:00Z"}]'
           when 2 then '[{"channel": "EMAIL", "granted": true, "updatedAt": "2026-01-01T00:00:00Z"}]'
           else '[]' end::jsonb,
         case when n % 5 = 0 then '[{"type": "OFFERS", "channels": ["SMS"]}]' else '[]' end::jsonb,
         now(), now()
       from generate_series(1, $2::int) n`,
      [storefrontId, subscribers],
    );
    const rule = (
      name: string,
      eventType: string,
      conditions: unknown[],
      action: unknown,
      extra: { priority?: number; budget?: number } = {},
    ) => ({
      name,
      eventType,
      conditions,
      action,
      channels: ['LIVE', 'PUSH', 'SMS', 'INBOX'],
      priority: 0,
      score: 50,
      cooldownMinutes: 1440,
      dailyCap: 3,
      channelDailyCap: 2,
      budget: null as number | null,
      ...extra,
    });
    const offer = (title: string) => ({ kind: 'OFFER', template: { title, message: `{{name}}, ${title.toLowerCase()}` } });
    const rules = [
      rule(
        'Data top-up at 80 %',
        'DATA_USAGE',
        [{ subject: 'PAYLOAD', key: 'usedShare', op: 'GTE', number: 0.8 }],
        offer('A 5 GB top-up'),
        {
          priority: 10,
        },
      ),
      rule(
        'Heavy data week',
        'DATA_USAGE',
        [{ subject: 'COUNT', eventType: 'DATA_USAGE', windowHours: 24, op: 'GTE', number: 20 }],
        offer('Unlimited weekend'),
      ),
      rule('Recharge nudge', 'BALANCE_LOW', [{ subject: 'PAYLOAD', key: 'balance', op: 'LT', number: 2 }], {
        kind: 'MESSAGE',
        template: { title: 'Low balance', message: 'Recharge now, {{name}}' },
      }),
      rule('Roaming pack', 'ROAMING_ENTERED', [], offer('A roaming day pass'), { priority: 20 }),
      rule('Thank-you bonus', 'RECHARGE', [{ subject: 'PAYLOAD', key: 'amount', op: 'GTE', number: 20 }], offer('A bonus 1 GB'), {
        budget: 50_000,
      }),
      rule(
        'Video pass',
        'APP_USAGE',
        [{ subject: 'SUM', eventType: 'APP_USAGE', windowHours: 24, op: 'GTE', number: 1000 }],
        offer('A video pass'),
      ),
    ];
    for (const r of rules)
      await client.query(
        `insert into "promotion"."decision_rule" (id, storefront_id, name, event_type, conditions, action, channels, priority, score,
           cooldown_minutes, daily_cap, channel_daily_cap, budget, active, created_at)
         values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $12, $13, true, now())`,
        [
          newId(),
          storefrontId,
          r.name,
          r.eventType,
          JSON.stringify(r.conditions),
          JSON.stringify(r.action),
          JSON.stringify(r.channels),
          r.priority,
          r.score,
          r.cooldownMinutes,
          r.dailyCap,
          r.channelDailyCap,
          r.budget ?? null,
        ],
      );
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

/** Every account's decisioning profile into Redis, as `dcrm warm-profiles` does; returns how many. */
export async function warmProfiles(url: string, redisUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const hot = hotProfiles(redisUrl, databaseNamespaceOfUrl(url));
  try {
    return await warmDecisionProfiles(async (sql, params) => (await client.query(sql, params)).rows, hot);
  } finally {
    await hot.close();
    await client.end();
  }
}

/** Account ids by subscriber number (index n - 1), for the account-id identity variant. */
export async function accountIds(url: string, storefrontId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `select id from "customer"."customer" where storefront_id = $1 and mobile like '+35387%' order by mobile`,
      [storefrontId],
    );
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

export type Consumers = { children: Child[]; metricsUrls: string[]; stop(): Promise<void> };

/** What every process of the bench shares: one database, one Redis, the internal secret, jobs off. */
export function commonEnv(databaseUrl: string, redisUrl: string): NodeJS.ProcessEnv {
  return { ...benchEnv(databaseUrl, redisUrl), DCRM_JOBS: 'off', DCRM_MIGRATE: 'false' };
}

/** The customer subgraph (profiles and notifications), the one peer the decision path calls, with its production runtime flags. */
export async function startCustomer(env: NodeJS.ProcessEnv, nodeOptions?: string): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const options = [process.env.NODE_OPTIONS, nodeOptions].filter(Boolean).join(' ');
  const child = startServe('customer', 'customer', {
    ...env,
    PORT: String(port),
    DCRM_DECISION_STREAM: 'off',
    ...(options ? { NODE_OPTIONS: options } : {}),
  });
  await waitReady(child, `http://127.0.0.1:${port}/readyz`);
  return { child, url: `http://127.0.0.1:${port}/graphql` };
}

/** `count` promotion processes, each a consumer of `stream` in the decisioning group, with their production runtime flags. */
export async function startConsumers(
  count: number,
  env: NodeJS.ProcessEnv,
  stream: string,
  profileDir?: string,
  /** Extra Node flags for the consumers only (e.g. `--max-semi-space-size=32`), to try runtime flags side by side. */
  consumerNodeOptions?: string,
): Promise<Consumers> {
  const children: Child[] = [];
  const metricsUrls: string[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const nodeOptions = [process.env.NODE_OPTIONS, consumerNodeOptions, profileDir ? `--cpu-prof --cpu-prof-dir ${profileDir}` : '']
      .filter(Boolean)
      .join(' ');
    const child = startServe(`promotion ${i + 1}`, 'promotion', {
      ...env,
      PORT: String(port),
      DCRM_EVENTS_STREAM: stream,
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    });
    children.push(child);
    metricsUrls.push(`http://127.0.0.1:${port}/metrics`);
    await waitReady(child, `http://127.0.0.1:${port}/readyz`);
  }
  return { children, metricsUrls, stop: async () => void (await Promise.all(children.map((c) => c.stop()))) };
}
