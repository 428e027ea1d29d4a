// End-to-end harness: runs the real components (livekit-server, the reference
// Python and Node agents) on loopback. Node built-ins only; nothing from src/.
//
// Prerequisites are installed by the scripts (never by this file):
//   bash scripts/install-livekit-server.sh     -> $CACHE/livekit-server-v1.13.5/livekit-server
//   bash scripts/setup-agent-venv.sh           -> $CACHE/venv-<sha256(requirements)[:12]>/bin/python
//   npm ci --prefix fixtures/agents/node       -> fixtures/agents/node/node_modules
// where CACHE = $LKDIAG_CACHE or ~/.cache/lkdiag.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import net from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LIVEKIT_SERVER_VERSION = '1.13.5';
export const DEV_API_KEY = 'devkey';
export const DEV_API_SECRET = 'secret';
export const PYTHON_AGENT_MODES = ['healthy', 'late-connect', 'preconnect-disabled', 'vad-interrupt'] as const;
export type PythonAgentMode = (typeof PYTHON_AGENT_MODES)[number];

/** Log line (JSON "message" in Python, pino "msg" in Node) that means the server accepted the worker. */
export const REGISTERED_RE = /"(?:message|msg)"\s*:\s*"registered worker"/;

// ---------------------------------------------------------------------------
// paths

function findRepoRoot(): string {
  if (process.env.LKDIAG_REPO_ROOT) return resolve(process.env.LKDIAG_REPO_ROOT);
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = start;
    for (;;) {
      if (existsSync(join(dir, 'fixtures', 'agents', 'python', 'agent.py'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('cannot locate the lkdiag repo root (set LKDIAG_REPO_ROOT)');
}

export const REPO_ROOT = findRepoRoot();
export const CACHE_DIR = process.env.LKDIAG_CACHE || join(homedir(), '.cache', 'lkdiag');
export const PYTHON_AGENT = join(REPO_ROOT, 'fixtures', 'agents', 'python', 'agent.py');
export const PYTHON_REQUIREMENTS = join(REPO_ROOT, 'fixtures', 'agents', 'python', 'requirements.txt');
export const NODE_AGENT_DIR = join(REPO_ROOT, 'fixtures', 'agents', 'node');
export const NODE_AGENT = join(NODE_AGENT_DIR, 'agent.mjs');

export function livekitServerPath(): string {
  return join(CACHE_DIR, `livekit-server-v${LIVEKIT_SERVER_VERSION}`, 'livekit-server');
}

/** Same key as scripts/setup-agent-venv.sh: first 12 hex chars of sha256(requirements.txt). */
export function venvDir(): string {
  const hash = createHash('sha256').update(readFileSync(PYTHON_REQUIREMENTS)).digest('hex').slice(0, 12);
  return join(CACHE_DIR, `venv-${hash}`);
}

export interface Prereqs {
  livekitServer?: string;
  python?: string;
  nodeAgentReady: boolean;
  /** One entry per missing component, each naming the command that installs it. */
  missing: string[];
}

/** Locates the cached binary / venv / node_modules without installing anything. */
export function findPrereqs(): Prereqs {
  const result: Prereqs = { nodeAgentReady: false, missing: [] };
  const bin = livekitServerPath();
  if (existsSync(bin)) result.livekitServer = bin;
  else result.missing.push(`livekit-server v${LIVEKIT_SERVER_VERSION}: run \`bash scripts/install-livekit-server.sh\``);

  const venv = venvDir();
  const py = join(venv, 'bin', 'python');
  if (existsSync(py) && existsSync(join(venv, '.lkdiag-installed'))) result.python = py;
  else result.missing.push('Python agent venv: run `bash scripts/setup-agent-venv.sh`');

  const nm = join(NODE_AGENT_DIR, 'node_modules', '@livekit');
  result.nodeAgentReady = existsSync(join(nm, 'agents', 'package.json')) && existsSync(join(nm, 'agents-plugin-openai', 'package.json'));
  if (!result.nodeAgentReady) result.missing.push('Node agent deps: run `npm ci --prefix fixtures/agents/node`');
  return result;
}

// ---------------------------------------------------------------------------
// process bookkeeping

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // detached => own process group (agents fork job processes)
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) killGroup(c, 'SIGKILL');
    });
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (exited(child)) {
    killGroup(child, 'SIGKILL'); // leftover grandchildren, if any
    return;
  }
  const done = new Promise<void>((res) => child.once('exit', () => res()));
  killGroup(child, 'SIGTERM');
  const timedOut = await Promise.race([done.then(() => false), sleep(graceMs).then(() => true)]);
  // Always sweep the group: Python job processes may outlive the main worker.
  killGroup(child, 'SIGKILL');
  if (timedOut) await Promise.race([done, sleep(2000)]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}

interface LoggedChild {
  child: ChildProcess;
  logs(): string;
  closeLog(): Promise<void>;
}

function spawnLogged(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): LoggedChild {
  const out: WriteStream = createWriteStream(opts.logFile, { flags: 'a' });
  let buf = '';
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  track(child);
  const onData = (d: Buffer): void => {
    const s = d.toString('utf8');
    buf += s;
    out.write(s);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('error', (err) => {
    const s = `\n[harness] spawn error: ${String(err)}\n`;
    buf += s;
    out.write(s);
  });
  return {
    child,
    logs: () => buf,
    closeLog: () => new Promise<void>((res) => out.end(() => res())),
  };
}

/** Polls `cond` every 50 ms until true; throws after `timeoutMs` or when the child exits first. */
async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (exited(child)) {
      throw new Error(`${what}: process exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready; see ${logFile}`);
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms; see ${logFile}`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------
// ports

// Ports are picked below the kernel's ephemeral range (ip_local_port_range, 32768+ on Linux): there,
// a port found free stays free until the server binds it, because outgoing connections (the agents',
// the CLI's, the HTTP polls) never take one. A port from the ephemeral range could be handed to an
// outgoing socket in between; livekit-server then exits 0 on "address already in use" (its main
// prints the error and returns), which the fresh-machine CI run hit once. startLivekitServer also
// retries that case with new ports.
const PICK_LOW = 10000;
const PICK_HIGH = ephemeralLow();
const picked = new Set<number>();

function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > PICK_LOW + 2000 ? low : 32768;
  } catch {
    return 32768;
  }
}

function tcpFree(port: number, host: string): Promise<boolean> {
  return new Promise((res) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => res(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => res(true)));
  });
}

/** A TCP port free on 127.0.0.1 and on the wildcard address, not handed out before by this process. */
export async function freeTcpPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PICK_LOW + Math.floor(Math.random() * (PICK_HIGH - PICK_LOW));
    if (picked.has(port)) continue;
    if ((await tcpFree(port, '127.0.0.1')) && (await tcpFree(port, '0.0.0.0'))) {
      picked.add(port);
      return port;
    }
  }
  throw new Error(`no free TCP port found in [${PICK_LOW}, ${PICK_HIGH})`);
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      s.close();
      res(false);
    });
    s.bind(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

/** A run of `count` consecutive free UDP ports below the ephemeral range. */
export async function freeUdpRange(count: number): Promise<[number, number]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = PICK_LOW + Math.floor(Math.random() * (PICK_HIGH - PICK_LOW - count));
    let ok = true;
    for (let p = start; p < start + count && ok; p++) ok = await udpFree(p);
    if (ok) return [start, start + count - 1];
  }
  throw new Error(`no free UDP range of ${count} ports found`);
}

export function makeTempDir(prefix = 'lkdiag-e2e-'): string {
  const base = process.env.LKDIAG_E2E_TMP || tmpdir();
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, prefix));
}

// ---------------------------------------------------------------------------
// livekit-server

export interface LivekitServerOptions {
  binary?: string;
  /** Directory for config + log; a fresh temp dir (kept after stop, for post-mortems) by default. */
  dir?: string;
  /** Number of ports in the ICE/UDP range (default 20). */
  udpPorts?: number;
  /** Also listen for ICE/TCP (default true; note it binds the wildcard address, not only 127.0.0.1). */
  iceTcp?: boolean;
  readyTimeoutMs?: number;
  /** Extra top-level YAML appended to the generated config. */
  extraConfigYaml?: string;
  /** The signalling port for the first attempt (a port taken by then is retried on a fresh one). */
  port?: number;
}

export interface LivekitServer {
  url: string; // ws://127.0.0.1:PORT
  httpUrl: string; // http://127.0.0.1:PORT
  port: number;
  apiKey: string;
  apiSecret: string;
  logFile: string;
  configFile: string;
  dir: string;
  logs(): string;
  stop(): Promise<void>;
  /** The server process (fault tests kill it mid-session). */
  pid: number | undefined;
  /** How many starts it took (more than 1 when a picked port was taken before the bind). */
  attempts: number;
}

const PORT_TAKEN_RE = /address already in use/;
const LIVEKIT_START_ATTEMPTS = 3;

export async function startLivekitServer(opts: LivekitServerOptions = {}): Promise<LivekitServer> {
  const binary = opts.binary ?? findPrereqs().livekitServer;
  if (!binary) throw new Error('livekit-server not installed: run `bash scripts/install-livekit-server.sh`');
  const dir = opts.dir ?? makeTempDir('lkdiag-lks-');
  mkdirSync(dir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const port = attempt === 1 && opts.port ? opts.port : await freeTcpPort();
    const started = await startLivekitServerOnce(binary, dir, port, opts, attempt);
    if (started.ok) return started.server;
    // Only a port taken between the pick and the bind is retried; anything else is a real failure.
    if (!started.portTaken || attempt >= LIVEKIT_START_ATTEMPTS) throw started.error;
  }
}

type StartAttempt = { ok: true; server: LivekitServer } | { ok: false; error: Error; portTaken: boolean };

async function startLivekitServerOnce(binary: string, dir: string, port: number, opts: LivekitServerOptions, attempt: number): Promise<StartAttempt> {
  const tcpPort = opts.iceTcp === false ? 0 : await freeTcpPort();
  const [udpStart, udpEnd] = await freeUdpRange(opts.udpPorts ?? 20);
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
    opts.extraConfigYaml ?? '',
    '',
  ].join('\n');
  const configFile = join(dir, 'livekit.yaml');
  writeFileSync(configFile, config);
  // Earlier attempts keep their own log, for the post-mortem.
  const logFile = join(dir, attempt === 1 ? 'livekit-server.log' : `livekit-server.attempt${attempt}.log`);
  const args = ['--dev', '--bind', '127.0.0.1', '--node-ip', '127.0.0.1', '--config', configFile];
  const env = { ...process.env };
  // dev mode uses devkey/secret only when no keys are configured
  delete env.LIVEKIT_KEYS;
  delete env.LIVEKIT_CONFIG;
  const proc = spawnLogged(binary, args, { cwd: dir, env, logFile });
  const httpUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(proc.child, 5000);
    await proc.closeLog();
  };
  try {
    await waitFor('livekit-server', () => httpOk(httpUrl), opts.readyTimeoutMs ?? 15000, proc.child, logFile);
  } catch (err) {
    const portTaken = exited(proc.child) && PORT_TAKEN_RE.test(proc.logs());
    await stop();
    return { ok: false, error: err as Error, portTaken };
  }
  const server: LivekitServer = {
    url: `ws://127.0.0.1:${port}`,
    httpUrl,
    port,
    apiKey: DEV_API_KEY,
    apiSecret: DEV_API_SECRET,
    logFile,
    configFile,
    dir,
    logs: proc.logs,
    stop,
    pid: proc.child.pid,
    attempts: attempt,
  };
  return { ok: true, server };
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// agents

export interface AgentOptions {
  url: string;
  apiKey: string;
  apiSecret: string;
  openaiBaseUrl: string;
  agentName?: string;
  env?: Record<string, string>;
  /** Directory for the log file; a fresh temp dir by default. */
  dir?: string;
  registerTimeoutMs?: number;
  /** SIGTERM -> SIGKILL grace on stop() (default 5000 ms). */
  stopGraceMs?: number;
}

export interface PythonAgentOptions extends AgentOptions {
  mode?: PythonAgentMode | string;
  python?: string;
}

export interface RunningAgent {
  agentName: string;
  logFile: string;
  pid: number | undefined;
  logs(): string;
  /** Resolves when `re` appears in the logs (bounded), e.g. /"message": "pre-connect audio received"/. */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

function agentEnv(opts: AgentOptions, agentName: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['LIVEKIT_AGENT_NAME', 'LIVEKIT_AGENT_NAME_OVERRIDE', 'LIVEKIT_WORKER_TOKEN', 'LOG_LEVEL', 'LIVEKIT_LOG_LEVEL']) {
    delete env[k];
  }
  return {
    ...env,
    LIVEKIT_URL: opts.url,
    LIVEKIT_API_KEY: opts.apiKey,
    LIVEKIT_API_SECRET: opts.apiSecret,
    OPENAI_BASE_URL: opts.openaiBaseUrl,
    OPENAI_API_KEY: env.OPENAI_API_KEY_E2E ?? 'sk-test',
    LK_OPENAI_DEBUG: '1',
    LKDIAG_AGENT_NAME: agentName,
    ...extra,
    ...(opts.env ?? {}),
  };
}

async function startAgent(
  label: string,
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  agentName: string,
  opts: AgentOptions,
  defaultRegisterMs: number,
): Promise<RunningAgent> {
  const dir = opts.dir ?? makeTempDir(`lkdiag-${label}-`);
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, `${label}-agent.log`);
  const proc = spawnLogged(cmd, args, { cwd, env, logFile });
  const stop = async (): Promise<void> => {
    await stopChild(proc.child, opts.stopGraceMs ?? 5000);
    await proc.closeLog();
  };
  const waitForLog = (re: RegExp, timeoutMs = 15000): Promise<void> =>
    waitFor(`${label} agent log ${re}`, () => re.test(proc.logs()), timeoutMs, proc.child, logFile);
  try {
    await waitFor(`${label} agent registration`, () => REGISTERED_RE.test(proc.logs()), opts.registerTimeoutMs ?? defaultRegisterMs, proc.child, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return { agentName, logFile, pid: proc.child.pid, logs: proc.logs, waitForLog, stop };
}

/**
 * Runs fixtures/agents/python/agent.py as a production worker:
 *   python agent.py start --log-level DEBUG   (JSON log lines on stdout)
 * and resolves once it logged "registered worker".
 */
export async function startPythonAgent(opts: PythonAgentOptions): Promise<RunningAgent> {
  const python = opts.python ?? findPrereqs().python;
  if (!python) throw new Error('Python agent venv missing: run `bash scripts/setup-agent-venv.sh`');
  const agentName = opts.agentName ?? 'lkdiag-py';
  const env = agentEnv(opts, agentName, { LKDIAG_AGENT_MODE: opts.mode ?? 'healthy', PYTHONUNBUFFERED: '1' });
  return startAgent('python', python, [PYTHON_AGENT, 'start', '--log-level', 'DEBUG'], dirname(PYTHON_AGENT), env, agentName, opts, 45000);
}

/**
 * Runs fixtures/agents/node/agent.mjs as a production worker:
 *   node agent.mjs start --log-level debug   (pino JSON lines on stdout)
 * and resolves once it logged "registered worker".
 */
export async function startNodeAgent(opts: AgentOptions): Promise<RunningAgent> {
  if (!findPrereqs().nodeAgentReady) throw new Error('Node agent deps missing: run `npm ci --prefix fixtures/agents/node`');
  const agentName = opts.agentName ?? 'lkdiag-node';
  // agents-js treats port 0 as unset (=> 8081), so give each worker a real free port.
  const httpPort = await freeTcpPort();
  const env = agentEnv(opts, agentName, { LKDIAG_AGENT_HTTP_PORT: String(httpPort), NODE_ENV: 'production' });
  return startAgent('node', process.execPath, [NODE_AGENT, 'start', '--log-level', 'debug'], NODE_AGENT_DIR, env, agentName, opts, 30000);
}
