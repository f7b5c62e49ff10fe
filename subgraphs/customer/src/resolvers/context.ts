import type { SubgraphContext } from '@dcrm/kit';
import type { CustomerServices } from '../domain/services.js';
import type { CustomerLoaders } from '../loaders.js';

export type CustomerContext = SubgraphContext<CustomerLoaders, CustomerServices>;
