import type { BootedSubgraph } from '@dcrm/kit';
import { bootForTest } from '@dcrm/kit/testing';
import { inject } from 'vitest';
import { catalogSubgraph } from '../src/index.js';

export { codes, gql } from '@dcrm/kit/testing';

export const bootCatalog = (): Promise<BootedSubgraph> => bootForTest(catalogSubgraph, inject('databaseUrl'));
