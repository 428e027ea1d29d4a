/** The body of `lkdiag trace room`, loaded only when the command runs. */
import { statSync, writeFileSync } from 'node:fs';
import { metaFor } from '../diagnose/catalogue.js';
import { within } from '../sources/clock.js';
import { diagnose } from '../diagnose/engine.js';
import { ALL_RULES } from '../diagnose/rules/index.js';
import type { EventSource, TraceEvent } from '../diagnose/types.js';
import { EXIT, usageError, type UserError } from '../errors.js';
import { redact } from '../redact.js';
import { describeEvent } from '../report/describe.js';
import { renderHtml } from '../report/html.js';
import { renderNdjsonLine } from '../report/json.js';
import { makeReport, type Report } from '../report/report.js';
import { renderFindings, renderSummary } from '../report/text.js';
import { renderSwimlanes } from '../report/timeline-text.js';
import { followFile, followStream, type FollowStats } from '../sources/log-follow.js';
import { resolveLiveKit, validateRoomName } from '../sources/livekit.js';
import { inSessionWindow, parseLogStream, type LogParseStats } from '../sources/logs/index.js';
import { EventKeeper } from '../sources/logs/keep.js';
import { runRoomTrace, type RoomTraceRun } from '../sources/room-trace.js';
import { chalk, log } from '../ui.js';
import type { GlobalOptions } from './runner.js';

export const COMMAND = 'trace room';
/** Agent-log lines from this long before the room was created still belong to its session. */

export interface TraceRoomRequest {
  room: string;
  url?: string;
  apiKey?: string;
  apiSecret?: string;
  token?: string;
  /** Seconds. */
  duration?: number;
  agentLog?: string;
  html?: string;
  globals: GlobalOptions;
}

/** Realtime deltas: streamed in --json, but not one terminal line each (--verbose shows them). */
const NOISY = /^openai\.(input_audio_buffer\.append|response\.(output_audio|output_audio_transcript|output_text|function_call_arguments)\.delta|conversation\.item\.input_audio_transcription\.delta)$/;

const sourceColour: Record<EventSource, (s: string) => string> = {
  room: (s) => chalk.blue(s),
  session: (s) => chalk.green(s),
  log: (s) => chalk.yellow(s),
  openai: (s) => chalk.magenta(s),
  probe: (s) => chalk.magenta(s),
  simulator: (s) => chalk.magenta(s),
  client: (s) => chalk.cyan(s),
  server: (s) => chalk.gray(s),
};

export function liveLine(e: TraceEvent): string {
  const time = new Date(e.t).toISOString().slice(11, 23);
  const colour = e.kind.startsWith('openai.') ? chalk.magenta : (sourceColour[e.source] ?? ((s: string) => s));
  return `${chalk.dim(time)} ${colour(e.source.padEnd(7))} ${colour(e.kind.padEnd(40))} ${describeEvent(e)}\n`;
}

function checkAgentLog(file: string | undefined): void {
  if (!file || file === '-') return;
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`no such agent log: ${file}`, 'Give the file the agent writes its log to (DEBUG level, LK_OPENAI_DEBUG=1), or - to read it from stdin.');
    throw usageError(`cannot read ${file}: ${(err as Error).message}`, 'Check the path and its permissions.');
  }
  if (st.isDirectory()) throw usageError(`${file} is a directory, not a log file`, 'Pass the agent log file itself, or - for stdin.');
}

export async function runTraceRoom(req: TraceRoomRequest): Promise<number> {
  const startedAt = Date.now();
  const json = req.globals.json === true;
  const verbose = req.globals.verbose === true;
  validateRoomName(req.room);
  checkAgentLog(req.agentLog);
  const target = resolveLiveKit({ url: req.url, apiKey: req.apiKey, apiSecret: req.apiSecret, token: req.token });
  log.info(`using ${target.notice}`);

  const keeper = new EventKeeper();
  const out = (e: TraceEvent) => {
    keeper.add(e);
    if (json) process.stdout.write(redact(`${JSON.stringify(e)}\n`));
    else if (verbose || !NOISY.test(e.kind)) process.stdout.write(redact(liveLine(e)));
  };

  // Ctrl-C (or SIGTERM): stop tailing and still write the report; a second one quits at once.
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    process.stderr.write(chalk.yellow('\ninterrupted: leaving the room and writing the report (Ctrl-C again to quit at once)\n'));
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // The agent log, followed from the moment the room is known to exist.
  const logStop = new AbortController();
  let logTask: Promise<void> | undefined;
  let logParse: { stats: LogParseStats } | undefined;
  let follow: { stats: FollowStats } | undefined;
  let outsideWindow = 0;
  let logError: string | undefined;
  const startLog = (createdAtMs: number | undefined) => {
    if (!req.agentLog) return;
    const keep = inSessionWindow(createdAtMs ?? startedAt);
    const input = req.agentLog === '-' ? followStream(process.stdin, { signal: logStop.signal }) : followFile(req.agentLog, { signal: logStop.signal });
    follow = input;
    const parse = parseLogStream(input, { keepLines: verbose });
    logParse = parse;
    logTask = (async () => {
      for await (const batch of parse.batches()) {
        for (const e of batch) {
          if (keep(e)) out(e);
          else outsideWindow++;
        }
      }
    })().catch((err: unknown) => {
      logError = (err as Error).message;
      log.warn(`stopped reading the agent log: ${logError}`);
    });
  };

  const { dispose } = await import('@livekit/rtc-node');
  let run: RoomTraceRun;
  try {
    run = await runRoomTrace({
      target,
      room: req.room,
      ...(req.duration !== undefined ? { durationMs: req.duration * 1000 } : {}),
      signal: controller.signal,
      onEvent: out,
      onRoom: ({ createdAtMs }) => startLog(createdAtMs),
      note: (m) => log.info(m),
    });
  } finally {
    logStop.abort();
    await logTask;
    await within(dispose().catch(() => undefined), 3000); // rtc-node's FFI can hang on a dead server
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  if (keeper.dropped > 0) log.warn(`kept the first ${keeper.events.length.toLocaleString('en-US')} events for the rules; ${keeper.dropped.toLocaleString('en-US')} later events were not examined`);
  const events = [...keeper.events].sort((a, b) => a.t - b.t);
  const findings = diagnose(events, ALL_RULES, { command: COMMAND });
  const interrupted = run.stopReason === 'interrupted';
  const unanswered = run.requests.filter((r) => r.request === 'ping' && r.status !== 'answered').map((r) => r.agent);
  const report: Report = makeReport(COMMAND, startedAt, findings, metaFor, {
    ...(interrupted ? { interrupted: true } : {}),
    target: { room: req.room, url: target.wsUrl, identity: run.identity, roomCreatedAt: run.roomCreatedAtMs ? new Date(run.roomCreatedAtMs).toISOString() : null },
    observer: {
      grants: { hidden: true, agent: true, canPublish: false, canPublishData: true, canSubscribe: false, canManageAgentSession: true },
      stopReason: run.stopReason,
      agents: run.agents,
      requests: run.requests,
      ...(unanswered.length ? { note: `no answer on lk.agent.session from ${unanswered.join(', ')}: agents-js answers only its linked user, Python < 1.5 has no session host` } : {}),
    },
    ...(req.agentLog && logParse ? { agentLog: { file: req.agentLog, ...logParse.stats, outsideWindow, bytes: follow?.stats.bytes ?? 0, ...(logError ? { error: logError } : {}) } } : {}),
    input: { keptEvents: keeper.events.length, collapsedDeltas: keeper.collapsed },
  });

  // --html: a file that cannot be written is a usage error (exit 2), raised only after the report
  // is on stdout, so the session just traced is never lost to a bad path.
  let htmlError: UserError | undefined;
  if (req.html) {
    try {
      writeFileSync(req.html, renderHtml({ ...report, events }));
      log.info(`HTML timeline written to ${req.html}`);
    } catch (err) {
      htmlError = usageError(`cannot write ${req.html}: ${(err as Error).message}`, 'Choose a writable path for --html (the report is on stdout above).');
    }
  }

  if (json) {
    process.stdout.write(renderNdjsonLine(report));
  } else {
    const highlight = new Set(findings.flatMap((f) => f.evidence));
    const t0 = events[0]?.t;
    const stop = chalk.dim(`stopped: ${run.stopReason}; ${events.length} event(s)${req.agentLog && logParse ? `; agent log: ${logParse.stats.recognised} line(s) recognised, ${outsideWindow} before this room` : ''}`);
    const parts = ['', renderSummary(report), renderFindings(findings, t0), chalk.bold('timeline'), renderSwimlanes(events, { verbose, highlight, width: process.stdout.columns ?? 120 }), stop];
    process.stdout.write(`${parts.join('\n\n')}\n`);
  }
  if (htmlError) throw htmlError;
  return report.exitCode;
}
