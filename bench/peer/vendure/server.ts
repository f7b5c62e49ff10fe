/**
 * Vendure's server process (the template's `index.ts`): the Shop API the peer bench measures. Its worker is
 * not started: the catalogue is already indexed by `populate.ts`, and no Shop API read enqueues a job.
 */
import { bootstrap } from '@vendure/core';
import { vendureConfig } from './config.js';

const app = await bootstrap(vendureConfig({ synchronize: false }));
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
