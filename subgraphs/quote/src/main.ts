import { runSubgraph } from '@dcrm/kit';
import { quoteSubgraph } from './index.js';

await runSubgraph(quoteSubgraph, 4006);
