/**
 * The all-in-one shape as a child of `pnpm bench`: every subgraph and the router in this process,
 * subgraphs called in-process. PORT, DATABASE_URL (already migrated and seeded).
 */
import { stopOnSignals } from '@dcrm/kit';
import { startStack } from '../stack/src/stack.js';

const port = Number(process.env.PORT);
if (!port || !process.env.DATABASE_URL) throw new Error('PORT and DATABASE_URL are required');
const stack = await startStack({ databaseUrl: process.env.DATABASE_URL, seed: false, exposeSqlCount: true, warmUp: true });
await stack.router.listen(port, '127.0.0.1');
console.log(`[all-in-one] router on http://127.0.0.1:${port}/graphql`);

stopOnSignals(() => stack.stop());
