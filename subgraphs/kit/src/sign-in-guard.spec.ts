import { afterAll, describe, expect, it } from 'vitest';
import { redisAnswers } from './bus.js';
import { openSignInGuard, type SignInGuard, type SignInLimits, signInLimits } from './sign-in-guard.js';

const limits: SignInLimits = { freeFailures: 2, baseDelaySeconds: 5, maxDelaySeconds: 20, addressFailuresPerDay: 6 };
let n = 0;
const identity = () => `customer:volt:spec-${Date.now()}-${n++}@example.com`;
const address = () => `192.0.2.${n++ % 250}-${Date.now()}`;
const guards: SignInGuard[] = [];
const open = (env: NodeJS.ProcessEnv) => {
  const guard = openSignInGuard(env, limits);
  guards.push(guard);
  return guard;
};
afterAll(async () => {
  for (const g of guards) await g.close();
});

const behaves = (env: () => NodeJS.ProcessEnv) => {
  it('waits grow per (identity, address) from the third failure, capped, and a success clears them', async () => {
    const guard = open(env());
    const me = { identity: identity(), address: address() };
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await guard.failed(me);
      const admission = await guard.admit(me);
      waits.push(admission.ok ? 0 : admission.retryAfter);
    }
    expect(waits).toEqual([0, 5, 10, 20, 20]);
    // The same identity from elsewhere is not held back.
    expect(await guard.admit({ ...me, address: address() })).toEqual({ ok: true, strict: false });
    await guard.succeeded(me);
    expect(await guard.admit(me)).toEqual({ ok: true, strict: false });
  });

  it('over its ceiling an address refuses identities that failed from it, and gives the others one strict try', async () => {
    const guard = open(env());
    const here = address();
    const failed = { identity: identity(), address: here };
    await guard.failed(failed);
    for (let i = 0; i < 5; i++) await guard.failed({ identity: identity(), address: here });
    expect(await guard.admit(failed)).toMatchObject({ ok: false });
    expect(await guard.admit({ identity: identity(), address: here })).toMatchObject({ ok: true, strict: true });
    expect(await guard.admit({ identity: failed.identity, address: address() })).toEqual({ ok: true, strict: false });
  });
};

describe('sign-in guard in memory', () => behaves(() => ({})));

// Redis unreachable: the memory insurance answers instead of sign-in failing.
describe('sign-in guard when Redis is down', () => behaves(() => ({ REDIS_URL: 'redis://127.0.0.1:9' })));

const url = process.env.REDIS_URL;
const reachable = await redisAnswers(url);
describe.skipIf(!reachable)('sign-in guard on Redis (needs a reachable REDIS_URL)', () => {
  behaves(() => ({ REDIS_URL: url }));

  it('instances share the counts', async () => {
    const [a, b] = [open({ REDIS_URL: url }), open({ REDIS_URL: url })];
    const me = { identity: identity(), address: address() };
    await a.admit(me);
    await b.admit(me);
    for (let i = 0; i < 2; i++) await a.failed(me);
    expect(await b.admit(me)).toEqual({ ok: false, retryAfter: 5 });
  });
});

describe('signInLimits', () => {
  it('reads DCRM_LOGIN_* and refuses values that would switch protection off', () => {
    expect(signInLimits({ DCRM_LOGIN_DELAY_SECONDS: '1' })).toMatchObject({ baseDelaySeconds: 1, freeFailures: 3 });
    expect(() => signInLimits({ DCRM_LOGIN_ADDRESS_FAILURES_PER_DAY: '0' })).toThrow(/DCRM_LOGIN_ADDRESS_FAILURES_PER_DAY/);
  });
});
