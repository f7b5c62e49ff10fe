import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { httpListener } from './http.js';

type Answer = { status: number; connection: string | undefined };

const get = (port: number, agent: Agent, path = '/') =>
  new Promise<Answer>((resolve, reject) => {
    request({ port, host: '127.0.0.1', path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

/** A listener whose `/slow` answers only when the test says so. */
async function slowServer() {
  const release: (() => void)[] = [];
  const started: (() => void)[] = [];
  const listener = httpListener((req, res) => {
    if (req.url === '/slow') {
      for (const s of started.splice(0)) s();
      release.push(() => res.end('done'));
    } else res.end('ok');
  });
  const server = await listener.listen(0, '127.0.0.1');
  const port = (server.address() as { port: number }).port;
  const nextSlow = () => new Promise<void>((resolve) => started.push(resolve));
  const finish = () => {
    for (const r of release.splice(0)) r();
  };
  return { listener, port, nextSlow, finish };
}

describe('httpListener close', () => {
  it('finishes the request in flight, refuses new connections, and idle keep-alive connections do not hold it open', async () => {
    const { listener, port, nextSlow, finish } = await slowServer();
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    // A kept-alive connection, idle by now.
    expect((await get(port, agent)).status).toBe(200);
    const arrived = nextSlow();
    const slow = get(port, agent, '/slow');
    await arrived;
    let closed = false;
    const closing = listener.close(60_000).then(() => {
      closed = true;
    });
    // It stops listening once connections already completed by the kernel have been taken (a short settle).
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await refused(port)).toBe(true);
    expect(closed).toBe(false);
    finish();
    // Answered in full, told the connection ends, and then nothing keeps the server open.
    expect(await slow).toEqual({ status: 200, connection: 'close' });
    await closing;
    agent.destroy();
  });

  it('cuts what is still running when the grace period ends', async () => {
    const { listener, port, nextSlow } = await slowServer();
    const arrived = nextSlow();
    const hung = get(port, new Agent(), '/slow').then(
      () => 'answered',
      () => 'cut',
    );
    await arrived;
    await listener.close(50);
    expect(await hung).toBe('cut');
  });

  it('answers connections made just before it was told to stop, even those Node had not accepted yet', async () => {
    const { listener, port } = await slowServer();
    // Raw sockets, each sending one request as soon as it connects; close() comes in the same tick.
    const answers = Array.from(
      { length: 30 },
      () =>
        new Promise<string>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n'));
          let text = '';
          socket.on('data', (chunk) => {
            text += chunk.toString();
          });
          socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
          socket.on('error', (error) => resolve(String(error)));
        }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    await listener.close(5_000);
    expect(new Set(await Promise.all(answers))).toEqual(new Set(['HTTP/1.1 200 OK']));
  });
});
