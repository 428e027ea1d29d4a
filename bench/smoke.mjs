#!/usr/bin/env node
/**
 * bench: `lkdiag smoke` under load on this machine (not a test).
 *
 *   node bench/smoke.mjs [--sessions 10] [--agents 2]
 *
 * Against the real stack (bench/smoke-stack.child.mjs: livekit-server, the simulator, Python agents):
 *   1. baseline: `lkdiag smoke --json` (one session), 3 times one after the other;
 *   2. load: `lkdiag smoke --json --repeat N --concurrency N` (N sessions at once, default 10).
 * While each runs, /proc is sampled every 250 ms: CPU (utime+stime) and RSS of the lkdiag process,
 * of the agent workers with their job processes, and of livekit-server, each separately.
 * Timing accuracy under load: the agent-joined and first-agent-audio timings lkdiag measured under
 * load against the single-session baseline (p50/p95), and the load run's gate failures.
 * Writes the numbers under "smoke" in bench/results.json (read-modify-write) and prints them.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ROOT, startStack } from './smoke-stack.child.mjs';
import { record } from './lib.mjs';

const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : def;
};
const SESSIONS = arg('--sessions', 10);
const AGENTS = arg('--agents', 2);
const TICK = 100; // CLK_TCK on Linux

function procTable() {
  const out = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${d}/status`, 'utf8'));
      out.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICK, rssKb: rss ? Number(rss[1]) : 0 });
    } catch {
      /* exited */
    }
  }
  return out;
}
function tree(table, roots) {
  const pids = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of table) if (!pids.has(pid) && pids.has(p.ppid)) pids.add(pid), (grew = true);
  }
  return [...pids].filter((p) => table.has(p));
}

/** Samples CPU seconds (cumulative, per pid so exited job processes keep their last value) and summed RSS per group. */
function sampler(groups) {
  const cpuByPid = Object.fromEntries(Object.keys(groups).map((g) => [g, new Map()]));
  const peak = Object.fromEntries(Object.keys(groups).map((g) => [g, 0]));
  const rssSum = Object.fromEntries(Object.keys(groups).map((g) => [g, 0]));
  let samples = 0;
  const sample = () => {
    const t = procTable();
    samples += 1;
    for (const [g, roots] of Object.entries(groups)) {
      const pids = tree(t, roots());
      let rss = 0;
      for (const pid of pids) {
        cpuByPid[g].set(pid, t.get(pid).cpu);
        rss += t.get(pid).rssKb;
      }
      peak[g] = Math.max(peak[g], rss);
      rssSum[g] += rss;
    }
  };
  const start = Object.fromEntries(Object.keys(groups).map((g) => [g, 0]));
  sample();
  for (const g of Object.keys(groups)) start[g] = [...cpuByPid[g].values()].reduce((a, b) => a + b, 0);
  const timer = setInterval(sample, 250);
  return () => {
    clearInterval(timer);
    sample();
    return Object.fromEntries(
      Object.keys(groups).map((g) => [
        g,
        {
          cpuSeconds: +([...cpuByPid[g].values()].reduce((a, b) => a + b, 0) - start[g]).toFixed(2),
          peakRssMb: +(peak[g] / 1024).toFixed(1),
          meanRssMb: +(rssSum[g] / samples / 1024).toFixed(1),
        },
      ]),
    );
  };
}

async function smoke(stack, extra) {
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/lkdiag.js'), 'smoke', '--json', '--agent-name', stack.agentName, '--url', stack.url, ...extra], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LIVEKIT_API_KEY: stack.apiKey, LIVEKIT_API_SECRET: stack.apiSecret, NO_COLOR: '1', CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = sampler({ lkdiag: () => [child.pid], agents: () => stack.agentPids, server: () => [stack.serverPid] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => child.on('close', r));
  const usage = stop();
  const wallMs = Date.now() - started;
  let report;
  try {
    report = JSON.parse(out);
  } catch {
    throw new Error(`smoke printed no report (exit ${code}): ${err.slice(-2000)}`);
  }
  return { code, wallMs, usage, report };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : null;
};
const timingsOf = (runs, name) => runs.map((r) => r.timings[name]).filter((v) => typeof v === 'number');

const transcripts = ['preconnect-part1', 'preconnect-part2'].map((n) => ({ text: readFileSync(join(ROOT, `fixtures/audio/${n}.txt`), 'utf8').trim(), wav: n }));
const { loadPcm16 } = await import(join(ROOT, 'dist/audio/wav.js'));
const stack = await startStack({
  agents: AGENTS,
  transcripts: transcripts.map((t) => ({ text: t.text, pcm24k: loadPcm16(join(ROOT, `fixtures/audio/${t.wav}.wav`), { sampleRate: 24000 }).pcm.samples })),
});
const result = { machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '?' }, sessions: SESSIONS, agentWorkers: AGENTS };
try {
  process.stderr.write('baseline: 3 single sessions, one after the other\n');
  const single = [];
  for (let i = 0; i < 3; i++) single.push(await smoke(stack, []));
  process.stderr.write(`load: ${SESSIONS} sessions at once\n`);
  const load = await smoke(stack, ['--repeat', String(SESSIONS), '--concurrency', String(SESSIONS)]);

  const singleRuns = single.flatMap((s) => s.report.runs);
  const loadRuns = load.report.runs;
  const cmp = (name) => ({
    single: { n: timingsOf(singleRuns, name).length, p50: pct(timingsOf(singleRuns, name), 50), p95: pct(timingsOf(singleRuns, name), 95) },
    load: { n: timingsOf(loadRuns, name).length, p50: pct(timingsOf(loadRuns, name), 50), p95: pct(timingsOf(loadRuns, name), 95) },
  });
  const avg = (xs) => +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
  result.single = {
    exitCodes: single.map((s) => s.code),
    wallMs: single.map((s) => s.wallMs),
    lkdiag: { cpuSeconds: avg(single.map((s) => s.usage.lkdiag.cpuSeconds)), peakRssMb: avg(single.map((s) => s.usage.lkdiag.peakRssMb)) },
    agents: { cpuSeconds: avg(single.map((s) => s.usage.agents.cpuSeconds)), peakRssMb: avg(single.map((s) => s.usage.agents.peakRssMb)) },
    server: { cpuSeconds: avg(single.map((s) => s.usage.server.cpuSeconds)), peakRssMb: avg(single.map((s) => s.usage.server.peakRssMb)) },
  };
  const per = (u) => ({ ...u, cpuSecondsPerSession: +(u.cpuSeconds / SESSIONS).toFixed(2), cpuCoresAvg: +(u.cpuSeconds / (load.wallMs / 1000)).toFixed(2) });
  result.load = {
    exitCode: load.code,
    wallMs: load.wallMs,
    lkdiag: { ...per(load.usage.lkdiag), rssMbPerExtraSession: +((load.usage.lkdiag.peakRssMb - result.single.lkdiag.peakRssMb) / (SESSIONS - 1)).toFixed(1) },
    agents: per(load.usage.agents),
    server: per(load.usage.server),
    flake: load.report.flake,
    gateFailures: load.report.gateFailures,
  };
  result.accuracy = { agentJoinedMs: cmp('agentJoinedMs'), agentActiveMs: cmp('agentActiveMs'), firstAgentAudioMs: cmp('firstAgentAudioMs') };
  result.measuredAt = new Date().toISOString();
} finally {
  await stack.stop();
}
record('smoke', result);
process.exit(0);
