import type { SubgraphContext } from '@dcrm/kit';
import type { CatalogLoaders } from '../loaders.js';

export type CatalogContext = SubgraphContext<CatalogLoaders>;
