// Launcher for the version matrix (scripts/version-matrix.mjs): a real livekit-server, the lkdiag
// Realtime simulator (in-process, from dist/), agent processes of any language, and one synthetic-user
// session driven by `lkdiag send-preconnect`. Not part of CI. Plain ESM, no dependencies beyond dist/.
//
// Stable API (used by the Python half and the Node half of the matrix):
//   ROOT, matrixCache(), log(msg)
//   freeTcpPort(), freeUdpRange(n)
//   startLivekitServer({ dir }) -> { url, apiKey, apiSecret, logFile, stop() }
//   startSim({ audioPace }) -> the dist Simulator ({ baseUrl, urlFor(list), pythonUrlFor(list), close() })
//   startAgent({ label, cmd, args, cwd, env, logFile, readyRe, readyTimeoutMs }) -> { logs(), waitForLog(re, ms), stop(), exited() }
//   sendPreconnect({ livekit, agentName, room, audio, args, timeoutMs }) -> { code, stdout, stderr, ms }
//   trimToSession(text, { startRe, keepRe }) -> string
//   traceLog(file) -> { findings: ['severity:code' sorted], exitCode, format, recognised }
//   writeCapture(dir, name, text, extra) -> { logFile, expected }
//   stopAll()
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LIVEKIT_SERVER_VERSION = '1.13.5';

export function matrixCache() {
  return join(process.env.LKDIAG_CACHE || join(homedir(), '.cache', 'lkdiag'), 'matrix');
}

export function log(msg) {
  process.stderr.write(`[matrix ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// processes: each in its own group (agents fork job processes), all killed on exit

const live = new Set();
let hooked = false;

function killGroup(child, signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* gone */
    }
  }
}

function isExited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const c of live) killGroup(c, 'SIGKILL');
    });
    for (const sig of ['SIGINT', 'SIGTERM']) {
      process.once(sig, () => {
        for (const c of live) killGroup(c, 'SIGKILL');
        process.exit(130);
      });
    }
  }
}

async function stopChild(child, graceMs = 5000) {
  if (!isExited(child)) {
    const done = new Promise((r) => child.once('exit', () => r()));
    // the worker only: it drains and ends its own job processes (a SIGTERM to the whole group makes
    // each job process exit 255, which the agent logs as a job failure)
    try {
      child.kill('SIGTERM');
    } catch {
      /* gone */
    }
    await Promise.race([done, sleep(graceMs)]);
  }
  killGroup(child, 'SIGKILL'); // job processes may outlive the worker
}

export async function stopAll() {
  await Promise.all([...live].map((c) => stopChild(c, 2000)));
}

function spawnLogged(cmd, args, { cwd, env, logFile }) {
  mkdirSync(dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile, { flags: 'a' });
  let buf = '';
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  track(child);
  const onData = (d) => {
    const s = d.toString('utf8');
    buf += s;
    out.write(s);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.once('error', (err) => onData(Buffer.from(`\n[matrix] spawn error: ${String(err)}\n`)));
  return { child, logs: () => buf, closeLog: () => new Promise((r) => out.end(() => r())) };
}

async function waitFor(what, cond, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (child && isExited(child)) throw new Error(`${what}: process exited (code ${child.exitCode}) first`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------
// ports: below the ephemeral range, in 10000-30000, never twice

const picked = new Set();

function tcpFree(port, host) {
  return new Promise((res) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => res(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => res(true)));
  });
}

export async function freeTcpPort() {
  for (let i = 0; i < 200; i++) {
    const port = 10000 + Math.floor(Math.random() * 20000);
    if (picked.has(port)) continue;
    if ((await tcpFree(port, '127.0.0.1')) && (await tcpFree(port, '0.0.0.0'))) {
      picked.add(port);
      return port;
    }
  }
  throw new Error('no free TCP port in 10000-30000');
}

function udpFree(port) {
  return new Promise((res) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      s.close();
      res(false);
    });
    s.bind(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

export async function freeUdpRange(count) {
  for (let i = 0; i < 50; i++) {
    const start = 10000 + Math.floor(Math.random() * (20000 - count));
    let ok = true;
    for (let p = start; p < start + count && ok; p++) ok = !picked.has(p) && (await udpFree(p));
    if (ok) {
      for (let p = start; p < start + count; p++) picked.add(p);
      return [start, start + count - 1];
    }
  }
  throw new Error(`no free UDP range of ${count} ports`);
}

// ---------------------------------------------------------------------------
// livekit-server (config as test/e2e/harness.ts startLivekitServer)

export async function startLivekitServer({ dir, binary } = {}) {
  const bin = binary || join(process.env.LKDIAG_CACHE || join(homedir(), '.cache', 'lkdiag'), `livekit-server-v${LIVEKIT_SERVER_VERSION}`, 'livekit-server');
  if (!existsSync(bin)) throw new Error(`livekit-server not found at ${bin}: run bash scripts/install-livekit-server.sh`);
  mkdirSync(dir, { recursive: true });
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freeTcpPort();
    const tcpPort = await freeTcpPort();
    const [udpStart, udpEnd] = await freeUdpRange(20);
    const config = [
      `port: ${port}`,
      'rtc:',
      `  tcp_port: ${tcpPort}`,
      `  port_range_start: ${udpStart}`,
      `  port_range_end: ${udpEnd}`,
      '  use_external_ip: false',
      '  enable_loopback_candidate: true',
      '  interfaces:',
      '    includes: [lo]',
      '  ips:',
      '    includes: [127.0.0.0/8]',
      '',
    ].join('\n');
    const configFile = join(dir, 'livekit.yaml');
    writeFileSync(configFile, config);
    const logFile = join(dir, `livekit-server.${attempt}.log`);
    const env = { ...process.env };
    delete env.LIVEKIT_KEYS;
    delete env.LIVEKIT_CONFIG;
    const proc = spawnLogged(bin, ['--dev', '--bind', '127.0.0.1', '--node-ip', '127.0.0.1', '--config', configFile], { cwd: dir, env, logFile });
    const httpUrl = `http://127.0.0.1:${port}`;
    const stop = async () => {
      await stopChild(proc.child, 5000);
      await proc.closeLog();
    };
    try {
      await waitFor(
        'livekit-server',
        async () => {
          try {
            const r = await fetch(httpUrl, { signal: AbortSignal.timeout(1000) });
            await r.arrayBuffer().catch(() => undefined);
            return r.ok;
          } catch {
            return false;
          }
        },
        15000,
        proc.child,
      );
      return { url: `ws://127.0.0.1:${port}`, apiKey: 'devkey', apiSecret: 'secret', logFile, stop };
    } catch (err) {
      const taken = /address already in use/.test(proc.logs());
      await stop();
      if (!taken || attempt === 3) throw err;
    }
  }
  throw new Error('unreachable');
}

// ---------------------------------------------------------------------------
// the simulator, in-process from the build (run `npx tsc -p tsconfig.json` first)

export async function startSim(opts = {}) {
  const mod = join(ROOT, 'dist', 'simulator', 'server.js');
  if (!existsSync(mod)) throw new Error(`${mod} missing: run npx tsc -p tsconfig.json`);
  const { startSimulator } = await import(mod);
  return startSimulator({ audioPace: opts.audioPace, scenarios: opts.scenarios ?? [] });
}

// ---------------------------------------------------------------------------
// agents

/** Env without the variables that would redirect an agent (agent names, log levels). */
export function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of [
    'LIVEKIT_AGENT_NAME',
    'LIVEKIT_AGENT_NAME_OVERRIDE',
    'LIVEKIT_WORKER_TOKEN',
    'LOG_LEVEL',
    'LIVEKIT_LOG_LEVEL',
    'LK_OPENAI_DEBUG',
    'OPENAI_BASE_URL',
  ]) {
    delete env[k];
  }
  return { ...env, ...extra };
}

export const REGISTERED_RE = /registered worker/;

export async function startAgent({ label = 'agent', cmd, args, cwd, env, logFile, readyRe = REGISTERED_RE, readyTimeoutMs = 60000 }) {
  const proc = spawnLogged(cmd, args, { cwd, env, logFile });
  const stop = async () => {
    await stopChild(proc.child, 8000);
    await proc.closeLog();
  };
  try {
    await waitFor(`${label} registration`, () => readyRe.test(proc.logs()), readyTimeoutMs, proc.child);
  } catch (err) {
    await stop();
    throw new Error(`${err.message}; log ${logFile}:\n${proc.logs().slice(-3000)}`);
  }
  return {
    logFile,
    logs: proc.logs,
    exited: () => isExited(proc.child),
    waitForLog: (re, ms = 15000) =>
      waitFor(`${label} log ${re}`, () => re.test(proc.logs()), ms, proc.child).then(
        () => true,
        () => false,
      ),
    stop,
  };
}

// ---------------------------------------------------------------------------
// the synthetic user

export function sendPreconnect({ livekit, agentName, room, audio = 'fixtures/audio/two-part.wav', args = [], timeoutMs = 60000 }) {
  const started = Date.now();
  return new Promise((res) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'lkdiag.js'), 'send-preconnect', '--json', '--room', room, '--agent-name', agentName, '--audio', resolve(ROOT, audio), ...args],
      {
        cwd: ROOT,
        env: cleanEnv({ LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret, NO_COLOR: '1' }),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    track(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      res({ code: code ?? (signal ? 130 : -1), stdout, stderr, ms: Date.now() - started });
    });
  });
}

// ---------------------------------------------------------------------------
// captures

/**
 * The session of a worker log: the lines matching keepRe before startRe (version lines), then
 * everything from the first startRe line on.
 */
export function trimToSession(text, { startRe = /received job request/, keepRe = /livekit[-_ ]?agents|plugin|version/i } = {}) {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => startRe.test(l));
  if (at < 0) return text;
  const head = lines.slice(0, at).filter((l) => keepRe.test(l) && !/registered worker/.test(l));
  return [...head, ...lines.slice(at)].join('\n');
}

export function traceLog(file) {
  return new Promise((res) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'lkdiag.js'), 'trace', 'log', '--json', file], {
      cwd: ROOT,
      env: cleanEnv({ NO_COLOR: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', () => {});
    child.once('exit', (code) => {
      // NDJSON: events, then the report as the last line
      let report = null;
      const last = out.trimEnd().split('\n').pop() ?? '';
      try {
        report = JSON.parse(last);
      } catch {
        /* not JSON: exit 2 with nothing read */
      }
      const findings = (report?.findings ?? []).map((f) => `${f.severity}:${f.code}`).sort();
      res({ findings, exitCode: code ?? -1, report });
    });
  });
}

export async function writeCapture(dir, name, text, extra = {}) {
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, `${name}.log`);
  writeFileSync(logFile, text.endsWith('\n') ? text : `${text}\n`);
  const t = await traceLog(logFile);
  if (t.report === null) log(`${name}: trace log printed no report (exit ${t.exitCode}); re-run with --reexpect once the build is whole`);
  const expected = { ...extra, findings: t.findings, exitCode: t.exitCode };
  writeFileSync(join(dir, `${name}.expected.json`), `${JSON.stringify(expected, null, 2)}\n`);
  return { logFile, expected };
}

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
