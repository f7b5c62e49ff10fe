import { describe, expect, it } from 'vitest';
import type { ProductView } from '../entities/views.js';
import { comparisonMatrix } from './compare.js';

const product = (id: string, attributes: ProductView['attributes']): ProductView => ({
  id,
  slug: id,
  name: id,
  kind: 'PLAN',
  status: 'ACTIVE',
  description: '',
  categoryId: null,
  attributes,
  images: [],
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

describe('comparisonMatrix', () => {
  it('aligns attributes by key, nulls for missing ones, and flags differences', () => {
    const rows = comparisonMatrix([
      product('a', [
        { key: 'data', label: 'Data', value: '20', unit: 'GB' },
        { key: 'network', label: 'Network', value: '5G' },
      ]),
      product('b', [
        { key: 'network', label: 'Network', value: '5G' },
        { key: 'data', label: 'Data', value: 'Unlimited', unit: 'GB' },
        { key: 'minutes', label: 'Minutes', value: 'Unlimited' },
      ]),
    ]);
    expect(rows).toEqual([
      { key: 'data', label: 'Data', unit: 'GB', values: ['20', 'Unlimited'], differs: true },
      { key: 'network', label: 'Network', unit: null, values: ['5G', '5G'], differs: false },
      { key: 'minutes', label: 'Minutes', unit: null, values: [null, 'Unlimited'], differs: true },
    ]);
  });
});
