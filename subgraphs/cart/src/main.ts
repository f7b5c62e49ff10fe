import { runSubgraph } from '@dcrm/kit';
import { cartSubgraph } from './index.js';

await runSubgraph(cartSubgraph, 4003);
