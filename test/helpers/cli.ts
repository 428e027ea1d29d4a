import { spawn } from 'node:child_process';
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

/**
 * Runs the built CLI (dist/) as a user would, with a clean environment unless `env` adds to it.
 * Bounded: the child is killed after `timeoutMs`. `interruptAfterMs` presses Ctrl-C (SIGINT) once.
 */
export function lkdiag(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number; input?: string; interruptAfterMs?: number } = {}): Promise<CliResult> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1' };
  if (process.env['CI']) env['CI'] = process.env['CI'];
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    const interrupt = opts.interruptAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), opts.interruptAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(interrupt);
      resolve({
        code,
        stdout,
        stderr,
        ms: Date.now() - started,
        json<T>() {
          return JSON.parse(stdout) as T;
        },
      });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
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
