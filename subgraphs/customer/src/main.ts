import { runSubgraph } from '@dcrm/kit';
import { customerSubgraph } from './index.js';

await runSubgraph(customerSubgraph, 4002);
