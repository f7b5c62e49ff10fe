import { Agent, request } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
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
    finish();
    // Answered in full, told the connection ends, and then nothing keeps the server open.
    expect(await slow).toEqual({ status: 200, connection: 'close' });
    await closing;
    expect(closed).toBe(true);
    expect(await refused(port)).toBe(true);
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

  it('while a request is in flight: serves new connections and kept-alive ones with `connection: close`, readyz 503', async () => {
    const { listener, port, nextSlow, finish } = await slowServer();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // A kept-alive connection, idle when the drain starts.
    expect((await get(port, agent)).status).toBe(200);
    const arrived = nextSlow();
    const slow = get(port, new Agent(), '/slow');
    await arrived;
    let closed = false;
    const closing = listener.close(60_000).then(() => {
      closed = true;
    });
    // Well past the moment the listener used to stop accepting (100 ms without a new connection).
    await new Promise((resolve) => setTimeout(resolve, 400));
    const fresh = await Promise.all(Array.from({ length: 10 }, () => get(port, new Agent())));
    expect(fresh).toEqual(Array.from({ length: 10 }, () => ({ status: 200, connection: 'close' })));
    expect(await get(port, agent)).toEqual({ status: 200, connection: 'close' });
    expect(await get(port, new Agent(), '/readyz')).toEqual({ status: 503, connection: 'close' });
    expect(closed).toBe(false);
    finish();
    expect(await slow).toEqual({ status: 200, connection: 'close' });
    await closing;
    expect(await refused(port)).toBe(true);
    agent.destroy();
  });

  it.each([
    ['with a request in flight', true],
    ['idle', false],
  ])('%s: serves connections the kernel queued while the event loop was busy, instead of resetting them', async (_, busy) => {
    const { listener, port, nextSlow, finish } = await slowServer();
    const arrived = nextSlow();
    const slow = busy ? get(port, new Agent(), '/slow') : null;
    if (busy) await arrived;
    // Clients in a worker thread connect while this thread is blocked inside an I/O callback (the poll phase
    // of a loaded loop): their connections wait in the kernel's accept queue, not yet taken by Node.
    const flags = new Int32Array(new SharedArrayBuffer(8));
    const clients = new Worker(CLIENTS, { eval: true, workerData: { port, count: 20, flags } });
    const answers = new Promise<string[]>((resolve) => clients.once('message', resolve));
    const poke = await socketPair();
    poke.server.once('data', () => {
      Atomics.store(flags, 0, 1);
      Atomics.notify(flags, 0);
      // Until every client has connected and sent its request.
      Atomics.wait(flags, 1, 0, 10_000);
    });
    // Due with the listener's first drain check (100 ms after close) and set before it, so it runs first, in
    // that timers phase or an earlier one: the block comes in a poll phase before the check has run, however
    // loaded the machine (set after it, a late poke could find the listener already closed).
    setTimeout(() => poke.client.write('x'), 100);
    const closing = listener.close(60_000);
    expect(await answers).toEqual(Array.from({ length: 20 }, () => 'HTTP/1.1 200 OK'));
    expect(Atomics.load(flags, 1)).toBe(1);
    finish();
    await slow;
    await closing;
    poke.client.destroy();
    poke.server.destroy();
    poke.listener.close();
    await clients.terminate();
  });
});

/** Worker code: on flag 0, opens `count` connections each sending one request, sets flag 1 once all are sent, posts the status lines. */
const CLIENTS = `
const { connect } = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { port, count, flags } = workerData;
const go = () => {
  let sent = 0;
  const answers = Array.from({ length: count }, () => new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET / HTTP/1.1\\r\\nhost: x\\r\\n\\r\\n', () => {
        if (++sent === count) { Atomics.store(flags, 1, 1); Atomics.notify(flags, 1); }
      });
    });
    let text = '';
    socket.on('data', (chunk) => { text += chunk; });
    socket.on('close', () => resolve(text.split('\\r\\n')[0]));
    socket.on('error', (error) => resolve(String(error)));
  }));
  Promise.all(answers).then((lines) => parentPort.postMessage(lines));
};
const wait = setInterval(() => { if (Atomics.load(flags, 0) === 1) { clearInterval(wait); go(); } }, 1);
`;

/** Two ends of a loopback TCP connection in this process. */
async function socketPair() {
  let accepted: (socket: Socket) => void = () => {};
  const server = new Promise<Socket>((resolve) => {
    accepted = resolve;
  });
  const listener = createServer(accepted);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const client = connect((listener.address() as { port: number }).port, '127.0.0.1');
  return { listener, client, server: await server };
}
