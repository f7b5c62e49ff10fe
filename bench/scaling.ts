import type { Row } from './report.js';

/** What scaling mode compares: each size's rows. */
export type SizeRows = { scale: number; rows: Row[] };

/** Throughput at the largest catalogue ÷ at the smallest that an operation must keep (issue 20); null: reported only. */
export const SCALING_TARGETS: Record<string, number> = { facets: 0.7 };

const perSecond = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const cpu = (n: number | null | undefined) => (n ? n.toFixed(0) : '–');

/**
 * One table: per operation and shape, req/s, p99 and the answering process's CPU per request at every
 * catalogue size, the largest size's req/s as a share of the smallest's (with the target where there is
 * one; reported, never enforced), and the same share implied by CPU per request.
 */
export function scalingMarkdown(runs: SizeRows[]): string {
  const sizes = runs.map((r) => r.scale);
  const head = sizes
    .map((s) => `req/s @ ${s.toLocaleString('en')} | p99 ms @ ${s.toLocaleString('en')} | CPU µs/op @ ${s.toLocaleString('en')}`)
    .join(' | ');
  const keys: { operation: string; title: string; shape: Row['shape'] }[] = [];
  for (const row of runs.flatMap((r) => r.rows)) {
    if (!keys.some((k) => k.operation === row.operation && k.shape === row.shape))
      keys.push({ operation: row.operation, title: row.title, shape: row.shape });
  }
  const lines = [
    `| operation | shape | ${head} | largest ÷ smallest req/s | by CPU: smallest ÷ largest µs/op |`,
    `| --- | --- | ${sizes.map(() => '---: | ---: | ---:').join(' | ')} | ---: | ---: |`,
  ];
  for (const key of keys) {
    const at = runs.map((run) => run.rows.find((r) => r.operation === key.operation && r.shape === key.shape));
    const cells = at.map((r) => (r ? `${perSecond(r.rps)} | ${ms(r.p99)} | ${cpu(r.cpuUsPerRequest)}` : '– | – | –')).join(' | ');
    const first = at[0];
    const last = at.at(-1);
    let share = '–';
    if (first && last && first.rps > 0) {
      const value = last.rps / first.rps;
      const target = SCALING_TARGETS[key.operation];
      share = `${(value * 100).toFixed(0)}%${target === undefined ? '' : ` (target ≥ ${target * 100}%: ${value >= target ? 'met' : 'MISSED'})`}`;
    }
    // CPU per request of the answering process moves far less with the machine's load than req/s does.
    const byCpu =
      first?.cpuUsPerRequest && last?.cpuUsPerRequest ? `${((first.cpuUsPerRequest / last.cpuUsPerRequest) * 100).toFixed(0)}%` : '–';
    lines.push(`| ${key.title} | ${key.shape} | ${cells} | ${share} | ${byCpu} |`);
  }
  return lines.join('\n');
}
