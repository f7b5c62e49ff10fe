import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** A process started with the environment given (DCRM_* secrets removed first); its exit code and output. */
function start(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^DCRM_(JWT|INTERNAL)_SECRET$/.test(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    // A port nobody should be able to reach if it did start (it must not).
    env: {
      ...base,
      PORT: '1',
      CATALOG_URL: 'http://127.0.0.1:1/graphql',
      CUSTOMER_URL: 'http://127.0.0.1:1/graphql',
      CART_URL: 'http://127.0.0.1:1/graphql',
      PROMOTION_URL: 'http://127.0.0.1:1/graphql',
      TICKET_URL: 'http://127.0.0.1:1/graphql',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr.on('data', (c: Buffer) => chunks.push(c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output: chunks.join('') })));
}

const secret = 'q'.repeat(64);

// Each start loads the whole router or subgraph through tsx before it can refuse: slow on a busy machine.
describe('a start without secrets outside the all-in-one', { timeout: 120_000 }, () => {
  it('the router refuses, naming the variable', async () => {
    const noInternal = await start('router/src/main.ts', { DCRM_JWT_SECRET: secret });
    expect(noInternal.code).toBe(1);
    expect(noInternal.output).toContain('DCRM_INTERNAL_SECRET is not set');
    expect(noInternal.output).not.toMatch(/\n\s+at /);
    const noJwt = await start('router/src/main.ts', { DCRM_INTERNAL_SECRET: secret });
    expect(noJwt.code).toBe(1);
    expect(noJwt.output).toContain('DCRM_JWT_SECRET is not set');
  });

  it('a subgraph refuses, naming the variable (the customer subgraph needs the JWT secret too)', async () => {
    const catalog = await start('subgraphs/catalog/src/main.ts', {});
    expect(catalog.code).toBe(1);
    expect(catalog.output).toContain('DCRM_INTERNAL_SECRET is not set');
    const customer = await start('subgraphs/customer/src/main.ts', { DCRM_INTERNAL_SECRET: secret });
    expect(customer.code).toBe(1);
    expect(customer.output).toContain('DCRM_JWT_SECRET is not set');
  });
});
