import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { forbidden, maskErrors } from './errors.js';
import { currentRequest, loggerFor, logLevel, logRequest, noteClient, requestIdOf, withRequest } from './logger.js';
import { type CapturedLogs, captureLogs } from './testing.js';

let logs: CapturedLogs;
afterEach(() => logs?.restore());

describe('redaction', () => {
  it('hides credentials in fields and headers, at the top level and nested', () => {
    logs = captureLogs('info');
    loggerFor('spec').info(
      {
        password: 'pw-top',
        apiKey: 'key-top',
        input: { password: 'pw-input', newPassword: 'pw-new', token: 'tok-input' },
        variables: { input: { currentPassword: 'pw-current', refreshToken: 'tok-refresh' } },
        session: { accessToken: 'tok-access', secret: 'sec-nested' },
        headers: { authorization: 'Bearer tok-header', 'x-api-key': 'key-header', cookie: 'c-header' },
        req: { headers: { 'x-dcrm-principal': 'principal-header', 'x-request-id': 'visible-id' } },
      },
      'with secrets',
    );
    const text = logs.text();
    for (const secret of ['pw-', 'key-', 'tok-', 'sec-', 'c-header', 'principal-header']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(text).toContain('visible-id');
    expect(logs.lines()[0]).toMatchObject({ level: 'info', component: 'spec', msg: 'with secrets' });
  });
});

describe('levels and request ids', () => {
  it('LOG_LEVEL picks the level; unknown or unset is info; silent is allowed', () => {
    expect(logLevel({ LOG_LEVEL: 'debug' })).toBe('debug');
    expect(logLevel({ LOG_LEVEL: 'SILENT' })).toBe('silent');
    expect(logLevel({ LOG_LEVEL: 'loud' })).toBe('info');
    expect(logLevel({})).toBe('info');
  });

  it('a sane client request id is kept, anything else replaced by a UUID', () => {
    expect(requestIdOf('abc-123_X.y')).toBe('abc-123_X.y');
    for (const bad of ['', 'has space', 'x'.repeat(129), 'semi;colon', null, undefined]) {
      expect(requestIdOf(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('every line logged inside a request carries its id; the request line has the client, never more', async () => {
    logs = captureLogs('debug');
    await withRequest('req-1', async () => {
      await Promise.resolve();
      noteClient({ kind: 'customer', id: 'c-1', storefrontId: 's-1' }, 'k-1');
      expect(currentRequest()?.requestId).toBe('req-1');
      loggerFor('spec').warn('inside');
      logRequest(loggerFor('spec'), 200);
    });
    loggerFor('spec').warn('outside');
    const [inside, line, outside] = logs.lines();
    expect(inside.requestId).toBe('req-1');
    expect(line).toMatchObject({
      requestId: 'req-1',
      clientKind: 'customer',
      clientId: 'c-1',
      keyId: 'k-1',
      storefront: 's-1',
      status: 200,
    });
    expect(outside.requestId).toBeUndefined();
  });
});

describe('unexpected errors', () => {
  const formatted = (error: GraphQLError) => error.toJSON();

  it('are logged once with their stack; the client sees only the masked message', () => {
    logs = captureLogs('info');
    const mask = maskErrors();
    const bug = new GraphQLError('relation "x" does not exist', { originalError: new Error('relation "x" does not exist') });
    const answered = mask(formatted(bug), bug);
    expect(answered).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const lines = logs.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'unexpected error' });
    expect((lines[0].err as { stack: string }).stack).toContain('logger.spec.ts');
  });

  it('expected errors and what a subgraph already logged are not logged', () => {
    logs = captureLogs('info');
    const mask = maskErrors();
    const expected = forbidden();
    mask(formatted(expected), expected);
    const downstream = new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'cart' } });
    expect(mask(formatted(downstream), downstream).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(logs.lines()).toEqual([]);
  });
});

describe('the process destination (stdout, buffered)', () => {
  // A child process with stdout a pipe, as under a supervisor; `tsx` runs this module's source.
  const logger = `import { loggerFor } from ${JSON.stringify(fileURLToPath(new URL('./logger.ts', import.meta.url)))};`;
  const start = (code: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `${logger} ${code}`], {
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    const closed = new Promise<number | null>((done) => child.on('close', done));
    return { child, closed, stdout: () => stdout };
  };

  it('writes a line logged just before process.exit', async () => {
    const run = start(`loggerFor('t').info({ n: 1 }, 'last words'); process.exit(3);`);
    expect(await run.closed).toBe(3);
    expect(run.stdout()).toContain('"msg":"last words"');
  });

  it('writes a lone line soon, while the process keeps running (no exit needed)', async () => {
    // The child logs once it has run for a while (start-up done), then stays up for 20 s.
    const run = start(`setTimeout(() => loggerFor('t').info('alone'), 500); setTimeout(() => {}, 20_000);`);
    try {
      const deadline = Date.now() + 15_000;
      while (!run.stdout().includes('"msg":"alone"') && run.child.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(run.child.exitCode).toBeNull();
      expect(run.stdout()).toContain('"msg":"alone"');
    } finally {
      run.child.kill('SIGKILL');
      await run.closed;
    }
  });
});
