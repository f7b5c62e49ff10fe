import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import { AggregatorRegistry, Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry };

/**
 * Prometheus metrics (prom-client). Every server keeps its own `Registry` rather than prom-client's
 * global one, so several stacks in one test process never share a counter; Node's default metrics
 * live in one registry per process. `/metrics` renders several registries as one exposition: in the
 * all-in-one process the router's carries every subgraph's too, told apart by their `subgraph` label.
 */

let processRegistry: Registry | null = null;

/** Node's default metrics (CPU, memory, event loop lag, GC, handles), collected once per process. */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Several registries as one text exposition; metrics of the same name (one per subgraph) become one family. */
export async function exposition(registries: readonly Registry[]): Promise<string> {
  const merged = AggregatorRegistry.aggregate(await Promise.all(registries.map((r) => r.getMetricsAsJSON())));
  return merged.metrics();
}

/** `DCRM_METRICS_TOKEN`: the bearer token `/metrics` requires; unset, only loopback callers are answered. */
export function metricsToken(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.DCRM_METRICS_TOKEN || null;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may read `/metrics`. With a token: whoever sends `Authorization: Bearer <token>`. Without: only a
 * caller on this host, and not one relayed by a proxy (a reverse proxy on the same host would otherwise
 * make every public request look local), so a fresh deployment never publishes its numbers.
 */
export function mayScrape(req: IncomingMessage, token: string | null): boolean {
  if (token) {
    const sent = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]?.trim() ?? '';
    return timingSafeEqual(digest(sent), digest(token));
  }
  const relayed = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return !relayed && LOOPBACK.has(req.socket.remoteAddress ?? '');
}

/** `GET /metrics` over the given registries (read on each scrape), behind `mayScrape`. */
export function metricsEndpoint(registries: () => readonly Registry[], token: string | null = metricsToken()) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!mayScrape(req, token)) {
      res.writeHead(token ? 401 : 403, { 'content-type': 'text/plain', ...(token ? { 'www-authenticate': 'Bearer' } : {}) });
      res.end(
        token
          ? 'metrics need Authorization: Bearer <DCRM_METRICS_TOKEN>\n'
          : 'metrics are served to loopback callers only; set DCRM_METRICS_TOKEN\n',
      );
      return;
    }
    exposition(registries()).then(
      (text) => {
        res.writeHead(200, { 'content-type': processMetrics().contentType });
        res.end(text);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('metrics unavailable\n');
      },
    );
  };
}

export type Outcome = 'success' | 'failure' | 'rejected';

const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

/** An error code as a label value: the codes we and Apollo use pass; anything else is OTHER (labels stay few). */
export function codeLabel(code: unknown): string {
  if (code === undefined || code === null) return 'INTERNAL_SERVER_ERROR';
  return typeof code === 'string' && CODE.test(code) ? code : 'OTHER';
}

/**
 * What an answer was: `rejected` when refused before running (4xx: no or bad credentials, malformed,
 * invalid, too large, THROTTLED by the cost budget); `failure` when it ran but carries errors, or 5xx;
 * else `success`. `code` is the first error's `extensions.code` ("" on success, `HTTP_<status>` when
 * the body names none). The body is parsed only when it mentions errors.
 */
export function outcomeOf(status: number, body: string | undefined): { outcome: Outcome; code: string } {
  let code = '';
  if (body?.includes('"errors"')) {
    try {
      const errors = (JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] }).errors;
      if (errors?.length) {
        code = codeLabel(errors.find((e) => e.extensions?.code !== undefined)?.extensions?.code);
      }
    } catch {
      // Not JSON: the status alone says what happened.
    }
  }
  if (status >= 400 && !code) code = `HTTP_${status}`;
  if (status >= 400 && status < 500) return { outcome: 'rejected', code };
  return { outcome: code ? 'failure' : 'success', code };
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
/** The first `query|mutation|subscription Name` of a document: a cheap guess for requests never parsed. */
const FIRST_OPERATION = /(?:^|[\s{}])(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** The operation name a request claims: its `operationName`, else the first named operation in its text. */
export function claimedOperationName(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { operationName, query } = body as { operationName?: unknown; query?: unknown };
  if (typeof operationName === 'string' && operationName) return operationName;
  if (typeof query !== 'string') return undefined;
  return FIRST_OPERATION.exec(query.slice(0, 10_000))?.[1];
}

export const ANONYMOUS_OPERATION = 'anonymous';
export const OTHER_OPERATION = 'other';

/** An operation's label; `ran`: the name was resolved by running the request (only then may it become a new label). */
export type OperationLabel = (name: string | null | undefined, ran: boolean) => string;

/**
 * The `operation` label, bounded: unnamed operations are `anonymous`; a name becomes a label only once
 * a request by that name ran (an unauthenticated or invalid one cannot plant names), and only the first
 * `limit` names do (then `other`), so a client inventing names cannot grow the series without end.
 * `known` names (the storefront SDK's operations) are admitted from the start.
 */
export function operationLabels(limit = 200, known: Iterable<string> = []): OperationLabel {
  const admitted = new Set([...known].filter((n) => NAME.test(n)));
  const cap = admitted.size + limit;
  return (name: string | null | undefined, ran: boolean): string => {
    if (!name) return ANONYMOUS_OPERATION;
    if (admitted.has(name)) return name;
    if (!ran || !NAME.test(name) || admitted.size >= cap) return OTHER_OPERATION;
    admitted.add(name);
    return name;
  };
}

const WINDOW_SLOTS = 6;
const SLOT_MS = 10_000;

/**
 * The true maximum of what was observed in the last minute, per label set: a histogram only bounds it
 * by a bucket edge, a summary's quantile 1 is an estimate. Kept in six 10-second slots, so it slides
 * without depending on who scrapes how often (several Prometheus servers see the same value).
 */
export function windowMaxGauge(registry: Registry, name: string, help: string, labelNames: string[]) {
  const slots = new Map<string, { labels: Record<string, string>; at: number[]; max: number[] }>();
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      const now = Math.floor(Date.now() / SLOT_MS);
      for (const [key, entry] of slots) {
        let max = -1;
        for (let i = 0; i < WINDOW_SLOTS; i++) if (now - entry.at[i] < WINDOW_SLOTS) max = Math.max(max, entry.max[i]);
        if (max < 0) slots.delete(key);
        else this.set(entry.labels, max);
      }
    },
  });
  return (labels: Record<string, string>, value: number) => {
    const key = labelNames.map((n) => labels[n]).join('\u0000');
    let entry = slots.get(key);
    if (!entry) {
      entry = { labels, at: new Array(WINDOW_SLOTS).fill(-Infinity), max: new Array(WINDOW_SLOTS).fill(-1) };
      slots.set(key, entry);
    }
    const slot = Math.floor(Date.now() / SLOT_MS);
    const i = slot % WINDOW_SLOTS;
    if (entry.at[i] !== slot) {
      entry.at[i] = slot;
      entry.max[i] = value;
    } else if (value > entry.max[i]) entry.max[i] = value;
  };
}

/** What a finished request reports: its operation (and whether that name was resolved by running it), status and body. */
export type Answered = { operation: string | null | undefined; ran?: boolean; status: number; body?: string };

export type RequestMetrics = {
  /** At arrival; call what it returns once the answer is sent. */
  start(): (answer: Answered) => void;
};

/**
 * Requests per operation and outcome, their latency, and how many are in flight. `prefix` names the
 * family (`dcrm` at the router, `dcrm_subgraph` in a subgraph); `constant` labels every series (the
 * subgraph's name), so one exposition can carry several servers.
 */
export function requestMetrics(
  registry: Registry,
  options: { prefix: string; constant?: Record<string, string>; operations?: OperationLabel },
): RequestMetrics {
  const constant = options.constant ?? {};
  const fixed = Object.keys(constant);
  const { prefix } = options;
  const label = options.operations ?? operationLabels();
  const received = new Counter({
    name: `${prefix}_requests_received_total`,
    help: 'Requests received (answered or not yet).',
    labelNames: fixed,
    registers: [registry],
  });
  const answered = new Counter({
    name: `${prefix}_requests_total`,
    help: 'Requests answered, by operation, outcome (success, failure, rejected) and first error code.',
    labelNames: [...fixed, 'operation', 'outcome', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${prefix}_request_duration_seconds`,
    help: 'Time from a request arriving to its answer being sent, by operation and outcome.',
    labelNames: [...fixed, 'operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const slowest = windowMaxGauge(
    registry,
    `${prefix}_request_duration_max_seconds`,
    'Slowest answer per operation in the last 60 s (sliding).',
    [...fixed, 'operation'],
  );
  const inFlight = new Gauge({
    name: `${prefix}_requests_in_flight`,
    help: 'Requests received and not yet answered.',
    labelNames: fixed,
    registers: [registry],
  });
  received.inc(constant, 0);
  inFlight.set(constant, 0);
  // The label objects of each (operation, outcome, code), built once: as many as the series themselves.
  const series = new Map<string, { answered: Record<string, string>; duration: Record<string, string>; slowest: Record<string, string> }>();
  const labelsOf = (operation: string, outcome: Outcome, code: string) => {
    const key = `${operation}\u0000${outcome}\u0000${code}`;
    let labels = series.get(key);
    if (!labels) {
      labels = {
        answered: { ...constant, operation, outcome, code },
        duration: { ...constant, operation, outcome },
        slowest: { ...constant, operation },
      };
      series.set(key, labels);
    }
    return labels;
  };
  return {
    start() {
      const began = process.hrtime.bigint();
      received.inc(constant);
      inFlight.inc(constant);
      let done = false;
      return (answer) => {
        if (done) return;
        done = true;
        inFlight.dec(constant);
        const seconds = Number(process.hrtime.bigint() - began) / 1e9;
        const { outcome, code } = outcomeOf(answer.status, answer.body);
        const operation = label(answer.operation, answer.ran ?? outcome !== 'rejected');
        const labels = labelsOf(operation, outcome, code);
        answered.inc(labels.answered);
        duration.observe(labels.duration, seconds);
        slowest(labels.slowest, seconds);
      };
    },
  };
}

/** Runs one GraphQL request under `metrics` (a throw counts as a 500 and is rethrown). */
export async function measured(
  metrics: RequestMetrics,
  request: HTTPGraphQLRequest,
  run: (request: HTTPGraphQLRequest) => Promise<HTTPGraphQLResponse>,
): Promise<HTTPGraphQLResponse> {
  const done = metrics.start();
  const operation = claimedOperationName(request.body);
  try {
    const response = await run(request);
    done({ operation, status: response.status ?? 200, body: response.body.kind === 'complete' ? response.body.string : undefined });
    return response;
  } catch (error) {
    done({ operation, status: 500 });
    throw error;
  }
}
