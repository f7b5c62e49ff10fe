/**
 * Top self-time functions of a V8 `.cpuprofile`: `pnpm exec tsx bench/profile-top.ts <file | dir> [n]`.
 * Given a directory, reads the busiest profile (the server, not pnpm or tsx's launcher, which idle alongside).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

export type Hot = { name: string; where: string; module: string; selfMs: number; share: number };
export type Inclusive = { name: string; where: string; totalMs: number; share: number };
export type Hottest = { functions: Hot[]; inclusive: Inclusive[]; modules: { module: string; share: number }[]; busyMs: number };

/** `…/node_modules/.pnpm/@apollo+gateway@2.14.0/node_modules/@apollo/gateway/dist/x.js` → `@apollo/gateway/dist/x.js`. */
function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const at = path.lastIndexOf('/node_modules/');
  if (at >= 0) return path.slice(at + '/node_modules/'.length);
  return path.replace(`${process.cwd()}/`, '');
}

function moduleOf(url: string): string {
  if (!url) return '(v8/native)';
  if (url.startsWith('node:')) return 'node';
  const path = shortPath(url);
  if (!url.includes('/node_modules/')) return path.split('/').slice(0, 2).join('/');
  const parts = path.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

function load(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

/** The profile to read: the file itself, or the busiest in a directory (written since `sinceMs`). */
export function pickProfile(path: string, sinceMs = 0): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(path, f))
    .filter((f) => statSync(f).mtimeMs >= sinceMs);
  if (files.length === 0) throw new Error(`no .cpuprofile in ${path}`);
  return files.map((f) => ({ f, busy: hottest(f, 0).busyMs })).sort((a, b) => b.busy - a.busy)[0].f;
}

const keyOf = (frame: CallFrame) => {
  const where = frame.url ? `${shortPath(frame.url)}:${frame.lineNumber + 1}` : '';
  return { key: `${frame.functionName}@${where}`, where };
};

// Inclusive time is shown for library and app code only: node's event plumbing would top that list.
const meaningful = (frame: CallFrame) => frame.url !== '' && !frame.url.startsWith('node:') && !frame.url.includes('/tsx/');

/**
 * Self time per function (summed over call sites), and inclusive time of library and app functions;
 * idle time is left out of the shares. `fromUs` skips samples before that monotonic time (µs, as
 * `process.hrtime`): start-up and module loading.
 */
export function hottest(path: string, n = 15, fromUs = 0): Hottest {
  const profile = load(path);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, Hot>();
  const inclusive = new Map<string, Inclusive>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    at += profile.timeDeltas[i] ?? 0;
    if (!frame || frame.functionName === '(idle)' || at < fromUs) return;
    busy += ms;
    const { key, where } = keyOf(frame);
    const hot = self.get(key) ?? { name: frame.functionName || '(anonymous)', where, module: moduleOf(frame.url), selfMs: 0, share: 0 };
    hot.selfMs += ms;
    self.set(key, hot);
    // Each function once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const f = byId.get(node)?.callFrame;
      if (!f || !meaningful(f)) continue;
      const k = keyOf(f);
      if (seen.has(k.key)) continue;
      seen.add(k.key);
      const entry = inclusive.get(k.key) ?? { name: f.functionName || '(anonymous)', where: k.where, totalMs: 0, share: 0 };
      entry.totalMs += ms;
      inclusive.set(k.key, entry);
    }
  });
  const all = [...self.values()].map((h) => ({ ...h, share: h.selfMs / busy }));
  const modules = new Map<string, number>();
  for (const h of all) modules.set(h.module, (modules.get(h.module) ?? 0) + h.share);
  return {
    functions: all.sort((a, b) => b.selfMs - a.selfMs).slice(0, n),
    inclusive: [...inclusive.values()]
      .map((e) => ({ ...e, share: e.totalMs / busy }))
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, n),
    modules: [...modules].map(([module, share]) => ({ module, share })).sort((a, b) => b.share - a.share),
    busyMs: busy,
  };
}

export function formatHottest(path: string, n = 15, fromUs = 0): string {
  const { functions, inclusive, modules, busyMs } = hottest(path, n, fromUs);
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  return [
    `CPU profile ${shortPath(path)}: ${(busyMs / 1000).toFixed(1)} s busy (idle${fromUs ? ' and start-up' : ''} excluded)`,
    '',
    '| # | self % | self ms | function | where |',
    '| ---: | ---: | ---: | --- | --- |',
    ...functions.map((h, i) => `| ${i + 1} | ${pct(h.share)} | ${h.selfMs.toFixed(0)} | ${h.name} | ${h.where || h.module} |`),
    '',
    '| # | total % | total ms | library or app function (inclusive) | where |',
    '| ---: | ---: | ---: | --- | --- |',
    ...inclusive.map((h, i) => `| ${i + 1} | ${pct(h.share)} | ${h.totalMs.toFixed(0)} | ${h.name} | ${h.where} |`),
    '',
    `Self time by module: ${modules
      .slice(0, 10)
      .map((m) => `${m.module} ${pct(m.share)}`)
      .join(', ')}`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = process.argv[2];
  if (!target) throw new Error('usage: tsx bench/profile-top.ts <file.cpuprofile | dir> [n]');
  console.log(formatHottest(pickProfile(target), Number(process.argv[3] ?? 15)));
}
