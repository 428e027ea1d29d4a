/** The body of `lkdiag trace room`, loaded only when the command runs. */
import { type Stats, statSync, writeFileSync } from 'node:fs';
import { metaFor } from '../diagnose/catalogue.js';
import { within } from '../sources/clock.js';
import { diagnose } from '../diagnose/engine.js';
import { ALL_RULES } from '../diagnose/rules/index.js';
import type { TraceEvent } from '../diagnose/types.js';
import { usageError, type UserError } from '../errors.js';
import { redact } from '../redact.js';
import { renderHtml } from '../report/html.js';
import { renderNdjsonLine } from '../report/json.js';
import { makeReport, type Report } from '../report/report.js';
import { isNoisy, liveLine, renderTraceRoomText } from '../report/trace-text.js';
import { followFile, followStream, type FollowStats } from '../sources/log-follow.js';
import { resolveLiveKit, validateRoomName } from '../sources/livekit.js';
import { inSessionWindow, parseLogStream, type LogParseStats } from '../sources/logs/index.js';
import { EventKeeper } from '../sources/logs/keep.js';
import { runRoomTrace, type RoomTraceRun } from '../sources/room-trace.js';
import { log } from '../ui.js';
import { onInterrupt, type GlobalOptions } from './runner.js';
import { rtcLogsToStderr } from '../sources/rtc-log.js';

export const COMMAND = 'trace room';

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

function checkAgentLog(file: string | undefined): void {
  if (!file || file === '-') return;
  let st: Stats;
  try {
    st = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw usageError(`no such agent log: ${file}`, 'Give the file the agent writes its log to (DEBUG level, LK_OPENAI_DEBUG=1), or - to read it from stdin.');
    throw usageError(`cannot read ${file}: ${(err as Error).message}`, 'Check the path and its permissions.');
  }
  if (st.isDirectory()) throw usageError(`${file} is a directory, not a log file`, 'Pass the agent log file itself, or - for stdin.');
}

interface AgentLogFollower {
  /** Starts following once the room is known to exist (its creation time opens the session window). */
  start(createdAtMs: number | undefined): void;
  /** Stops following and waits for the last batch. */
  stop(): Promise<void>;
  /** What the report says about the log, once stopped (undefined when no log was given or started). */
  summary(): { file: string; stats: LogParseStats; outsideWindow: number; bytes: number; error?: string } | undefined;
}

/** The agent log (a file or stdin), parsed live into the same event stream as the room. */
function agentLogFollower(file: string | undefined, startedAt: number, verbose: boolean, out: (e: TraceEvent) => void): AgentLogFollower {
  const logStop = new AbortController();
  let logTask: Promise<void> | undefined;
  let logParse: { stats: LogParseStats } | undefined;
  let follow: { stats: FollowStats } | undefined;
  let outsideWindow = 0;
  let logError: string | undefined;
  return {
    start(createdAtMs) {
      if (!file) return;
      const keep = inSessionWindow(createdAtMs ?? startedAt);
      const input = file === '-' ? followStream(process.stdin, { signal: logStop.signal }) : followFile(file, { signal: logStop.signal });
      follow = input;
      const parse = parseLogStream(input, { keepLines: verbose, live: true });
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
    },
    async stop() {
      logStop.abort();
      await logTask;
    },
    summary() {
      if (!file || !logParse) return undefined;
      return { file, stats: logParse.stats, outsideWindow, bytes: follow?.stats.bytes ?? 0, ...(logError ? { error: logError } : {}) };
    },
  };
}

function buildReport(req: TraceRoomRequest, target: { wsUrl: string }, startedAt: number, run: RoomTraceRun, keeper: EventKeeper, agentLog: AgentLogFollower) {
  if (keeper.dropped > 0)
    log.warn(
      `kept the first ${keeper.events.length.toLocaleString('en-US')} events for the rules; ${keeper.dropped.toLocaleString('en-US')} later events were not examined`,
    );
  const events = [...keeper.events].sort((a, b) => a.t - b.t);
  const findings = diagnose(events, ALL_RULES, { command: COMMAND });
  const interrupted = run.stopReason === 'interrupted';
  const unanswered = run.requests.filter((r) => r.request === 'ping' && r.status !== 'answered').map((r) => r.agent);
  const logSummary = agentLog.summary();
  const report: Report = makeReport(COMMAND, startedAt, findings, metaFor, {
    ...(interrupted ? { interrupted: true } : {}),
    target: {
      room: req.room,
      url: target.wsUrl,
      identity: run.identity,
      roomCreatedAt: run.roomCreatedAtMs ? new Date(run.roomCreatedAtMs).toISOString() : null,
    },
    observer: {
      grants: { hidden: true, agent: true, canPublish: false, canPublishData: true, canSubscribe: false, canManageAgentSession: true },
      stopReason: run.stopReason,
      agents: run.agents,
      requests: run.requests,
      ...(unanswered.length
        ? { note: `no answer on lk.agent.session from ${unanswered.join(', ')}: agents-js answers only its linked user, Python < 1.5 has no session host` }
        : {}),
    },
    ...(logSummary
      ? {
          agentLog: {
            file: logSummary.file,
            ...logSummary.stats,
            outsideWindow: logSummary.outsideWindow,
            bytes: logSummary.bytes,
            ...(logSummary.error ? { error: logSummary.error } : {}),
          },
        }
      : {}),
    input: { keptEvents: keeper.events.length, collapsedDeltas: keeper.collapsed },
  });
  return { report, events, findings, logSummary };
}

export async function runTraceRoom(req: TraceRoomRequest): Promise<number> {
  rtcLogsToStderr(); // rtc-node's own log lines on stderr, never in the report on stdout
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
    else if (verbose || !isNoisy(e)) process.stdout.write(redact(liveLine(e)));
  };

  // Ctrl-C (or SIGTERM): stop tailing and still write the report; a second one quits at once.
  const interruption = onInterrupt('leaving the room and writing the report');
  const agentLog = agentLogFollower(req.agentLog, startedAt, verbose, out);

  const { dispose } = await import('@livekit/rtc-node');
  let run: RoomTraceRun;
  try {
    run = await runRoomTrace({
      target,
      room: req.room,
      ...(req.duration !== undefined ? { durationMs: req.duration * 1000 } : {}),
      signal: interruption.signal,
      onEvent: out,
      onRoom: ({ createdAtMs }) => agentLog.start(createdAtMs),
      note: (m) => log.info(m),
    });
  } finally {
    await agentLog.stop();
    await within(
      dispose().catch(() => undefined),
      3000,
    ); // rtc-node's FFI can hang on a dead server
    interruption.release();
  }

  const { report, events, findings, logSummary } = buildReport(req, target, startedAt, run, keeper, agentLog);

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
    const agentLogText = logSummary ? { recognised: logSummary.stats.recognised, outsideWindow: logSummary.outsideWindow } : undefined;
    process.stdout.write(
      renderTraceRoomText({
        report,
        findings,
        events,
        verbose,
        width: process.stdout.columns ?? 120,
        stopReason: run.stopReason,
        ...(agentLogText ? { agentLog: agentLogText } : {}),
      }),
    );
  }
  if (htmlError) throw htmlError;
  return report.exitCode;
}
