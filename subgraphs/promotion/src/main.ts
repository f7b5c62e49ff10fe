import { runSubgraph } from '@dcrm/kit';
import { promotionSubgraph } from './index.js';

await runSubgraph(promotionSubgraph, 4004);
