import { SQL_COUNT_HEADER } from '@dcrm/kit';
import autocannon from 'autocannon';
import type { GraphQLBody } from './operations.js';

/** One endpoint answering one operation; `headers` is called for every request (signatures live seconds). */
export type Target = {
  url: string;
  body: string;
  headers: () => Record<string, string>;
  /** CPU time (µs) the process answering `url` has used so far (`processes.ts` `cpuMicros`), when known. */
  cpu?: () => number | null;
  /** Called after the warm-up, right before the measured run (e.g. to find the database backends a warm pool holds). */
  beforeRun?: () => Promise<void>;
  /** CPU time (µs) of every process of the stack and its database backends since `beforeRun`, when known. */
  stackCpuSince?: () => number | null;
};

export type Probe = { data: Record<string, unknown>; statements: number | null };

export type Measurement = {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** CPU time of the answering process per request over the measured run (µs), when known: load-independent. */
  cpuUsPerRequest: number | null;
  /** CPU time of the whole stack (every process and the database) per request (µs), when known. */
  stackCpuUsPerRequest: number | null;
  errors: { total: number; non2xx: number; socket: number; timeouts: number; graphql: number; samples: string[] };
};

export type LoadOptions = { connections: number; warmupSeconds: number; seconds: number };

/**
 * Sends the operation twice outside the load and checks the answer: 2xx, JSON, no `errors`. The second
 * response gives the SQL count (the first may include once-per-key work such as key verification).
 */
export async function probe(target: Target): Promise<Probe> {
  let statements: number | null = null;
  let body: GraphQLBody = {};
  for (let i = 0; i < 2; i++) {
    const headers = { 'content-type': 'application/json', ...target.headers() };
    const res = await fetch(target.url, { method: 'POST', headers, body: target.body, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${target.url} answered ${res.status}: ${text.slice(0, 500)}`);
    body = JSON.parse(text) as GraphQLBody;
    if (body.errors?.length) throw new Error(`${target.url} answered with errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
    const header = res.headers.get(SQL_COUNT_HEADER);
    statements = header === null ? null : Number(header);
  }
  if (!body.data) throw new Error(`${target.url} answered without data`);
  return { data: body.data, statements };
}

// A GraphQL answer with errors is still a 200; count it as an error. Cheap enough not to slow the load generator.
const hasErrors = (body: string) => body.includes('"errors":[');

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

type Run = { result: autocannon.Result; latencies: number[]; graphqlErrors: number; samples: string[] };

function cannon(target: Target, connections: number, seconds: number): Promise<Run> {
  // autocannon's histogram has no p95: keep every 2xx latency (a few tens of thousands of numbers).
  const latencies: number[] = [];
  let graphqlErrors = 0;
  // The first few distinct failing bodies, so a failed run says what went wrong.
  const samples: string[] = [];
  const sample = (status: number, body: string) => {
    const text = `${status} ${body.slice(0, 300)}`;
    if (samples.length < 3 && !samples.includes(text)) samples.push(text);
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers() },
        body: target.body,
        connections,
        pipelining: 1,
        duration: seconds,
        timeout: 10,
        // Only 2xx bodies: a non-2xx is already counted as one error.
        requests: [
          {
            setupRequest: (req) => ({ ...req, headers: { 'content-type': 'application/json', ...target.headers() } }),
            onResponse: (status, body) => {
              if (status >= 300) sample(status, body);
              else if (hasErrors(body)) {
                graphqlErrors++;
                sample(status, body);
              }
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ result, latencies, graphqlErrors, samples })),
    );
    instance.on('response', (_client, status, _bytes, ms) => status >= 200 && status < 300 && latencies.push(ms));
  });
}

/** A warm-up (JIT, plan caches, pools), discarded, then the measured run at a fixed concurrency. */
export async function measure(target: Target, options: LoadOptions): Promise<Measurement> {
  if (options.warmupSeconds > 0) await cannon(target, options.connections, options.warmupSeconds);
  await target.beforeRun?.();
  const cpuBefore = target.cpu?.() ?? null;
  const { result, latencies, graphqlErrors, samples } = await cannon(target, options.connections, options.seconds);
  const cpuAfter = target.cpu?.() ?? null;
  const stackCpu = target.stackCpuSince?.() ?? null;
  latencies.sort((a, b) => a - b);
  const errors = {
    non2xx: result.non2xx,
    socket: result.errors - result.timeouts,
    timeouts: result.timeouts,
    graphql: graphqlErrors,
    total: result.non2xx + result.errors + graphqlErrors,
    samples,
  };
  return {
    requests: latencies.length,
    seconds: result.duration,
    rps: latencies.length / result.duration,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    cpuUsPerRequest: cpuBefore !== null && cpuAfter !== null && latencies.length > 0 ? (cpuAfter - cpuBefore) / latencies.length : null,
    stackCpuUsPerRequest: stackCpu !== null && latencies.length > 0 ? stackCpu / latencies.length : null,
    errors,
  };
}
