import DataLoader from 'dataloader';

/** A per-request loader that returns one row (or null) per key, in key order. */
export function byId<T>(load: (ids: readonly string[]) => Promise<T[]>, idOf: (row: T) => string): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await load(ids);
    const index = new Map(rows.map((row) => [idOf(row), row]));
    return ids.map((id) => index.get(id) ?? null);
  });
}

/** A per-request loader that returns the list of children for each parent key. */
export function groupedBy<T>(load: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const rows = await load(keys);
    const groups = new Map<string, T[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const list = groups.get(key);
      if (list) list.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** A value computed at most once per request (on first use). */
export function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | null = null;
  return () => (value ??= load());
}
