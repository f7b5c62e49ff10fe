import { createRequire } from 'node:module';
import type { ApolloServerPlugin, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import type * as OpenTelemetryApi from '@opentelemetry/api';
import type { Attributes, Span, TextMapGetter } from '@opentelemetry/api';
import type { InMemorySpanExporter, Sampler, SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { CALLER_CODES } from './errors.js';

/**
 * OpenTelemetry traces, W3C `traceparent` from the router to every subgraph (HTTP and in-process alike)
 * and across the Redis bus. Off unless `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is set:
 * then no provider is registered and every helper here calls straight through (no span, no header).
 * Only our own spans and @apollo/gateway's: no instrumentation library patches modules (pg, http).
 * The SDK and the exporter (~10 MiB, seconds of start-up on a busy machine) load only when tracing starts.
 */

// The API's CommonJS build, as @apollo/gateway (CommonJS) loads it: that copy's tracer proxies only follow a
// provider registered through the same copy, so registering through the ESM build would leave the gateway's spans no-ops.
const api = createRequire(import.meta.url)('@opentelemetry/api') as typeof OpenTelemetryApi;
const { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace } = api;
export const SpanKind = api.SpanKind;

/** What tests read back from `traceToMemory()`. */
export type { ReadableSpan as FinishedSpan } from '@opentelemetry/sdk-trace';

let provider: TracerProvider | null = null;
const tracer = trace.getTracer('dcrm');

/** Is a tracer provider registered in this process (OTLP or the test hook)? */
export const tracingEnabled = (): boolean => provider !== null;

/** The trace id of the active span (request logs carry it); undefined when tracing is off or outside a request. */
export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}

type Sdk = typeof import('@opentelemetry/sdk-trace');

// OTEL_TRACES_SAMPLER as the spec names them; a client's sampled flag is honoured by the parent-based ones (the default).
function samplerFrom(sdk: Sdk, env: NodeJS.ProcessEnv): Sampler {
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG ?? 1);
  const root = new sdk.TraceIdRatioBasedSampler(Number.isFinite(ratio) ? ratio : 1);
  switch (env.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new sdk.AlwaysOnSampler();
    case 'always_off':
      return new sdk.AlwaysOffSampler();
    case 'traceidratio':
      return root;
    case 'parentbased_always_off':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new sdk.ParentBasedSampler({ root });
    default:
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
  }
}

async function register(sdk: Sdk, serviceName: string, processor: SpanProcessor, sampler: Sampler): Promise<void> {
  const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
  ]);
  if (provider) throw new Error('tracing is already started in this process');
  provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    sampler,
    spanProcessors: [processor],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
}

/**
 * Once per process, at start: exports spans over OTLP/HTTP (batched) when an OTLP endpoint is set;
 * otherwise (or with `OTEL_SDK_DISABLED=true`) does nothing. `OTEL_SERVICE_NAME` overrides
 * `serviceName` (router, catalog, …, dcrm). Resolves to whether tracing is on.
 */
export async function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (provider) return true;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (base && `${base}/v1/traces`);
  if (!url || env.OTEL_SDK_DISABLED === 'true') return false;
  const [sdk, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
  ]);
  // Headers and timeouts come from the exporter's own OTEL_EXPORTER_OTLP_* variables.
  const exporter = new OTLPTraceExporter({ url });
  await register(sdk, env.OTEL_SERVICE_NAME || serviceName, new sdk.BatchSpanProcessor({ exporter }), samplerFrom(sdk, env));
  return true;
}

/** Test hook: every span, sampled, into memory, exported as it ends. Await it before the stack starts. */
export async function traceToMemory(serviceName = 'dcrm'): Promise<InMemorySpanExporter> {
  const sdk = await import('@opentelemetry/sdk-trace');
  const exporter = new sdk.InMemorySpanExporter();
  await register(sdk, serviceName, new sdk.SimpleSpanProcessor({ exporter }), new sdk.AlwaysOnSampler());
  return exporter;
}

/** Flushes and stops the exporter (process stop); a no-op when tracing is off. */
export async function stopTracing(): Promise<void> {
  const current = provider;
  if (!current) return;
  provider = null;
  await current.shutdown().catch(() => {});
  trace.disable();
  propagation.disable();
  context.disable();
}

const headerGetter: TextMapGetter<HTTPGraphQLRequest['headers']> = {
  get: (headers, key) => headers.get(key),
  keys: (headers) => [...headers.keys()],
};

/**
 * One SERVER span around a GraphQL request (router and subgraph alike), continuing the caller's
 * `traceparent`. A client's is accepted as W3C intends: it only joins our spans to its trace (and,
 * with the parent-based samplers, decides whether the request is sampled); it grants nothing.
 */
export async function inServerSpan(
  service: string,
  request: HTTPGraphQLRequest,
  run: () => Promise<HTTPGraphQLResponse>,
): Promise<HTTPGraphQLResponse> {
  if (!provider) return run();
  const parent = propagation.extract(context.active(), request.headers, headerGetter);
  const body = request.body as { operationName?: unknown } | undefined;
  const operation = typeof body?.operationName === 'string' ? body.operationName : undefined;
  const attributes: Attributes = { 'dcrm.service': service, 'http.request.method': request.method };
  if (operation) attributes['graphql.operation.name'] = operation;
  const span = tracer.startSpan(`${service} ${operation ?? 'graphql'}`, { kind: SpanKind.SERVER, attributes }, parent);
  try {
    const response = await context.with(trace.setSpan(parent, span), run);
    const status = response.status ?? 200;
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    return response;
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * One CLIENT span around a call to a subgraph; `send` gets the `traceparent` (and `tracestate`)
 * headers to add to the request (none when tracing is off). They travel beside the signed principal,
 * whose digest covers the body only.
 */
export async function inClientSpan<T>(
  subgraph: string,
  operationName: string | undefined,
  send: (headers: Readonly<Record<string, string>>) => Promise<T>,
): Promise<T> {
  if (!provider) return send(NO_HEADERS);
  const attributes: Attributes = { 'dcrm.subgraph': subgraph };
  if (operationName) attributes['graphql.operation.name'] = operationName;
  const span = tracer.startSpan(`fetch ${subgraph}`, { kind: SpanKind.CLIENT, attributes });
  const active = trace.setSpan(context.active(), span);
  const headers: Record<string, string> = {};
  propagation.inject(active, headers);
  try {
    return await context.with(active, () => send(headers));
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The active trace as a carrier for a message (bus envelope); undefined when tracing is off. */
export function traceCarrier(): Record<string, string> | undefined {
  if (!provider) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/** Runs `handle` in a CONSUMER span, child of the trace a message carried (bus), else the root of a new trace (jobs). */
export function inConsumerSpan<T>(name: string, carrier: Record<string, string> | undefined, attributes: Attributes, handle: () => T): T {
  if (!provider) return handle();
  const parent = carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
  const span = tracer.startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent);
  return endingSpan(span, () => context.with(trace.setSpan(parent, span), handle));
}

/**
 * Runs `run` in a span of `kind` under the active one (a root span when there is none): the router's
 * subscription starts and each event's execution. `run` gets the span (undefined when tracing is off).
 */
export function inSpan<T>(name: string, kind: OpenTelemetryApi.SpanKind, attributes: Attributes, run: (span?: Span) => T): T {
  if (!provider) return run();
  const span = tracer.startSpan(name, { kind, attributes });
  return endingSpan(span, () => context.with(trace.setSpan(context.active(), span), () => run(span)));
}

/** Runs `run` and ends `span` when it is done (a returned promise settled), marking it failed on an error. */
function endingSpan<T>(span: Span, run: () => T): T {
  const ended = (value: T) => {
    span.end();
    return value;
  };
  try {
    const result = run();
    if (result instanceof Promise) {
      return result.then(ended, (error: unknown) => {
        fail(span, error);
        span.end();
        throw error;
      }) as T;
    }
    return ended(result);
  } catch (error) {
    fail(span, error);
    span.end();
    throw error;
  }
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
}

/** The operation's type and name on a server span (`service` as in `inServerSpan`). */
function describeOperation(span: Span, service: string, operationName: string | null, type = 'query'): void {
  span.setAttribute('graphql.operation.type', type);
  if (operationName) span.setAttribute('graphql.operation.name', operationName);
  span.updateName(`${service} ${operationName ?? type}`);
}

/**
 * What `tracingPlugin` records once an operation is resolved, for a request answered without Apollo
 * (the router's fast path): on the active server span, when one is recording.
 */
export function noteOperationOnSpan(service: string, operationName: string | null, type: string): void {
  if (!provider) return;
  const span = trace.getActiveSpan();
  if (span?.isRecording()) describeOperation(span, service, operationName, type);
}

/**
 * Apollo plugin: the operation's type and name, and its errors, on the request's server span (`service`
 * as in `inServerSpan`). The exception event (with its stack) goes to the trace backend only; clients
 * still get masked errors. Build servers after `startTracing` / `traceToMemory`, as main.ts and the tests do.
 */
export function tracingPlugin(service: string): ApolloServerPlugin {
  // Without a provider (tracing starts before any server is built) the plugin has no hook at all:
  // Apollo then skips it rather than awaiting one more promise on every request.
  if (!provider) return {};
  return {
    async requestDidStart() {
      const span = provider ? trace.getActiveSpan() : undefined;
      if (!span?.isRecording()) return;
      return {
        async didResolveOperation({ operationName, operation }) {
          describeOperation(span, service, operationName, operation?.operation);
        },
        async didEncounterErrors({ errors }) {
          const codes = new Set<string>();
          for (const error of errors) {
            const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
            codes.add(code);
            // What a caller got wrong is noted by code; anything else (a bug, an outage) marks the span failed.
            if (!CALLER_CODES.has(code)) fail(span, error.originalError ?? error);
          }
          span.setAttribute('graphql.error.codes', [...codes]);
        },
      };
    },
  };
}
