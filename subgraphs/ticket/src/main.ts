import { runSubgraph } from '@dcrm/kit';
import { ticketSubgraph } from './index.js';

await runSubgraph(ticketSubgraph, 4007);
