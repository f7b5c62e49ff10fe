/** The peer bench's table, in the shape of README's "Against a peer". */

/** One measured run of one server. CPU per request in µs: the Node process, and its PostgreSQL backends. */
export type Round = {
  server: 'dcrm' | 'Vendure';
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  cpuUs: number | null;
  dbCpuUs: number | null;
  backends: number;
  /** What the answer held (matches, add-ons…), to show both served the same kind of page. */
  summary: string;
  /** 1-minute load average at the start and end of the run. */
  load: [number, number];
};

/** An operation's four runs: dcrm, Vendure, Vendure, dcrm. */
export type Peered = { operation: string; title: string; rounds: Round[] };

/** Issue 20's goals: CPU per request, Vendure ÷ dcrm, at least this. */
const GOALS: Record<string, number> = { listing: 40, detail: 8, search: 3, facets: 3, byId: 3 };

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Total CPU (server + database) per request over the server's runs, weighted by requests; null when unknown. */
function cpuPerRequest(rounds: Round[]): { server: number; db: number } | null {
  if (rounds.some((r) => r.cpuUs === null || r.dbCpuUs === null || r.requests === 0)) return null;
  const requests = rounds.reduce((s, r) => s + r.requests, 0);
  const sum = (f: (r: Round) => number) => rounds.reduce((s, r) => s + f(r) * r.requests, 0) / requests;
  return { server: sum((r) => r.cpuUs as number), db: sum((r) => r.dbCpuUs as number) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
// A run that completed no request has no latency, and no ratio against it: a dash, not NaN or Infinity.
const ms = (n: number) => (!Number.isFinite(n) ? '–' : n < 10 ? n.toFixed(1) : n.toFixed(0));
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)}×` : '–');

export function peerMarkdown(results: Peered[]): string {
  const lines = [
    '| operation | dcrm req/s | p50 / p99 ms | Vendure req/s | p50 / p99 ms | req/s ratio (rounds) | CPU µs per request, dcrm (node + PG) | Vendure (node + PG) | CPU per request, Vendure ÷ dcrm | goal | answers (dcrm; Vendure) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const loads: number[] = [];
  for (const { operation, title, rounds } of results) {
    const side = (name: Round['server']) => rounds.filter((r) => r.server === name);
    const [d, v] = [side('dcrm'), side('Vendure')];
    loads.push(...rounds.flatMap((r) => r.load));
    const [dCpu, vCpu] = [cpuPerRequest(d), cpuPerRequest(v)];
    // Round 1 is runs 0 (dcrm) and 1 (Vendure), round 2 runs 2 (Vendure) and 3 (dcrm).
    const perRound = [rounds[0].rps / rounds[1].rps, rounds[3].rps / rounds[2].rps].map((r) => (Number.isFinite(r) ? r.toFixed(1) : '–'));
    const cpu = (c: typeof dCpu) => (c ? `${fmt(c.server + c.db)} (${fmt(c.server)} + ${fmt(c.db)})` : '–');
    const ratio = dCpu && vCpu ? x((vCpu.server + vCpu.db) / (dCpu.server + dCpu.db)) : '–';
    lines.push(
      [
        title,
        fmt(mean(d.map((r) => r.rps))),
        `${ms(mean(d.map((r) => r.p50)))} / ${ms(mean(d.map((r) => r.p99)))}`,
        fmt(mean(v.map((r) => r.rps))),
        `${ms(mean(v.map((r) => r.p50)))} / ${ms(mean(v.map((r) => r.p99)))}`,
        `${x(mean(d.map((r) => r.rps)) / mean(v.map((r) => r.rps)))} (${perRound.join(', ')})`,
        cpu(dCpu),
        cpu(vCpu),
        ratio,
        GOALS[operation] ? `≥ ${GOALS[operation]}×` : '',
        `${d[0].summary}; ${v[0].summary}`,
      ].join(' | '),
    );
  }
  const lines2 = lines.map((l, i) => (i < 2 ? l : `| ${l} |`));
  return `${lines2.join('\n')}\n\nLoad average (1 min) over the runs: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}.`;
}
