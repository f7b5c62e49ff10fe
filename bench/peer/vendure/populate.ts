/**
 * Fills a fresh Vendure database as `@vendure/create` does: `populate()` with the initial data and the products
 * CSV written by `bench/peer/catalogue.ts`, one image per product (made here with sharp, which the asset server
 * brings), then a full search reindex, waited for, so the bench measures a settled index.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, type InitialData, JobQueueService, RequestContextService, SearchService, TransactionalConnection } from '@vendure/core';
import { populate } from '@vendure/core/cli/populate.js';
import sharp from 'sharp';
import { vendureConfig } from './config.js';

const dataDir = process.env.PEER_DATA_DIR as string;
const slugs = JSON.parse(readFileSync(join(dataDir, 'slugs.json'), 'utf8')) as string[];
mkdirSync(join(dataDir, 'images'), { recursive: true });
// A 400×400 PNG per product, each a different colour: the importer stores and previews each as its own asset.
for (const [i, slug] of slugs.entries()) {
  const file = join(dataDir, 'images', `${slug}.png`);
  if (existsSync(file)) continue;
  const background = { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 };
  await sharp({ create: { width: 400, height: 400, channels: 3, background } })
    .png()
    .toFile(file);
}

// populate() writes its import errors to vendure-import-error.log in the working directory: keep it with the data.
process.chdir(dataDir);
const initialData = JSON.parse(readFileSync(join(dataDir, 'initial-data.json'), 'utf8')) as InitialData;
const app = await populate(
  async () => {
    const started = await bootstrap(vendureConfig({ synchronize: true }));
    // Jobs (search index updates) run in this process, as the template's populate run does.
    await started.get(JobQueueService).start();
    return started;
  },
  initialData,
  join(dataDir, 'products.csv'),
);
if (existsSync(join(process.cwd(), 'vendure-import-error.log')))
  throw new Error('the product import had errors: see vendure-import-error.log');

const ctx = await app.get(RequestContextService).create({ apiType: 'admin' });
await app.get(SearchService).reindex(ctx);
const connection = app.get(TransactionalConnection).rawConnection;
for (;;) {
  const [{ pending }] = (await connection.query(`select count(*)::int as pending from job_record where not "isSettled"`)) as {
    pending: number;
  }[];
  if (pending === 0) break;
  await new Promise((r) => setTimeout(r, 500));
}
const [{ failed }] = (await connection.query(`select count(*)::int as failed from job_record where state = 'FAILED'`)) as {
  failed: number;
}[];
const [{ items }] = (await connection.query('select count(*)::int as items from search_index_item')) as { items: number }[];
console.log(`[populate] search index: ${items} rows, ${failed} failed jobs`);
await app.close();
if (failed > 0) process.exit(1);
process.exit(0);
