import { runSubgraph } from '@dcrm/kit';
import { catalogSubgraph } from './index.js';

await runSubgraph(catalogSubgraph, 4001);
