import { readFileSync } from 'node:fs';

/**
 * Summarises a `.cpuprofile` (from `pnpm bench --profile`): where the self time went, by function
 * and by file, so a missed goal can be explained without opening DevTools.
 *
 * `tsx src/profile-summary.ts results/b1-memory-….cpuprofile [top=25]`
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `packages/core/src/runtime/inbound/pipeline.ts` rather than a long file URL. */
function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/(.+)$/.exec(url);
  if (pnpm) return `npm:${pnpm[1]}`;
  const local = /\/work\/[^/]+\/(.+)$/.exec(url) ?? /file:\/\/\/?(.+)$/.exec(url);
  return local ? (local[1] as string) : url;
}

const [file, topArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: tsx src/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(1);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
});
const total = [...selfMs.values()].reduce((sum, value) => sum + value, 0);
const parent = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);
const nameOf = (node: ProfileNode) =>
  `${node.callFrame.functionName || '(anonymous)'}  ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
// Inclusive time: each sampled stack counts once for every function on it.
const inclusive = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = nameOf(byId.get(at) as ProfileNode);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
  }
}
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const { callFrame } = byId.get(id) as ProfileNode;
  const where = shortUrl(callFrame.url);
  const name = nameOf(byId.get(id) as ProfileNode);
  byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  byFile.set(where, (byFile.get(where) ?? 0) + ms);
}
/** Groups a file into the part of the stack it belongs to. */
function areaOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native code)';
  const where = shortUrl(url);
  // A worktree's files read `<worktree>/packages/…`: the area is the package either way.
  const ours = /(?:^|\/)(packages|adapters|bench)\/([^/]+)/.exec(where);
  if (ours) return `${ours[1]}/${ours[2]}`;
  if (where.startsWith('npm:tsx') || where.includes('node:internal/modules'))
    return 'module loading';
  if (where.startsWith('npm:')) return where.split('/')[0] as string;
  if (where.includes('deps/undici')) return 'node: undici (fetch, Request, Response)';
  if (where.includes('webstreams')) return 'node: web streams';
  if (where.includes('crypto')) return 'node: crypto';
  // Node 20 makes every web stream transferable and every Request carries an AbortSignal.
  if (/abort_controller|js_transferable|event_target|worker\/io/.test(where)) {
    return 'node: AbortSignal, EventTarget, transferables';
  }
  if (where.includes('timers')) return 'node: timers';
  if (/node:(_http|http)/.test(where)) return 'node: http';
  if (/streams|net|stream_base/.test(where)) return 'node: net and streams';
  return 'node: other';
}
const byArea = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const area = areaOf(byId.get(id) as ProfileNode);
  byArea.set(area, (byArea.get(area) ?? 0) + ms);
}

const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${((ms / total) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${name}`,
    );
  }
};
console.log(`${file}: ${total.toFixed(0)} ms sampled`);
print('self time by area', byArea);
print('self time by function', byFunction);
print('self time by file', byFile);
print('total time (self and callees) by function', inclusive);
