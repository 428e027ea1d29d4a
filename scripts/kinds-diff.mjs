#!/usr/bin/env node
// The kinds diff of issue #11: `trace log --json` on every fixture log (fixtures/logs/**/*.log, the
// public corpus included) with the current build (dist/) against the same command built at a base
// commit (default da857e9, before the one-kind-per-fact vocabulary). Every event of the base output
// is read as today's with upgradeLegacyEvent (src/events/legacy.ts); the outputs must then be
// identical, line for line, apart from the volatile report fields (startedAt, durationMs).
// Prints the table of renamed kinds with counts; exits 1 on any other difference.
//
//   node scripts/kinds-diff.mjs [--base da857e9] [--base-dir /tmp/kd-base] [--show N]
//
// The base is built once in a git worktree (node_modules shared by a symlink): `git worktree add
// --detach <dir> <base>`, then `tsc` there. Build the current tree first (`npx tsc -p tsconfig.json`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const base = arg('--base', 'da857e9');
const baseDir = arg('--base-dir', '/tmp/kd-base');
const show = Number(arg('--show', '5'));

if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('build the current tree first: npx tsc -p tsconfig.json');
if (!existsSync(join(baseDir, 'dist/cli.js'))) {
  if (!existsSync(baseDir)) execFileSync('git', ['worktree', 'add', '--detach', baseDir, base], { cwd: root, stdio: 'inherit' });
  if (!existsSync(join(baseDir, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(baseDir, 'node_modules'));
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: baseDir, stdio: 'inherit' });
}
const { LEGACY_KINDS, upgradeLegacyEvent } = await import(join(root, 'dist/events/legacy.js'));
// An old kind named in a finding's text (e.g. "(log.agent.user-state)") is a renamed kind too; the room
// kinds whose new name depends on their data never appear in a trace log's text.
const TEXT_RENAMES = Object.entries(LEGACY_KINDS)
  .filter(([old]) => !old.startsWith('room.'))
  .map(([old, now]) => [new RegExp(`(?<![\\w.-])${old.replace(/\./g, '\\.')}(?![\\w-]|\\.\\w)`, 'g'), old, now]);
const renamedInText = new Map(); // "old → new" → count

function logsUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...logsUnder(p));
    else if (e.name.endsWith('.log')) out.push(p);
  }
  return out.sort();
}

function run(cwd, file) {
  const r = spawnSync(process.execPath, [join(cwd, 'bin/lkdiag.js'), 'trace', 'log', file, '--json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, lines: r.stdout.split('\n').filter((l) => l !== '') };
}

/** Every trace event in a JSON value (NDJSON event lines, report.events, findings' evidence), read as today's. */
const renamed = new Map(); // "old → new" → count
function upgrade(v) {
  if (Array.isArray(v)) return v.map(upgrade);
  if (typeof v === 'string') {
    let s = v;
    for (const [re, old, now] of TEXT_RENAMES) {
      s = s.replace(re, () => {
        const key = `${old} → ${now}`;
        renamedInText.set(key, (renamedInText.get(key) ?? 0) + 1);
        return now;
      });
    }
    return s;
  }
  if (v === null || typeof v !== 'object') return v;
  const isEvent = typeof v.t === 'number' && typeof v.kind === 'string' && typeof v.source === 'string' && v.data && typeof v.data === 'object';
  const o = isEvent ? upgradeLegacyEvent(v) : v;
  if (isEvent && o.kind !== v.kind) {
    const key = `${v.kind} → ${o.kind}`;
    renamed.set(key, (renamed.get(key) ?? 0) + 1);
  }
  const out = {};
  for (const [k, x] of Object.entries(o)) out[k] = upgrade(x);
  return out;
}
const VOLATILE = new Set(['startedAt', 'durationMs']);
const stable = (line) => JSON.stringify(JSON.parse(line), (k, x) => (VOLATILE.has(k) ? undefined : x));

const files = logsUnder(join(root, 'fixtures/logs'));
let same = 0;
let events = 0;
const differing = [];
for (const f of files) {
  const now = run(root, f);
  const then = run(baseDir, f);
  const upgraded = then.lines.map((l) => JSON.stringify(upgrade(JSON.parse(l))));
  events += then.lines.length - 1;
  const a = now.lines.map(stable);
  const b = upgraded.map(stable);
  const firstDiff = a.findIndex((l, i) => l !== b[i]);
  if (now.code === then.code && a.length === b.length && firstDiff < 0) same++;
  else
    differing.push({ file: relative(root, f), code: [then.code, now.code], lines: [b.length, a.length], at: firstDiff, was: b[firstDiff], is: a[firstDiff] });
}

const total = [...renamed.values()].reduce((a, b) => a + b, 0);
console.log(`trace log --json on ${files.length} fixture logs: ${base} (kinds read as today's) vs the current build`);
console.log(
  `${same} identical, ${differing.length} different; ${events} lines of events in the base output, ${total} renamed events (event lines and findings' evidence)\n`,
);
console.log('| old kind → new kind | events |');
console.log('|---|---:|');
for (const [k, n] of [...renamed].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))) console.log(`| \`${k.replace(' → ', '` → `')}\` | ${n} |`);
if (renamedInText.size) {
  console.log('\nOld kinds named in finding texts (detail, evidence notes), read as the new ones:\n');
  console.log('| old kind → new kind | mentions |');
  console.log('|---|---:|');
  for (const [k, n] of [...renamedInText].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))) console.log(`| \`${k.replace(' → ', '` → `')}\` | ${n} |`);
}
for (const d of differing.slice(0, show)) {
  console.log(`\nDIFFERENT ${d.file}: exit ${d.code[0]} → ${d.code[1]}, ${d.lines[0]} → ${d.lines[1]} lines, first difference on line ${d.at + 1}`);
  console.log(`  was: ${String(d.was).slice(0, 400)}`);
  console.log(`  is:  ${String(d.is).slice(0, 400)}`);
}
if (differing.length > show) console.log(`\n… and ${differing.length - show} more (--show N)`);
process.exit(differing.length ? 1 : 0);
