import type { SubgraphContext } from '@dcrm/kit';
import type { CartServices } from '../domain/services.js';
import type { CartLoaders } from '../loaders.js';

export type CartContext = SubgraphContext<CartLoaders, CartServices>;
