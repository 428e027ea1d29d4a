#!/usr/bin/env node
/**
 * bench/drive.mjs — lkdiag drive's heard-latency accuracy against an injected model delay.
 *
 * Runs `lkdiag drive` (the built CLI) against the real Python reference agent in console mode with
 * `--model simulate:delay-created=D` for several D, the one-turn script played --repeat N times. The
 * simulator holds response.created back by D ms, so every turn's heard latency should grow by exactly D
 * over the D = 0 baseline; the error per D is median(heard(D)) − median(heard(0)) − D. Goal: |error| ≤ 20 ms.
 *
 *   node bench/drive.mjs [--python PATH] [--repeat 5] [--delays 0,500,1000,2000]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const hash = createHash('sha256')
  .update(readFileSync(join(ROOT, 'fixtures/agents/python/requirements.txt')))
  .digest('hex')
  .slice(0, 12);
const python = arg('python', join(homedir(), '.cache/lkdiag', `venv-${hash}`, 'bin/python'));
const repeat = Number(arg('repeat', '5'));
const delays = arg('delays', '0,500,1000,2000').split(',').map(Number);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function run(delay) {
  const t0 = Date.now();
  const model = delay ? `simulate:delay-created=${delay}` : 'simulate';
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin/lkdiag.js'),
      'drive',
      '--json',
      '--agent',
      join(ROOT, 'fixtures/agents/python/agent.py'),
      '--python',
      python,
      '--model',
      model,
      '--script',
      join(ROOT, 'fixtures/drive/one-turn.json'),
      '--repeat',
      String(repeat),
    ],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 180_000, maxBuffer: 256 * 1024 * 1024 },
  );
  const report = JSON.parse(r.stdout);
  // the first turn of a session also waits on the agent's first Realtime exchange (slower, and noisier): left out
  const heard = report.turns
    .slice(1)
    .map((t) => t.heardLatencyMs)
    .filter((v) => typeof v === 'number');
  return { delay, exit: r.status, heard, median: median(heard), seconds: Math.round((Date.now() - t0) / 100) / 10 };
}

const results = delays.map(run);
const base = results.find((r) => r.delay === 0) ?? results[0];
console.log('delay_ms  turns  heard_ms (each)                 median   error_ms  run_s');
for (const r of results) {
  const err = r.median - base.median - (r.delay - base.delay);
  console.log(
    `${String(r.delay).padEnd(10)}${String(r.heard.length).padEnd(7)}${r.heard.join(', ').padEnd(32)}${String(r.median).padEnd(9)}${String(Math.round(err)).padEnd(10)}${r.seconds}`,
  );
}
const errors = results.filter((r) => r !== base).map((r) => r.median - base.median - (r.delay - base.delay));
console.log(`median |error| over the delays: ${Math.round(median(errors.map(Math.abs)))} ms (goal ≤ 20 ms)`);
