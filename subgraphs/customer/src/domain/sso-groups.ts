import { StartupError } from '@dcrm/kit';

/**
 * Which access groups an identity provider's groups give (staff single sign-on), from
 * `DCRM_SSO_GROUP_MAP`: a JSON object of provider group → access group name(s), e.g.
 * `{"crm-care": "Customer care", "crm-admins": ["Catalog managers", "Security admins"]}`.
 *
 * The access groups the map names are managed by the provider: at each SSO sign-in a member holds
 * exactly those of them their provider groups map to. Access groups the map does not name are left
 * as staff administrators assign them. An empty map changes nobody's access groups.
 */
export type SsoGroupMap = ReadonlyMap<string, readonly string[]>;

const names = (value: unknown): string[] | null => {
  const list = Array.isArray(value) ? value : [value];
  return list.every((v) => typeof v === 'string' && v.trim() !== '') ? list.map((v) => (v as string).trim()) : null;
};

/** Throws a StartupError on a map that is not such an object. */
export function parseSsoGroupMap(raw: string | undefined): SsoGroupMap {
  if (!raw?.trim()) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new StartupError('DCRM_SSO_GROUP_MAP is not JSON: use {"provider group": "access group name", …}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new StartupError('DCRM_SSO_GROUP_MAP must be a JSON object of provider group → access group name(s)');
  const entries = Object.entries(parsed).map(([group, value]) => {
    const mapped = names(value);
    if (!mapped) throw new StartupError(`DCRM_SSO_GROUP_MAP: "${group}" must map to an access group name or a list of them`);
    return [group, mapped] as const;
  });
  return new Map(entries);
}

/** Every access group the map manages. */
export const managedGroups = (map: SsoGroupMap): Set<string> => new Set([...map.values()].flat());

/**
 * The access group names a member holds after signing in with `providerGroups`, given those they hold
 * now: the unmanaged ones kept, the managed ones exactly as the provider's groups map.
 */
export function syncedGroups(map: SsoGroupMap, current: readonly string[], providerGroups: readonly string[]): string[] {
  const managed = managedGroups(map);
  const kept = current.filter((name) => !managed.has(name));
  const granted = providerGroups.flatMap((g) => map.get(g) ?? []);
  return [...new Set([...kept, ...granted])].sort();
}
