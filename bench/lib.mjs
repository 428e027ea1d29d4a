// Shared helpers for the benches (not tests): timing, percentiles, results.json read-modify-write.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin/lkdiag.js');

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
export const median = (v) => percentile(v, 50);
export const round = (n, d = 1) => (n === undefined ? undefined : Math.round(n * 10 ** d) / 10 ** d);

/** Wall time of a child process, ms. */
export function timeRun(cmd, args, opts = {}) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' }, ...opts });
  return { ms: performance.now() - t, status: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

export function machine() {
  return { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: round(totalmem() / 2 ** 30, 1) };
}

/** Writes `value` under `key` in bench/results.json, keeping the other benches' keys. */
export function record(key, value) {
  const path = join(ROOT, 'bench/results.json');
  const all = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  all[key] = { measuredAt: new Date().toISOString(), machine: machine(), ...value };
  writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`);
  console.log(JSON.stringify({ [key]: all[key] }, null, 2));
}
