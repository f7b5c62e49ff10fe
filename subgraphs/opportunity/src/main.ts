import { runSubgraph } from '@dcrm/kit';
import { opportunitySubgraph } from './index.js';

await runSubgraph(opportunitySubgraph, 4005);
