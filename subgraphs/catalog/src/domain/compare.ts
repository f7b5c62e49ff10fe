import type { ProductView } from '../entities/views.js';

export type ComparisonRow = { key: string; label: string; unit: string | null; values: (string | null)[]; differs: boolean };

/** One row per attribute any product has, in first-seen order; a missing attribute is null. */
export function comparisonMatrix(products: ProductView[]): ComparisonRow[] {
  const rows = new Map<string, ComparisonRow>();
  products.forEach((product, column) => {
    for (const attribute of product.attributes) {
      let row = rows.get(attribute.key);
      if (!row) {
        row = {
          key: attribute.key,
          label: attribute.label,
          unit: attribute.unit ?? null,
          values: products.map(() => null),
          differs: false,
        };
        rows.set(attribute.key, row);
      }
      row.values[column] = attribute.value;
    }
  });
  for (const row of rows.values()) row.differs = new Set(row.values).size > 1;
  return [...rows.values()];
}
