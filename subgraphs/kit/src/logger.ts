import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { OperationDefinitionNode } from 'graphql';
import { type DestinationStream, type Level, type Logger, type LoggerOptions, pino } from 'pino';
import type PinoPretty from 'pino-pretty';
import { runInScope, scopePart } from './request-scope.js';

export type { Logger } from 'pino';

/**
 * Field names whose values are credentials wherever they sit in a logged object (top level, or one or
 * two objects down: `{ input: { password } }`, `{ variables: { input: { password } } }`).
 */
const SECRET_FIELDS = ['password', 'newPassword', 'currentPassword', 'token', 'accessToken', 'refreshToken', 'secret', 'apiKey'];
/** Request headers carrying credentials or the signed principal. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-dcrm-principal'];

export const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
  ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`]),
];

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** `LOG_LEVEL` (fatal, error, warn, info, debug, trace or silent); info when unset or unknown. */
export function logLevel(env: NodeJS.ProcessEnv = process.env): string {
  const level = (env.LOG_LEVEL ?? '').trim().toLowerCase();
  return LEVELS.has(level) ? level : 'info';
}

/**
 * JSON lines in production or when stdout is not a terminal (errors and above on stderr, the rest on
 * stdout, so a supervisor's stderr still shows only trouble); pino-pretty on a developer's terminal.
 * Errors are written at once. The rest is buffered up to 4 KiB or a quarter of a second (the router
 * logs a line per request: one write(2) per line cost the router ~4 µs of kernel time and woke whatever
 * reads its stdout each time); pino flushes what is left synchronously when the process exits, so a
 * line logged just before `process.exit` is not lost — only a killed process loses its last quarter second.
 */
function defaultDestination(env: NodeJS.ProcessEnv): DestinationStream {
  if (env.NODE_ENV !== 'production' && process.stdout.isTTY) {
    // Required only here: a production process (or any without a terminal) never loads it.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
    return pretty({
      colorize: true,
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      messageFormat: '[{component}] {msg}',
      ignore: 'pid,hostname,component',
    });
  }
  return pino.multistream(
    [
      { level: 'trace', stream: pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 }) },
      { level: 'error', stream: pino.destination({ dest: 2, sync: true }) },
    ],
    { dedupe: true },
  );
}

/** The request a log line belongs to: what the per-request line reports, filled in as the request goes. */
export type RequestLog = {
  requestId: string;
  startedAt: number;
  operation: string | null;
  client: { clientKind: string; clientId: string | null; keyId?: string | null; storefront: string | null } | null;
  codes: string[];
};

const requests = {
  getStore: () => scopePart('log'),
  run: <T>(request: RequestLog, fn: () => T): T => runInScope('log', request, fn),
};

function options(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Every line logged while a request runs (its unexpected errors included) names that request.
    mixin: () => {
      const request = requests.getStore();
      return request ? { requestId: request.requestId } : {};
    },
  };
}

let root: Logger | null = null;
const children = new Map<string, Logger>();

/** The process's one logger (built on first use from `LOG_LEVEL` and `NODE_ENV`). */
export function rootLogger(): Logger {
  root ??= pino(options(logLevel()), defaultDestination(process.env));
  return root;
}

/** The logger of one part of the process: its lines carry `component` (router, catalog, cart jobs…). */
export function loggerFor(component: string): Logger {
  let child = children.get(component);
  if (!child) {
    child = rootLogger().child({ component });
    children.set(component, child);
  }
  return child;
}

/**
 * Tests: every logger writes to `stream` at `level` from now on (null: back to the process default).
 * Loggers are looked up per use (`loggerFor`), so nothing holds on to the previous destination.
 */
export function setLogDestination(stream: DestinationStream | null, level: string = logLevel()): void {
  root = stream ? pino(options(level), stream) : null;
  children.clear();
}

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The client's request id when it is a sane token, else a new UUID. */
export function requestIdOf(header: string | string[] | null | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** Runs one request's handling with its id; what runs inside (subgraph fetches included) sees it. */
export function withRequest<T>(requestId: string, fn: () => T): T {
  const request: RequestLog = { requestId, startedAt: performance.now(), operation: null, client: null, codes: [] };
  return requests.run(request, fn);
}

/** The request being handled, if any. */
export const currentRequest = (): RequestLog | undefined => requests.getStore();

/** Who is asking, for the request line: kind and ids, never a credential. */
export function noteClient(principal: { kind: string; id: string | null; storefrontId: string | null }, keyId?: string | null): void {
  const request = requests.getStore();
  if (!request) return;
  request.client = { clientKind: principal.kind, clientId: principal.id, storefront: principal.storefrontId };
  if (keyId && keyId !== principal.id) request.client.keyId = keyId;
}

export function noteOperation(name: string | null): void {
  const request = requests.getStore();
  if (request && name) request.operation = name.slice(0, 200);
}

// An anonymous operation is named by its root fields: `{products,storefront}`.
const rootFields = (operation: OperationDefinitionNode | undefined): string | null =>
  operation ? `{${operation.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : '…')).join(',')}}` : null;

/** The operation a request resolved to, for the request line: its name, else its root fields (Apollo's plugin below, the router's fast path). */
export function noteResolvedOperation(name: string | null | undefined, operation: OperationDefinitionNode | undefined): void {
  noteOperation(name ?? rootFields(operation));
}

/** Apollo plugin: the operation's name for the request line (its root fields when anonymous). */
export function requestLogPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ request }) {
      noteOperation(request.operationName ?? null);
      return {
        async didResolveOperation({ operationName, operation }) {
          noteResolvedOperation(operationName, operation);
        },
      };
    },
  };
}

/** An error code the client is answered with (after masking). */
export function noteErrorCode(code: string): void {
  requests.getStore()?.codes.push(code);
}

/** The codes of a response built outside Apollo (screening): its body is small. */
export function noteResponseCodes(body: string): void {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] };
    for (const error of parsed.errors ?? []) if (typeof error.extensions?.code === 'string') noteErrorCode(error.extensions.code);
  } catch {
    // Not JSON: nothing to note.
  }
}

/** The active OpenTelemetry trace, when tracing is on. */
function traceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context.traceId : undefined;
}

/**
 * The one line of a finished request: operation, client, status, duration, error codes, request and
 * trace ids. `level` is the caller's choice (the router logs every request at info, subgraphs at debug).
 */
export function logRequest(logger: Logger, status: number, level: Level = 'info'): void {
  // The level first: a subgraph's debug line is off in production, and then nothing else is looked up.
  if (!logger.isLevelEnabled(level)) return;
  const request = requests.getStore();
  if (!request) return;
  const line: Record<string, unknown> = {
    operation: request.operation,
    ...request.client,
    status,
    ms: Math.round((performance.now() - request.startedAt) * 10) / 10,
  };
  if (request.codes.length > 0) line.codes = [...new Set(request.codes)];
  const trace = traceId();
  if (trace) line.traceId = trace;
  lineLogger(logger)[level](line, 'request');
}

const lineLoggers = new WeakMap<Logger, Logger>();

/**
 * `logger` without redaction, for lines whose keys are fixed in code and name no credential (the
 * request line above, the router's subscription lines): redaction never changes them, and it cost
 * ~30 µs a line against ~4 without (pino 10 copies the object to redact it), a few percent of the
 * router's CPU per request.
 */
export function lineLogger(logger: Logger): Logger {
  let plain = lineLoggers.get(logger);
  if (!plain) {
    plain = logger.child({}, { redact: { paths: [] } });
    lineLoggers.set(logger, plain);
  }
  return plain;
}
