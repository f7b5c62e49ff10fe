import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { type GuardContext, guardNames, registerGuard, runGuards } from './guards.js';

const ctx = { tx: {} as EntityManager, to: { name: 'Won' } } as unknown as GuardContext;

describe('guard registry', () => {
  it('has the built-in checks and takes new ones by name (approvals add theirs)', async () => {
    expect(guardNames()).toEqual(expect.arrayContaining(['HAS_LINES', 'CUSTOM_FIELDS_COMPLETE']));
    registerGuard('SPEC_APPROVED', async (c) =>
      c.to.name === 'Won' ? { code: 'GUARD_APPROVALS', message: 'Approvals pending', field: ['input', 'to'] } : null,
    );
    expect((await runGuards(['SPEC_APPROVED'], ctx)).map((e) => e.code)).toEqual(['GUARD_APPROVALS']);
  });

  it('fails closed on a name nobody registered', async () => {
    expect((await runGuards(['NO_SUCH_CHECK'], ctx)).map((e) => e.code)).toEqual(['GUARD_UNKNOWN']);
  });
});
