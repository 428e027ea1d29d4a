import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = `${ROOT}bin/lkdiag.js`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  json<T = Record<string, unknown>>(): T;
}

export interface LkdiagOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
  input?: string;
  interruptAfterMs?: number;
}

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** What it has printed so far. */
  out(): string;
  err(): string;
  /** Settles when it exits (it is killed after `timeoutMs`). */
  done: Promise<{ code: number | null; stdout: string; stderr: string; ms: number; endedAt: number }>;
}

/**
 * Starts the built CLI (dist/) as a user would, with a clean environment unless `env` adds to it, its output
 * streamed (a test can wait on what it prints). Bounded: the child is killed after `timeoutMs`.
 * `interruptAfterMs` presses Ctrl-C (SIGINT) once.
 */
export function spawnLkdiag(args: string[], opts: LkdiagOptions = {}): RunningCli {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1' };
  if (process.env['CI']) env['CI'] = process.env['CI'];
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const interrupt = opts.interruptAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), opts.interruptAfterMs);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; ms: number; endedAt: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(interrupt);
      resolve({ code, stdout, stderr, ms: Date.now() - started, endedAt: Date.now() });
    });
  });
  if (opts.input !== undefined) child.stdin.end(opts.input);
  else child.stdin.end();
  return { child, done, out: () => stdout, err: () => stderr };
}

/** Runs the built CLI to its end (see {@link spawnLkdiag}). */
export async function lkdiag(args: string[], opts: LkdiagOptions = {}): Promise<CliResult> {
  const { code, stdout, stderr, ms } = await spawnLkdiag(args, opts).done;
  return {
    code,
    stdout,
    stderr,
    ms,
    json<T>() {
      return JSON.parse(stdout) as T;
    },
  };
}

export interface JsonFinding {
  code: string;
  severity: string;
  title: string;
  detail: string;
  evidence: unknown[];
  fix: string;
}
export interface JsonReport {
  schema: string;
  command: string;
  ok: boolean;
  exitCode: number;
  findings: JsonFinding[];
  steps?: Array<{ name: string; ms?: number; ok: boolean; status: string }>;
  [k: string]: unknown;
}

export const codesOf = (r: JsonReport) => r.findings.map((f) => `${f.severity}:${f.code}`).sort();
