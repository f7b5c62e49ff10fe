// Smoke check of the built package on the machine's own Node (20 here): `pnpm --filter @dcrm/storefront-sdk smoke`.
// Imports dist/ as a consumer would, runs a request against a tiny local server, and a subscription
// (which loads graphql-ws lazily) against a port nothing listens on.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import WebSocket from 'ws';
import {
  createStorefrontClient,
  getStorefront,
  isNetworkError,
  newIdempotencyKey,
  onStorefrontOffer,
  StorefrontDocument,
} from '../dist/index.js';

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const { query } = JSON.parse(body);
    assert.equal(query, StorefrontDocument);
    assert.equal(req.headers['x-api-key'], 'dcrm_pk_test');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { storefront: { name: 'Smoke' } } }));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${server.address().port}/graphql`;

const client = createStorefrontClient({ endpoint, apiKey: 'dcrm_pk_test', webSocketImpl: WebSocket, subscriptionRetryAttempts: 0 });
assert.ok(Object.isFrozen(client));
assert.deepEqual(await getStorefront(client), { data: { storefront: { name: 'Smoke' } } });
assert.match(newIdempotencyKey(), /^[0-9a-f-]{36}$/);
server.close();

const offline = createStorefrontClient({ endpoint: 'http://127.0.0.1:9/graphql', webSocketImpl: WebSocket, subscriptionRetryAttempts: 0 });
await assert.rejects(getStorefront(offline), (e) => isNetworkError(e));
const ended = await new Promise((resolve) => onStorefrontOffer(offline, () => {}, { onError: resolve }));
assert.equal(ended.name, 'SubscriptionError');
await offline.dispose();
await client.dispose();
console.log(`storefront-sdk smoke ok on Node ${process.versions.node}`);
