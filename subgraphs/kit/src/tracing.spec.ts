import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { GraphQLRequestContextDidEncounterErrors } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from './ports.js';
import { PRINCIPAL_HEADER, type Principal, verifyPrincipal } from './principal.js';
import { httpTarget } from './targets.js';
import {
  currentTraceId,
  inClientSpan,
  inConsumerSpan,
  SpanKind,
  startTracing,
  stopTracing,
  traceCarrier,
  traceToMemory,
  tracingPlugin,
} from './tracing.js';

const secret = 'x'.repeat(32);
const anonymous: Principal = { kind: 'anonymous', id: null, storefrontId: null, partnerId: null, roles: [], scopes: [] };

/** A stand-in subgraph over HTTP that keeps the headers and body of the last request. */
async function recordingSubgraph() {
  const seen: { headers?: IncomingHttpHeaders; body?: unknown } = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.headers = req.headers;
      seen.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"ok":true}}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { seen, url: `http://127.0.0.1:${port}/graphql`, close: () => new Promise((resolve) => server.close(resolve)) };
}

// Off first: this file registers the in-memory provider only for the second block.
describe('tracing off (no OTLP endpoint)', () => {
  it('starts nothing and adds no header', async () => {
    expect(await startTracing('test', {})).toBe(false);
    expect(await startTracing('test', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(await inClientSpan('catalog', undefined, async (headers) => headers)).toEqual({});
    expect(traceCarrier()).toBeUndefined();
    expect(currentTraceId()).toBeUndefined();
  });
});

describe('tracing on', () => {
  // Registered when the block runs (describe bodies run at collection, before the block above).
  let spans: Awaited<ReturnType<typeof traceToMemory>>;
  let subgraph: Awaited<ReturnType<typeof recordingSubgraph>>;
  beforeAll(async () => {
    spans = await traceToMemory('kit-test');
    subgraph = await recordingSubgraph();
  });
  afterAll(async () => {
    await subgraph.close();
    await stopTracing();
  });
  beforeEach(() => spans.reset());

  it('httpTarget sends the fetch span as traceparent beside a principal signature that still verifies', async () => {
    const target = httpTarget('catalog', subgraph.url, secret);
    const request = { query: '{ ok }', operationName: 'Ok' };
    await target.execute(request, anonymous);

    const [fetch] = spans.getFinishedSpans();
    expect(fetch).toMatchObject({ name: 'fetch catalog', kind: SpanKind.CLIENT });
    const { traceId, spanId } = fetch.spanContext();
    expect(subgraph.seen.headers?.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    const signature = subgraph.seen.headers?.[PRINCIPAL_HEADER] as string;
    expect(verifyPrincipal(signature, secret, { audience: 'catalog', body: subgraph.seen.body })).toMatchObject({ kind: 'anonymous' });
  });

  it('a bus message carries the trace: its consumer span is a child of the publishing one', () => {
    let carrier: Record<string, string> | undefined;
    let publisherTrace: string | undefined;
    inConsumerSpan('publishing', undefined, {}, () => {
      publisherTrace = currentTraceId();
      carrier = traceCarrier();
    });
    expect(carrier?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const heard = inConsumerSpan('bus receive', carrier, { 'messaging.destination.name': 'dcrm.test' }, () => currentTraceId());
    expect(heard).toBe(publisherTrace);
    const [publishing, receive] = spans.getFinishedSpans();
    expect(receive.parentSpanContext?.spanId).toBe(publishing.spanContext().spanId);
  });

  it('records an unexpected error on the span (status and exception event); a caller error only by its code', async () => {
    const plugin = tracingPlugin('catalog');
    await inConsumerSpan('request', undefined, {}, async () => {
      const hooks = await plugin.requestDidStart?.({} as never);
      const errors = [
        new GraphQLError('Not allowed', { extensions: { code: 'FORBIDDEN' } }),
        new GraphQLError('boom', { originalError: new Error('relation "x" does not exist') }),
      ];
      await hooks?.didEncounterErrors?.({ errors } as unknown as GraphQLRequestContextDidEncounterErrors<never>);
    });
    const [span] = spans.getFinishedSpans();
    expect(span.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(span.attributes['graphql.error.codes']).toEqual(['FORBIDDEN', 'INTERNAL_SERVER_ERROR']);
    expect(span.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([['exception', 'relation "x" does not exist']]);
  });
});
