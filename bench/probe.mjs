#!/usr/bin/env node
/**
 * bench: the foundation (not a test; run with `npm run bench` or `node bench/probe.mjs`).
 * 1. `lkdiag --help` cold start against a bare `node -e 0`, interleaved in the same run (goal ≤ 1.5×).
 * 2. One simulated probe end to end: `lkdiag probe-openai --simulate --json` wall time.
 * 3. Timing error of the response.created step against an injected delay, over 20 runs.
 * Results go to bench/results.json under "probe".
 */
import { BIN, median, percentile, record, round, timeRun } from './lib.mjs';

const N = Number(process.env.BENCH_N ?? 21);
const node = [];
const help = [];
for (let i = 0; i < N; i++) {
  node.push(timeRun(process.execPath, ['-e', '0']).ms);
  help.push(timeRun(process.execPath, [BIN, '--help']).ms);
}
const coldStart = {
  runs: N,
  nodeMedianMs: round(median(node)),
  helpMedianMs: round(median(help)),
  ratio: round(median(help) / median(node), 2),
  goal: '≤ 1.5×',
};

const e2e = [];
for (let i = 0; i < 5; i++) {
  const r = timeRun(process.execPath, [BIN, 'probe-openai', '--simulate', '--json']);
  if (r.status !== 0) throw new Error(`simulated probe failed (exit ${r.status}): ${r.stderr}`);
  e2e.push(r.ms);
}
const probeE2e = { runs: e2e.length, medianMs: round(median(e2e)), minMs: round(Math.min(...e2e)), maxMs: round(Math.max(...e2e)) };

const DELAY = 1000;
const errors = [];
for (let i = 0; i < 20; i++) {
  const r = timeRun(process.execPath, [BIN, 'probe-openai', '--simulate', `delay-created=${DELAY}`, '--json']);
  const step = JSON.parse(r.stdout).steps.find((s) => s.name === 'response.created');
  errors.push(step.ms - DELAY);
}
const abs = errors.map(Math.abs);
const timing = {
  injectedDelayMs: DELAY,
  runs: errors.length,
  meanErrorMs: round(errors.reduce((a, b) => a + b, 0) / errors.length, 2),
  medianAbsErrorMs: round(median(abs), 2),
  p95AbsErrorMs: round(percentile(abs, 95), 2),
  maxAbsErrorMs: round(Math.max(...abs), 2),
  tolerance: '±15 ms (test/integration/probe.test.ts)',
};
record('probe', { coldStart, probeE2e, timing });
