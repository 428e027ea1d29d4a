/**
 * The agent under test as a child process: started in console mode against the broker's address, its
 * stdout and stderr read line by line through the same log parser as `trace log` (so the same rules
 * fire on its log), its last lines kept for a crash's finding, and always killed on the way out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { usageError } from '../errors.js';
import { redact } from '../redact.js';
import { parseLogStream } from '../sources/logs/index.js';
import type { Recorder } from '../sources/recorder.js';
import { now } from '../sources/clock.js';
import { followFile } from '../sources/log-follow.js';

export const LAST_LINES = 20;

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour sequences are what this removes
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
/** A console log line without its colours and carriage returns (livekit-agents console mode colours its log). */
export const plain = (line: string): string => line.replace(ANSI, '').replace(/\r/g, '');

export interface AgentCommand {
  file: string;
  args: string[];
  /** As shown (redacted). */
  display: string;
}

/** The interpreter for --python: a python executable, or a venv directory (its bin/python). */
export function pythonFor(python: string | undefined): string {
  if (!python) return process.platform === 'win32' ? 'python' : 'python3';
  if (existsSync(python) && statSync(python).isDirectory()) {
    const bin = join(python, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
    if (!existsSync(bin))
      throw usageError(`--python ${python}: a directory without ${bin}`, 'Give the python executable or a virtualenv directory (one with bin/python).');
    return bin;
  }
  return python;
}

/** Splits a --agent-cmd template ("… {addr} …") into argv, honouring simple quotes. */
export function splitCommand(template: string, addr: string): string[] {
  const words = template.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return words.map((w) => w.replace(/^(["'])(.*)\1$/, '$2').replaceAll('{addr}', addr));
}

/** How to start ENTRY in console mode (livekit-agents ≥ 1.6 `python -m livekit.agents console`, agents-js `node ENTRY console`). */
export function agentCommand(o: { entry?: string; agentCmd?: string; python?: string; record?: boolean }, addr: string): AgentCommand {
  const rec = o.record ? ['--record'] : [];
  let argv: string[];
  if (o.agentCmd) {
    if (!o.agentCmd.includes('{addr}'))
      throw usageError(
        '--agent-cmd has no {addr}',
        'Put {addr} where the broker address goes, e.g. --agent-cmd "python agent.py console --connect-addr {addr}".',
      );
    argv = splitCommand(o.agentCmd, addr);
  } else if (o.entry) {
    if (!existsSync(o.entry)) throw usageError(`--agent ${o.entry}: file not found`, 'Give the agent entry file (.py, .js, .mjs or .ts).');
    const ext = extname(o.entry);
    if (ext === '.py') argv = [pythonFor(o.python), '-m', 'livekit.agents', 'console', o.entry, '--connect-addr', addr, ...rec];
    else if (['.js', '.mjs', '.cjs', '.ts', '.mts'].includes(ext)) argv = [process.execPath, o.entry, 'console', '--connect-addr', addr, ...rec];
    else throw usageError(`--agent ${o.entry}: not a .py, .js, .mjs or .ts file`, 'Give the entry file, or start anything else with --agent-cmd "… {addr} …".');
  } else
    throw usageError(
      'drive needs --agent, --agent-cmd or --listen',
      'Name the agent entry (--agent agent.py), a command (--agent-cmd "… {addr} …"), or start it yourself (--listen PORT).',
    );
  const [file, ...args] = argv as [string, ...string[]];
  return { file, args, display: redact(argv.join(' ')) };
}

export interface RunningAgent {
  child: ChildProcess;
  /** Resolves when the process has exited and its output was read. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  lastLines(): string[];
  /** True once lkdiag asked it to stop. */
  readonly stopping: boolean;
  kill(): Promise<void>;
}

/** Starts the agent; its log lines become events on `rec` (source `log`), its exit a drive.agent.exited. */
export function startAgent(cmd: AgentCommand, env: NodeJS.ProcessEnv, rec: Recorder, echo?: (line: string) => void): RunningAgent {
  const child = spawn(cmd.file, cmd.args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  rec.record('drive.agent.spawned', { command: cmd.display, ...(child.pid ? { pid: child.pid } : {}) }, 'console');
  const ring: string[] = [];
  let stopping = false;
  const follow = (stream: Readable | null) => {
    if (!stream) return Promise.resolve();
    const tee = new PassThrough();
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) tee.write(`${keep(l)}\n`);
    });
    stream.on('end', () => {
      if (partial) tee.write(`${keep(partial)}\n`);
      tee.end();
    });
    stream.on('error', () => tee.end());
    return (async () => {
      // The console's log carries a time of day only (HH:MM:SS): the lines arrive live, so their time is when they arrive.
      for await (const batch of parseLogStream(tee, { live: true }).batches()) for (const e of batch) rec.emit({ ...e, t: now() });
    })().catch(() => undefined);
  };
  /** Keeps a line (without colours: the console log is coloured) for the crash finding; returns it for the parser. */
  const keep = (line: string): string => {
    const l = plain(line);
    if (!l.trim()) return l;
    const shown = redact(l);
    echo?.(shown);
    ring.push(shown);
    if (ring.length > LAST_LINES) ring.shift();
    return l;
  };
  const reading = Promise.all([follow(child.stdout), follow(child.stderr)]);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('error', (err) => {
      keep(`could not start ${cmd.file}: ${err.message}`);
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).then(async (r) => {
    await Promise.race([reading, new Promise((res) => setTimeout(res, 2000).unref())]);
    rec.record('drive.agent.exited', { ...r, expected: stopping, lastLines: [...ring] }, 'console');
    return r;
  });
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      if (child.pid && process.platform !== 'win32') process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // already gone
    }
  };
  return {
    child,
    exited,
    lastLines: () => [...ring],
    get stopping() {
      return stopping;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return void (await exited);
      stopping = true;
      signalGroup('SIGTERM');
      const done = await Promise.race([exited.then(() => true), new Promise<boolean>((res) => setTimeout(() => res(false), 5000).unref())]);
      if (!done) signalGroup('SIGKILL');
      await Promise.race([exited, new Promise((res) => setTimeout(res, 2000).unref())]);
    },
  };
}

/**
 * --agent-log FILE: the log of an agent lkdiag did not start (--listen), followed as it grows through the
 * same parser; its lines are timed when they are read (start the agent with a fresh log file).
 */
export function followAgentLog(path: string, rec: Recorder): { stop(): Promise<void> } {
  const ac = new AbortController();
  const tee = new PassThrough();
  let partial = '';
  const pump = (async () => {
    for await (const chunk of followFile(path, { signal: ac.signal })) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) tee.write(`${plain(l)}\n`);
    }
    if (partial) tee.write(`${plain(partial)}\n`);
  })()
    .catch(() => undefined)
    .finally(() => tee.end());
  const parsing = (async () => {
    for await (const batch of parseLogStream(tee, { live: true }).batches()) for (const e of batch) rec.emit({ ...e, t: now() });
  })().catch(() => undefined);
  return {
    async stop() {
      ac.abort();
      await Promise.race([Promise.all([pump, parsing]), new Promise((res) => setTimeout(res, 3000).unref())]);
    },
  };
}
