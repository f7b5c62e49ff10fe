import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `stack/bin/dcrm flags serve <process>`: the runtime flags production gives that process (the benches start theirs with them). */
const flags = (name: string, nodeOptions = '') =>
  spawnSync('stack/bin/dcrm', ['flags', 'serve', name], {
    cwd: root,
    env: { PATH: process.env.PATH, NODE_OPTIONS: nodeOptions },
    encoding: 'utf8',
  })
    .stdout.trim()
    .split(' ');

describe('stack/bin/dcrm runtime flags', () => {
  it('keep subgraphs’ young generation small, but not promotion’s (its decision consumer), the router’s nor the all-in-one’s', () => {
    for (const subgraph of ['catalog', 'customer', 'cart', 'opportunity', 'ticket', 'quote'])
      expect(flags(subgraph)).toContain('--max-semi-space-size=2');
    for (const name of ['promotion', 'router', 'all-in-one']) expect(flags(name).join(' ')).not.toContain('max-semi-space-size');
    expect(flags('router')).toContain('--v8-pool-size=1');
    for (const name of ['promotion', 'customer', 'router']) expect(flags(name)).toContain('--experimental-async-context-frame');
  });

  it('leave a flag of the same kind in NODE_OPTIONS to win', () => {
    expect(flags('customer', '--max-semi-space-size=16').join(' ')).not.toContain('max-semi-space-size');
    expect(flags('router', '--v8-pool-size=2').join(' ')).not.toContain('v8-pool-size');
    expect(flags('promotion', '--experimental-async-context-frame')).toEqual(['']);
  });
});
