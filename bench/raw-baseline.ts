/**
 * The practical limit: the bench's operations answered by ONE hand-written SQL statement each, through
 * `pg` in a bare `node:http` handler, with JSON shaped like the GraphQL answer (built by PostgreSQL).
 * A child process of `pnpm bench`: PORT, DATABASE_URL, STOREFRONT_ID.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SQL_COUNT_HEADER } from '@dcrm/kit';
import pg from 'pg';
import { parseSearch } from '../subgraphs/catalog/src/domain/search-query.js';

const port = Number(process.env.PORT);
const storefrontId = process.env.STOREFRONT_ID;
if (!port || !storefrontId || !process.env.DATABASE_URL) throw new Error('PORT, DATABASE_URL and STOREFRONT_ID are required');
// The same pool size as a subgraph's ORM.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

// The storefront's list price of product `<alias>.id`, recurring first: `price` as GraphQL's Price, `amount` for bands.
const headlinePrice = (alias: string) => `left join lateral (
  select pr.amount, json_build_object('amount', json_build_object('amount', pr.amount::text, 'currencyCode', pl.currency_code),
    'interval', pr.interval) as price
  from catalog.price pr join catalog.price_list pl on pl.id = pr.price_list_id
  where pr.product_id = ${alias}.id and pl.storefront_id = $1 and pl.customer_id is null and pl.segment is null
  order by pr.type = 'RECURRING' desc limit 1) hp on true`;

const LISTING = `with page as (
  select p.id, p.name, p.slug, p.category_id, sp.position
  from catalog.storefront_product sp join catalog.product p on p.id = sp.product_id
  where sp.storefront_id = $1 and p.status = 'ACTIVE' order by sp.position, p.id limit $2)
select json_build_object('data', json_build_object('products', json_build_object('nodes', coalesce(json_agg(
  json_build_object('name', page.name, 'slug', page.slug, 'price', hp.price,
    'category', case when c.id is null then null else json_build_object('name', c.name) end)
  order by page.position, page.id), '[]'::json))))::text as body
from page ${headlinePrice('page')} left join catalog.category c on c.id = page.category_id`;

const BAND = `case when amount < 10 then 'UNDER_10' when amount < 25 then 'FROM_10_TO_25' when amount < 50 then 'FROM_25_TO_50'
  when amount < 100 then 'FROM_50_TO_100' else 'OVER_100' end`;

const SEARCH = `with matches as (
  select p.id, p.name, p.slug, p.kind, p.category_id, ts_rank_cd(p.search, q.query) as rank, hp.amount, hp.price
  from catalog.storefront_product sp join catalog.product p on p.id = sp.product_id
  cross join lateral to_tsquery('english', $2) q(query) ${headlinePrice('p')}
  where sp.storefront_id = $1 and p.status = 'ACTIVE' and p.search @@ q.query),
page as (select * from matches order by rank desc, id desc limit $3),
kinds as (select kind, count(*)::int as n from matches group by kind),
cats as (select category_id, count(*)::int as n from matches where category_id is not null group by category_id),
bands as (select ${BAND} as band, min(amount) as low, count(*)::int as n from matches where amount is not null group by 1)
select json_build_object('data', json_build_object('products', json_build_object(
  'totalCount', (select count(*)::int from matches),
  'nodes', (select coalesce(json_agg(json_build_object('name', name, 'slug', slug, 'price', price) order by rank desc, id desc), '[]')
    from page),
  'facets', json_build_object(
    'kinds', (select coalesce(json_agg(json_build_object('kind', kind, 'count', n) order by n desc), '[]') from kinds),
    'categories', (select coalesce(json_agg(json_build_object('category', json_build_object('name', c.name), 'count', n) order by n desc), '[]')
      from cats join catalog.category c on c.id = cats.category_id),
    'priceBands', (select coalesce(json_agg(json_build_object('band', band, 'count', n) order by low), '[]') from bands)))))::text as body`;

const DETAIL = `with found as (
  select p.* from catalog.product p join catalog.storefront_product sp on sp.product_id = p.id and sp.storefront_id = $1
  where p.slug = $2 and p.status = 'ACTIVE')
select json_build_object('data', json_build_object('product', (select json_build_object(
  'name', p.name, 'slug', p.slug, 'kind', p.kind, 'description', p.description,
  'attributes', (select coalesce(json_agg(json_build_object('key', a->>'key', 'label', a->>'label', 'value', a->>'value',
      'unit', a->>'unit') order by n), '[]') from jsonb_array_elements(p.attributes) with ordinality as t(a, n)),
  'prices', (select coalesce(json_agg(json_build_object('type', pr.type,
      'amount', json_build_object('amount', pr.amount::text, 'currencyCode', pl.currency_code), 'interval', pr.interval)
      order by pr.type = 'RECURRING' desc), '[]')
    from catalog.price pr join catalog.price_list pl on pl.id = pr.price_list_id
    where pr.product_id = p.id and pl.storefront_id = $1 and pl.customer_id is null and pl.segment is null),
  'compatibleAddons', (select coalesce(json_agg(json_build_object('name', a.name, 'slug', a.slug, 'price', hp.price)
      order by a.name, a.id), '[]')
    from catalog.product_addon r join catalog.product a on a.id = r.addon_id
    join catalog.storefront_product asp on asp.product_id = a.id and asp.storefront_id = $1 ${headlinePrice('a')}
    where r.product_id = p.id and a.status = 'ACTIVE')) from found p)))::text as body`;

type Variables = Record<string, unknown>;
type Statement = { sql: string; params: (v: Variables) => unknown[] };

const STATEMENTS: Record<string, Statement> = {
  '/listing': { sql: LISTING, params: (v) => [storefrontId, v.first] },
  '/search': { sql: SEARCH, params: (v) => [storefrontId, parseSearch(v.query as string).tsquery, v.first] },
  '/detail': { sql: DETAIL, params: (v) => [storefrontId, v.slug] },
};

async function readJson(req: IncomingMessage): Promise<{ variables?: Variables }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/readyz') {
    await pool.query('select 1');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    return;
  }
  const statement = STATEMENTS[path];
  if (!statement) {
    res.writeHead(404).end();
    return;
  }
  const { variables = {} } = await readJson(req);
  // Named: parsed and planned once per connection, as a hand-tuned service would.
  const { rows } = await pool.query({ name: path, text: statement.sql, values: statement.params(variables) });
  res.writeHead(200, { 'content-type': 'application/json', [SQL_COUNT_HEADER]: '1' }).end(rows[0].body as string);
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  handle(req, res).catch((error: Error) => {
    console.error('[raw] request failed', error);
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: error.message }] }));
  });
});
server.listen(port, '127.0.0.1', () => console.log(`[raw] baseline on http://127.0.0.1:${port}`));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void pool.end().then(() => process.exit(0));
  });
}
