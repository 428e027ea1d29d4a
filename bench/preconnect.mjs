#!/usr/bin/env node
/**
 * bench: send-preconnect against a real livekit-server and the reference Python agent (not a test).
 * 1. Time from the agent becoming ACTIVE (as the client sees it) to the byte stream being opened,
 *    over N runs (goal: median under 50 ms).
 * 2. Buffer throughput: a 6 s snapshot written in one go (opened → closed).
 * 3. CPU and memory of one synthetic user streaming live audio (sampled from /proc every 100 ms).
 * Needs the e2e prerequisites (bash scripts/install-livekit-server.sh, scripts/setup-agent-venv.sh).
 * Results go to bench/results.json under "preconnect".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { BIN, ROOT, median, percentile, record, round } from './lib.mjs';

// The e2e harness is TypeScript with node built-ins only: transpile it rather than copy it.
const dir = mkdtempSync(join(tmpdir(), 'lkdiag-bench-'));
const src = readFileSync(join(ROOT, 'test/e2e/harness.ts'), 'utf8');
const out = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
writeFileSync(join(dir, 'harness.mjs'), out);
process.env.LKDIAG_REPO_ROOT = ROOT;
const h = await import(pathToFileURL(join(dir, 'harness.mjs')).href);
const { startSimulator } = await import(pathToFileURL(join(ROOT, 'dist/simulator/index.js')).href);

const CLK = 100; // clock ticks per second on Linux
function sample(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    return { cpuS: (Number(stat[11]) + Number(stat[12])) / CLK, rssMiB: rss };
  } catch {
    return undefined;
  }
}

function runCli(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const samples = [];
    const t0 = performance.now();
    const timer = setInterval(() => {
      const s = sample(child.pid);
      if (s) samples.push({ t: performance.now() - t0, ...s });
    }, 100);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, report: stdout.startsWith('{') ? JSON.parse(stdout) : undefined, samples, wallMs: performance.now() - t0 });
    });
  });
}

const server = await h.startLivekitServer();
const sim = await startSimulator();
const agent = await h.startPythonAgent({
  url: server.url,
  apiKey: server.apiKey,
  apiSecret: server.apiSecret,
  openaiBaseUrl: sim.baseUrl,
  mode: 'healthy',
  agentName: 'bench-py',
});
const base = (room) => [
  'send-preconnect',
  '--json',
  '--room',
  room,
  '--agent-name',
  'bench-py',
  '--url',
  server.url,
  '--api-key',
  server.apiKey,
  '--api-secret',
  server.apiSecret,
  '--timeout',
  '15',
];
try {
  const N = Number(process.env.BENCH_N ?? 10);
  const gaps = [];
  let cpu;
  for (let i = 0; i < N; i++) {
    const r = await runCli([...base(`bench-${i}`), '--audio', join(ROOT, 'fixtures/audio/two-part.wav'), '--join-delay', '500']);
    const steps = Object.fromEntries((r.report?.steps ?? []).map((s) => [s.name, s.ms]));
    if (steps['agent-active'] !== undefined && steps['buffer-opened'] !== undefined) gaps.push(steps['buffer-opened'] - steps['agent-active']);
    if (i === 0) cpu = r;
  }
  // One synthetic user streaming live audio: CPU and memory over its whole run.
  const s = cpu.samples;
  const last = s.at(-1);
  const oneUser = {
    wallMs: round(cpu.wallMs),
    cpuSeconds: round(last?.cpuS ?? 0, 2),
    avgCpuPercent: round(((last?.cpuS ?? 0) / (cpu.wallMs / 1000)) * 100),
    peakRssMiB: round(Math.max(...s.map((x) => x.rssMiB))),
  };

  const snap = await runCli([...base('bench-snapshot'), '--audio', join(ROOT, 'fixtures/audio/two-part.wav'), '--join-delay', '6000', '--mode', 'snapshot']);
  const ev = snap.report.events;
  const opened = ev.find((e) => e.kind === 'client.preconnect.opened');
  const closed = ev.find((e) => e.kind === 'client.preconnect.closed');
  const bytes = closed.data.bytes;
  const ms = closed.t - opened.t;
  const throughput = {
    bytes,
    audioMs: closed.data.audioMs,
    writeMs: round(ms),
    mbPerSecond: round(bytes / 1e6 / (ms / 1000), 2),
    realtimeFactor: round(closed.data.audioMs / ms, 1),
  };

  record('preconnect', {
    activeToOpenMs: {
      runs: gaps.length,
      median: round(median(gaps)),
      p95: round(percentile(gaps, 95)),
      max: round(Math.max(...gaps)),
      goal: 'median < 50 ms',
      note: 'ACTIVE is detected by polling ParticipantInfo.state every 20 ms (rtc-node emits no event)',
    },
    throughput,
    oneSyntheticUser: oneUser,
  });
} finally {
  await agent.stop();
  await sim.close();
  await server.stop();
}
