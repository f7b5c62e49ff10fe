import { cartSubgraph } from '@dcrm/cart';
import { catalogSubgraph } from '@dcrm/catalog';
import { customerSubgraph } from '@dcrm/customer';
import type { SubgraphDefinition } from '@dcrm/kit';
import { opportunitySubgraph } from '@dcrm/opportunity';
import { promotionSubgraph } from '@dcrm/promotion';
import { quoteSubgraph } from '@dcrm/quote';
import { ticketSubgraph } from '@dcrm/ticket';

/** Every subgraph, in boot order. A new subgraph is added here: the stack boots it, provisioning migrates it, compose composes it. */
export const SUBGRAPHS: SubgraphDefinition[] = [
  catalogSubgraph,
  customerSubgraph,
  cartSubgraph,
  promotionSubgraph,
  opportunitySubgraph,
  ticketSubgraph,
  quoteSubgraph,
];
