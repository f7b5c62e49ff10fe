import type { SubgraphContext } from '@dcrm/kit';
import type { PromotionServices } from '../domain/services.js';
import type { PromotionLoaders } from '../loaders.js';

export type PromotionContext = SubgraphContext<PromotionLoaders, PromotionServices>;
