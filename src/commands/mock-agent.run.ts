/** The body of `lkdiag mock-agent`, loaded only when the command runs. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPcm16 } from '../audio/wav.js';
import { metaFor } from '../diagnose/catalogue.js';
import { diagnose } from '../diagnose/engine.js';
import { CLIENT, CLIENT_RULES } from '../diagnose/rules/client/index.js';
import { usageError } from '../errors.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { renderMockAgentJunit, renderMockAgentText } from '../report/mock-agent-text.js';
import { makeReport, type Report } from '../report/report.js';
import { within } from '../sources/clock.js';
import { resolveLiveKit, validateRoomName } from '../sources/livekit.js';
import { type MockAgentFault, runMockAgent } from '../sources/mock-agent.js';
import { rtcLogsToStderr } from '../sources/rtc-log.js';
import { log, progress } from '../ui.js';
import { type GlobalOptions, printError, type RunContext, runCommand } from './runner.js';

export interface MockAgentOptions {
  room?: string;
  agentName?: string;
  url?: string;
  apiKey?: string;
  apiSecret?: string;
  timeout: number;
  fault?: string;
  reply?: string;
  reference?: string;
  jsonFile?: string;
  html?: string;
  junit?: string;
}

const DEFAULT_REPLY = 'fixtures/audio/speech-24k-mono.wav';
const FAULT_HINT = 'Use one of: active-late:MS, handler-late:MS, no-handler, never-active, avatar.';

/** --fault NAME[:MS] → the fault, or a usage error (exit 2). */
export function parseFault(value: string): MockAgentFault {
  const [name, arg, ...rest] = value.split(':');
  const ms = arg === undefined ? Number.NaN : Number(arg);
  if (rest.length === 0 && (name === 'active-late' || name === 'handler-late')) {
    if (Number.isInteger(ms) && ms >= 0 && ms <= 60_000) return { name, ms };
    throw usageError(`--fault ${name} needs a delay: ${name}:MS (0–60000)`, `e.g. --fault ${name}:2000`);
  }
  if (arg === undefined && (name === 'no-handler' || name === 'never-active' || name === 'avatar')) return { name };
  throw usageError(`unknown --fault ${JSON.stringify(value)}`, FAULT_HINT);
}

/** Metadata of any code, the client/* area first (the findings catalogue does not list it yet). */

export async function mockAgent(req: RunContext & { opts: MockAgentOptions }): Promise<Report> {
  rtcLogsToStderr();
  const o = req.opts;
  if (o.room === undefined && o.agentName === undefined)
    throw usageError('mock-agent needs --room or --agent-name', 'Pass --room NAME to join a room as the agent, or --agent-name NAME to take a dispatched job.');
  if (o.room !== undefined) validateRoomName(o.room);
  const fault = o.fault !== undefined ? parseFault(o.fault) : undefined;
  const target = resolveLiveKit({ url: o.url, apiKey: o.apiKey, apiSecret: o.apiSecret });
  const replyPath = o.reply ?? fileURLToPath(new URL(`../../${DEFAULT_REPLY}`, import.meta.url));
  const reply = loadPcm16(replyPath, { sampleRate: 24000, channels: 1 }).pcm;
  const reference = o.reference ? loadPcm16(o.reference, { sampleRate: 24000, channels: 1 }).pcm : undefined;
  log.info(`using ${target.notice}`);
  const spinner = await progress(o.agentName ? `registering agent worker ${o.agentName}` : `joining ${o.room} as the agent`);
  const { dispose } = await import('@livekit/rtc-node');
  let run: Awaited<ReturnType<typeof runMockAgent>>;
  let listening = false;
  try {
    run = await runMockAgent({
      target,
      ...(o.room !== undefined ? { room: o.room } : {}),
      ...(o.agentName !== undefined ? { agentName: o.agentName } : {}),
      reply,
      ...(reference ? { reference } : {}),
      ...(fault ? { fault } : {}),
      timeoutMs: o.timeout * 1000,
      signal: req.signal,
      onEvent: (e) => {
        spinner.update(e.kind);
        // What the user (or a test) waits for before starting the client.
        if (e.kind === 'mockagent.worker.registered')
          log.info(`registered agent worker ${JSON.stringify(e.data.agentName)} (${e.data.workerId}): waiting for a dispatch`);
        if (e.kind === 'mockagent.state' && e.data.state === 'listening' && !listening) {
          listening = true;
          log.info(`ACTIVE as ${e.data.identity}, listening: start the client`);
        }
      },
    });
  } finally {
    spinner.stop();
    await within(
      dispose().catch(() => undefined),
      3000,
    );
  }
  const findings = diagnose(run.events, CLIENT_RULES, { command: 'mock-agent' });
  return makeReport('mock-agent', req.startedAt, findings, metaFor, {
    interrupted: run.interrupted,
    target: { room: run.room || (o.room ?? null), identity: run.identity, agentName: o.agentName ?? null, fault: o.fault ?? null },
    events: [...run.events].sort((a, b) => a.t - b.t),
  });
}

/** Writes the --json-file / --html / --junit copies; returns the error for a path that cannot be written. */
async function writeExtras(report: Report, o: MockAgentOptions): Promise<Error | undefined> {
  const checks = Object.values(CLIENT).filter((c) => c.severity !== 'info');
  const outputs: Array<[string | undefined, string, () => string | Promise<string>]> = [
    [o.jsonFile, '--json-file', () => renderJson(report)],
    [o.html, '--html', () => renderHtml(report)],
    [o.junit, '--junit', () => renderMockAgentJunit(report, checks)],
  ];
  for (const [file, flag, render] of outputs) {
    if (!file) continue;
    const text = await render();
    try {
      writeFileSync(file, text);
    } catch (err) {
      return usageError(`cannot write ${file}: ${(err as Error).message}`, `Choose a writable path for ${flag} (the report is on stdout above).`);
    }
  }
  return undefined;
}

/** `lkdiag mock-agent`: the run, printed with its text renderer; returns the exit code (2 when a copy could not be written). */
export async function mockAgentCommand(opts: MockAgentOptions, globals: GlobalOptions): Promise<number> {
  let extrasError: Error | undefined;
  const code = await runCommand(
    'mock-agent',
    globals,
    async (ctx) => {
      const report = await mockAgent({ ...ctx, opts });
      extrasError = await writeExtras(report, opts);
      return report;
    },
    renderMockAgentText,
  );
  return extrasError ? printError(extrasError) : code;
}
