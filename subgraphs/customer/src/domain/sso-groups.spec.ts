import { StartupError } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { parseSsoGroupMap, syncedGroups } from './sso-groups.js';

describe('SSO group mapping', () => {
  const map = parseSsoGroupMap('{"crm-care": "Customer care", "crm-admins": ["Catalog managers", "Security admins"]}');

  it('reads provider group → one or several access groups', () => {
    expect([...map.entries()]).toEqual([
      ['crm-care', ['Customer care']],
      ['crm-admins', ['Catalog managers', 'Security admins']],
    ]);
    expect(parseSsoGroupMap(undefined).size).toBe(0);
    expect(parseSsoGroupMap('  ').size).toBe(0);
  });

  it('refuses a map that is not an object of names', () => {
    for (const raw of ['nope', '[]', '"x"', '{"a": 1}', '{"a": [""]}', '{"a": ["ok", 2]}'])
      expect(() => parseSsoGroupMap(raw), raw).toThrow(StartupError);
  });

  it('manages only the access groups the map names', () => {
    // Marketing is not in the map: assigned by hand, it stays; Customer care follows the provider.
    expect(syncedGroups(map, ['Customer care', 'Marketing'], [])).toEqual(['Marketing']);
    expect(syncedGroups(map, ['Marketing'], ['crm-admins', 'unknown-group'])).toEqual(['Catalog managers', 'Marketing', 'Security admins']);
    expect(syncedGroups(map, ['Customer care'], ['crm-care', 'crm-care'])).toEqual(['Customer care']);
  });

  it('changes nothing without a map', () => {
    expect(syncedGroups(new Map(), ['Customer care'], ['crm-admins'])).toEqual(['Customer care']);
  });
});
