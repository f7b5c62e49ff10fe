import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Measurement } from './load.js';
import type { Shape } from './shapes.js';

export type Row = Measurement & { operation: string; title: string; shape: Shape; statements: number | null };

/** `value` against a target; targets are reported, never enforced (machines are shared and noisy). */
export type Ratio = { operation: string; name: string; value: number; target: { op: '<=' | '>='; value: number } | null };

const find = (rows: Row[], operation: string, shape: Shape) => rows.find((r) => r.operation === operation && r.shape === shape);

/** The router's overhead over each subgraph alone, and how far each shape is from one hand-written SQL statement. */
export function ratios(rows: Row[]): Ratio[] {
  const out: Ratio[] = [];
  for (const operation of [...new Set(rows.map((r) => r.operation))]) {
    const prod = find(rows, operation, 'router prod');
    const allInOne = find(rows, operation, 'router all-in-one');
    const direct = find(rows, operation, 'direct subgraph');
    const bare = find(rows, operation, 'bare proxy');
    const raw = find(rows, operation, 'raw SQL');
    if (prod && direct)
      out.push({ operation, name: 'router prod p50 ÷ direct p50', value: prod.p50 / direct.p50, target: { op: '<=', value: 1.2 } });
    // The least any separate Node process in front of the subgraph adds on this machine (bare-proxy.ts).
    if (bare && direct) out.push({ operation, name: 'bare proxy p50 ÷ direct p50', value: bare.p50 / direct.p50, target: null });
    if (bare?.cpuUsPerRequest && prod?.cpuUsPerRequest)
      out.push({
        operation,
        name: 'router prod CPU ÷ bare proxy CPU per op',
        value: prod.cpuUsPerRequest / bare.cpuUsPerRequest,
        target: null,
      });
    if (prod?.cpuUsPerRequest && direct?.cpuUsPerRequest)
      out.push({
        operation,
        name: 'router prod CPU ÷ direct CPU per op',
        value: prod.cpuUsPerRequest / direct.cpuUsPerRequest,
        target: null,
      });
    // Load-independent: what the router adds to the machine's whole work per operation (every process and PostgreSQL).
    if (prod?.stackCpuUsPerRequest && direct?.stackCpuUsPerRequest)
      out.push({
        operation,
        name: 'router prod ÷ direct, whole-stack CPU per op',
        value: prod.stackCpuUsPerRequest / direct.stackCpuUsPerRequest,
        target: null,
      });
    if (allInOne && direct) out.push({ operation, name: 'all-in-one p50 ÷ direct p50', value: allInOne.p50 / direct.p50, target: null });
    if (prod && raw) {
      const target = operation === 'listing' ? { op: '>=' as const, value: 0.3 } : null;
      out.push({ operation, name: 'router prod req/s ÷ raw req/s', value: prod.rps / raw.rps, target });
    }
    if (direct && raw) out.push({ operation, name: 'direct req/s ÷ raw req/s', value: direct.rps / raw.rps, target: null });
  }
  return out;
}

export const met = (r: Ratio) => r.target === null || (r.target.op === '<=' ? r.value <= r.target.value : r.value >= r.target.value);

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const perSecond = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const times = (r: Ratio) => (r.name.includes('req/s') ? `${(r.value * 100).toFixed(0)}%` : `${r.value.toFixed(2)}×`);
const targetText = (r: Ratio) => {
  if (!r.target) return '';
  const value = r.name.includes('req/s') ? `${r.target.value * 100}%` : `${r.target.value}×`;
  return ` (target ${r.target.op === '<=' ? '≤' : '≥'} ${value}: ${met(r) ? 'met' : 'MISSED'})`;
};

export function markdown(rows: Row[], list: Ratio[]): string {
  const lines = [
    '| operation | shape | req/s | p50 ms | p95 ms | p99 ms | CPU µs/op | stack CPU µs/op | errors | SQL/op |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.title} | ${r.shape} | ${perSecond(r.rps)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.cpuUsPerRequest === null ? '–' : r.cpuUsPerRequest.toFixed(0)} | ${r.stackCpuUsPerRequest?.toFixed(0) ?? '–'} | ${r.errors.total} | ${r.statements ?? '–'} |`,
    ),
    '',
    ...list.map((r) => `- ${r.operation}: ${r.name} = ${times(r)}${targetText(r)}`),
  ];
  return lines.join('\n');
}

/** `bench/results/<YYYY-MM-DDTHH-MM>.json` (UTC); a second run in the same minute gets the seconds too. */
export function writeResults(dir: string, report: Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString();
  let file = join(dir, `${stamp.slice(0, 16).replace(':', '-')}.json`);
  if (existsSync(file)) file = join(dir, `${stamp.slice(0, 19).replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
