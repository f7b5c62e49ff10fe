import type { AddressInfo } from 'node:net';
import { memoryBus } from '@dcrm/kit/bus.js';
import type { FormattedExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { framedText, sendFramed } from '../src/subscriptions/frames.js';
import { createFanOut } from '../src/subscriptions/stream.js';
import { createTimings } from '../src/subscriptions/timing.js';

/** What a client socket received: each message's text and whether it came as a binary frame. */
type Received = { text: string; binary: boolean }[];

let server: WebSocketServer;
const pairs: { server: WebSocket; client: WebSocket; received: Received }[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  for (let i = 0; i < 3; i++) {
    const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    const received: Received = [];
    client.on('message', (data, binary) => received.push({ text: data.toString(), binary }));
    await new Promise((resolve) => client.once('open', resolve));
    pairs.push({ server: await accepted, client, received });
  }
});
afterAll(async () => {
  for (const { client } of pairs) client.close();
  await new Promise((resolve) => server.close(resolve));
});

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('live fan-out', () => {
  it('writes one shared result to every subscriber as a graphql-ws text message under its own subscription id', async () => {
    const bus = memoryBus();
    const timings = createTimings();
    let counted = 0;
    const fanOut = createFanOut({ bus, timings, delivered: (n) => (counted += n) });
    const result: FormattedExecutionResult = { data: { storefrontOffers: { id: 'o1', title: 'Ünïcode €5 off' } } };
    let lookups = 0;
    const shared = Promise.resolve(result);
    const delivered: string[] = [];
    // Two clients numbered the subscription alike, the third differently.
    const ids = ['1', '1', 'sub-7'];
    const leaves = await Promise.all(
      pairs.map(({ server: socket }, i) =>
        fanOut.listen('offers', {
          socket,
          id: ids[i],
          eventKey: 'offerId',
          lookup: () => {
            lookups++;
            return shared;
          },
          delivered: () => delivered.push(ids[i]),
        }),
      ),
    );

    await bus.publish('offers', { offerId: 'o1' });
    await until(() => pairs.every((p) => p.received.length === 1));

    expect(lookups).toBe(3);
    expect(delivered.sort()).toEqual(['1', '1', 'sub-7']);
    expect(counted).toBe(3);
    pairs.forEach(({ received }, i) => {
      expect(received[0].binary).toBe(false);
      expect(JSON.parse(received[0].text)).toEqual({ id: ids[i], type: 'next', payload: result });
    });
    const [event] = timings.snapshot().events;
    expect(event).toMatchObject({ channel: 'offers', key: 'o1', deliveries: 3, payloads: 1 });
    for (const leave of leaves) await leave();
  });

  it('frames messages of every length ws distinguishes (7-bit, 16-bit and 64-bit) as text, written to the socket without ws sending them', async () => {
    const [{ server: socket, received }] = pairs;
    const send = vi.spyOn(socket, 'send');
    const texts = ['€', 'é'.repeat(200), 'ü'.repeat(40_000)];
    const from = received.length;
    for (const text of texts) sendFramed(socket, framedText(text));
    await until(() => received.length === from + texts.length);
    expect(received.slice(from)).toEqual(texts.map((text) => ({ text, binary: false })));
    expect(send).not.toHaveBeenCalled();
    send.mockRestore();
  });

  it('leaves a message to ws when the socket negotiated compression, which frames each message itself', async () => {
    const deflating = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
    await new Promise((resolve) => deflating.once('listening', resolve));
    const accepted = new Promise<WebSocket>((resolve) => deflating.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(deflating.address() as AddressInfo).port}`);
    const received: Received = [];
    client.on('message', (data, binary) => received.push({ text: data.toString(), binary }));
    await new Promise((resolve) => client.once('open', resolve));
    const socket = await accepted;
    expect(socket.extensions).toContain('permessage-deflate');
    const send = vi.spyOn(socket, 'send');
    sendFramed(socket, framedText('{"id":"1","type":"next","payload":{"data":{"x":"compressed"}}}'));
    await until(() => received.length === 1);
    expect(received).toEqual([{ text: '{"id":"1","type":"next","payload":{"data":{"x":"compressed"}}}', binary: false }]);
    expect(send).toHaveBeenCalledOnce();
    client.close();
    await new Promise((resolve) => deflating.close(resolve));
  });
});
