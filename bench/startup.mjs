#!/usr/bin/env node
/**
 * bench: start-up time (not a test; `node bench/startup.mjs`, or `npm run bench -- startup`).
 * `lkdiag --help` (and `trace log --help`, `--version`) against a bare `node -e 0`, measured side by side in
 * one run: the commands alternate, BENCH_N runs each (default 20) after 3 warm-up rounds, the median of each.
 * Goal (issue #11): `lkdiag --help` ≤ 1.4× `node -e 0`.
 * `--baseline path/to/other/bin/lkdiag.js` adds that build's `--help` to the same alternation (before/after
 * on the same machine at the same load). Results go to bench/results.json under "startup" (`--key NAME`
 * for another key); other keys are kept.
 */
import { BIN, median, record, round, timeRun } from './lib.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const bin = arg('--bin') ?? BIN;
const key = arg('--key') ?? 'startup';
const baseline = arg('--baseline');
const baselineLabel = arg('--baseline-label'); // e.g. the commit it was built from
const N = Number(process.env.BENCH_N ?? 20);
const GOAL = 1.4;

const cases = {
  node: ['-e', '0'],
  help: [bin, '--help'],
  traceLogHelp: [bin, 'trace', 'log', '--help'],
  version: [bin, '--version'],
  ...(baseline ? { baselineHelp: [baseline, '--help'] } : {}),
};
const ms = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < N + 3; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const r = timeRun(process.execPath, args);
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    if (i >= 3) ms[name].push(r.ms);
  }
}
const med = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)]));
const ratio = (k) => round(med[k] / med.node, 2);
record(key, {
  bin,
  runs: N,
  method: `the ${Object.keys(cases).length} commands alternate, ${N} runs each after 3 warm-up rounds; wall time of each child process; medians`,
  nodeMedianMs: round(med.node),
  helpMedianMs: round(med.help),
  traceLogHelpMedianMs: round(med.traceLogHelp),
  versionMedianMs: round(med.version),
  ratio: ratio('help'),
  traceLogHelpRatio: ratio('traceLogHelp'),
  versionRatio: ratio('version'),
  ...(baseline ? { baseline: baselineLabel ?? baseline, baselineHelpMedianMs: round(med.baselineHelp), baselineRatio: ratio('baselineHelp') } : {}),
  goal: `lkdiag --help ≤ ${GOAL}× node -e 0`,
  met: med.help / med.node <= GOAL,
});
