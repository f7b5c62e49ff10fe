import { describe, expect, it } from 'vitest';
import type { ISlaPolicy } from '../../entities/index.js';
import { selectPolicy } from './policy.js';

const policy = (id: string, criteria: Partial<ISlaPolicy>, active = true) => ({ id, name: id, active, ...criteria }) as ISlaPolicy;

describe('SLA policy selection', () => {
  const policies = [
    policy('default', {}),
    policy('critical', { priority: 'CRITICAL' }),
    policy('billing-smb', { category: 'BILLING', segment: 'smb' }),
    policy('enterprise', { segment: 'enterprise' }),
    policy('critical-network', { priority: 'CRITICAL', category: 'NETWORK' }),
    policy('retired', { priority: 'LOW' }, false),
  ];
  const pick = (priority: string, category: string, segment: string) =>
    selectPolicy(policies, { priority, category, segment } as never)?.id ?? null;

  it('the most specific match wins: priority over category over segment', () => {
    expect(pick('CRITICAL', 'NETWORK', 'consumer')).toBe('critical-network');
    expect(pick('CRITICAL', 'BILLING', 'smb')).toBe('critical');
    expect(pick('MEDIUM', 'BILLING', 'smb')).toBe('billing-smb');
    expect(pick('MEDIUM', 'BILLING', 'enterprise')).toBe('enterprise');
    expect(pick('MEDIUM', 'DEVICE', 'consumer')).toBe('default');
  });

  it('inactive policies are never chosen; no match is null', () => {
    expect(pick('LOW', 'OTHER', 'consumer')).toBe('default');
    expect(selectPolicy(policies.slice(1), { priority: 'LOW', category: 'OTHER', segment: 'consumer' })).toBeNull();
  });
});
