/** The body of `lkdiag trace log`, loaded only when the command runs. */
import { once } from 'node:events';
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { metaFor } from '../diagnose/catalogue.js';
import type { FindingMeta } from '../diagnose/types.js';
import { diagnose } from '../diagnose/engine.js';
import { ALL_RULES } from '../diagnose/rules/index.js';
import { findingKey } from '../diagnose/rules/kit.js';
import type { Finding, Severity, TraceEvent } from '../diagnose/types.js';
import { usageError } from '../errors.js';
import { renderHtml } from '../report/html.js';
import { renderNdjsonLine } from '../report/json.js';
import { makeReport, type Report } from '../report/report.js';
import { renderTraceLogText } from '../report/trace-text.js';
import { LOG_FORMATS_SUPPORTED } from '../sources/logs/formats.js';
import { EventKeeper } from '../sources/logs/keep.js';
import { describeUnrecognised, type LogParse, type LogParseStats } from '../sources/logs/index.js';
import { parseLogOrReport } from '../sources/logs/session-report.js';
import { log } from '../ui.js';
import { onInterrupt, type GlobalOptions } from './runner.js';

export const COMMAND = 'trace log';

/**
 * Rules run window by window so memory stays flat whatever the log's size: after WINDOW kept
 * events they run, and the next window starts with the last OVERLAP_MS of events (at most
 * OVERLAP_MAX) so that a cause and its effect split by the boundary are still seen together.
 * Findings are merged by code and detail.
 */
export const WINDOW_EVENTS = 2_000;
export const OVERLAP_MS = 30_000;
export const OVERLAP_MAX = 500;

export interface TraceLogRequest {
  /** One log or several (an agent's and the server's), merged on one timeline; '-' is stdin. */
  files: string[];
  html?: string;
  globals: GlobalOptions;
}

/** How many unrecognised lines --verbose shows. */
export const UNRECOGNISED_SHOWN = 5;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** How to get a log lkdiag reads well: the real flags of livekit-agents' and agents-js' CLIs (`start` logs JSON, `dev` coloured text). */
const BETTER_LOG =
  'For a log lkdiag reads best, run the agent in `start` mode at debug level (JSON logs: `python agent.py start --log-level DEBUG`, `node agent.js start --log-level debug`) with LK_OPENAI_DEBUG=1 for the Realtime events, and pass the file as written, not copied from a terminal.';
const FORMATS_HINT = `${LOG_FORMATS_SUPPORTED} ${BETTER_LOG}`;

function checkFile(file: string): void {
  if (file === '-') return;
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw usageError(`${file} is a directory, not a log file`, 'Pass the agent log file itself, or - for stdin.');
    size = st.size;
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode !== undefined) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`no such file: ${file}`, 'Check the path, or pipe the log on stdin: `… | lkdiag trace log -`.');
    throw usageError(`cannot read ${file}: ${(err as Error).message}`, 'Check the path and its permissions.');
  }
  if (size === 0 && statSync(file).isFile()) throw usageError(`${file} is empty`, FORMATS_HINT);
}

/**
 * Writes NDJSON lines with backpressure, one write per parsed batch (so they are flushed as they
 * come). Secrets are removed by the stdout filter (installRedaction): the one place that redacts.
 */
async function writeOut(text: string | Uint8Array): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

/**
 * A batch's NDJSON lines, encoded straight into one buffer: the same bytes as writing the joined
 * lines as a string, without building that string (a concatenation V8 must then flatten and
 * encode again). A new buffer per batch: the stream may still hold the previous one.
 */
export function ndjsonBytes(batch: readonly TraceEvent[]): Buffer {
  let buf = Buffer.allocUnsafe(Math.max(4096, batch.length * 384));
  let at = 0;
  for (const e of batch) {
    const line = JSON.stringify(e);
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (buf.length - at < line.length * 3 + 1) {
      const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, at + line.length * 3 + 1));
      buf.copy(bigger, 0, 0, at);
      buf = bigger;
    }
    at += buf.write(line, at);
    buf[at++] = 10;
  }
  return buf.subarray(0, at);
}

/** One input of `trace log`: its name and its parse. */
interface Input {
  file: string;
  parse: LogParse;
  stream: NodeJS.ReadableStream & { destroy?: () => void };
}

/** How one file was read, for the report: its formats, records and time span. */
export interface InputSummary {
  file: string;
  formats: LogParseStats['formats'];
  lines: number;
  recognised: number;
  unrecognised: number;
  /** Log records read (a record may span several lines: a traceback, wrapped fields). */
  records: number;
  events: number;
  firstT?: number;
  lastT?: number;
  /** No record of the file had a timestamp of its own. */
  noTimestamps?: boolean;
}

/** Records before 1973 have no time of their own (Python's default layout, a bare traceback): t is 0. */
const NO_TIME_BEFORE = 1e11;

export function summariseInput(file: string, s: LogParseStats): InputSummary {
  const records = Object.values(s.formats).reduce((a, n) => a + (n ?? 0), 0);
  const timed = s.lastT !== undefined && s.lastT >= NO_TIME_BEFORE;
  return {
    file,
    formats: s.formats,
    lines: s.lines,
    recognised: s.recognised,
    unrecognised: s.unrecognised,
    records,
    events: s.events,
    ...(s.firstT !== undefined ? { firstT: s.firstT } : {}),
    ...(s.lastT !== undefined ? { lastT: s.lastT } : {}),
    ...(records > 0 && !timed ? { noTimestamps: true } : {}),
  };
}

/**
 * What the reader should know before trusting a merged timeline: files with nothing recognised, files
 * with no timestamps (their events cannot be placed among the others'), and files whose time span
 * meets no other file's (another session, or clocks apart).
 */
export function inputWarnings(inputs: readonly InputSummary[]): string[] {
  if (inputs.length < 2) return [];
  const out: string[] = [];
  const timed = inputs.filter((i) => i.records > 0 && !i.noTimestamps && i.firstT !== undefined && i.lastT !== undefined);
  for (const i of inputs) {
    if (i.records === 0) out.push(`${i.file}: no log line recognised (${i.lines} line(s)); the timeline has only the other files`);
    else if (i.noTimestamps)
      out.push(`${i.file}: its records have no timestamps, so they cannot be placed among the other files' events (they are shown first)`);
  }
  if (timed.length >= 2) {
    const apart = timed.filter((i) => !timed.some((o) => o !== i && o.firstT! <= i.lastT! && i.firstT! <= o.lastT!));
    const why = 'another session, or clocks that differ: their findings are not about one moment';
    const spanOf = (i: InputSummary) => `${i.file} (${iso(i.firstT!)} – ${iso(i.lastT!)})`;
    if (apart.length === timed.length) out.push(`the files do not overlap in time: ${apart.map(spanOf).join(', ')}; ${why}`);
    else for (const i of apart) out.push(`${spanOf(i)} does not overlap the other files in time; ${why}`);
  }
  return out;
}

const iso = (t: number): string => new Date(t).toISOString().replace('T', ' ').slice(0, 23);

/** The batches of several parses merged by time (each file's own order kept): constant memory, one batch per file at a time. */
export async function* mergeByTime(parses: readonly LogParse[], batchSize = 1000): AsyncGenerator<TraceEvent[]> {
  if (parses.length === 1) {
    yield* parses[0]!.batches();
    return;
  }
  const its = parses.map((p) => p.batches()[Symbol.asyncIterator]());
  const refill = async (k: number): Promise<{ batch: TraceEvent[]; i: number } | undefined> => {
    for (;;) {
      const r = await its[k]!.next();
      if (r.done) return undefined;
      if (r.value.length > 0) return { batch: r.value, i: 0 };
    }
  };
  const heads = await Promise.all(its.map((_, k) => refill(k)));
  let out: TraceEvent[] = [];
  for (;;) {
    let best = -1;
    let bestT = Infinity;
    for (let k = 0; k < heads.length; k++) {
      const h = heads[k];
      if (h && h.batch[h.i]!.t < bestT) {
        bestT = h.batch[h.i]!.t;
        best = k;
      }
    }
    if (best < 0) break;
    const h = heads[best]!;
    out.push(h.batch[h.i++]!);
    if (h.i >= h.batch.length) heads[best] = await refill(best);
    if (out.length >= batchSize) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

function openInputs(files: readonly string[], verbose: boolean): Input[] {
  if (files.filter((f) => f === '-').length > 1) throw usageError('stdin (-) given more than once', 'Pass - for at most one of the logs.');
  for (const f of files) checkFile(f);
  return files.map((file) => {
    const stream = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 256 * 1024 });
    return { file, stream, parse: parseLogOrReport(stream, { keepLines: verbose, ...(verbose ? { unrecognisedSamples: UNRECOGNISED_SHOWN } : {}) }) };
  });
}

/** The stats of every input added up (the report's `parse` section, as with one file). */
function totalStats(inputs: readonly Input[]): LogParseStats {
  if (inputs.length === 1) return inputs[0]!.parse.stats;
  const t: LogParseStats = { lines: 0, recognised: 0, unrecognised: 0, oversized: 0, binary: 0, invalidUtf8: 0, blank: 0, formats: {}, events: 0 };
  for (const { parse, file } of inputs) {
    const s = parse.stats;
    for (const k of ['lines', 'recognised', 'unrecognised', 'oversized', 'binary', 'invalidUtf8', 'blank', 'events'] as const) t[k] += s[k];
    for (const [f, n] of Object.entries(s.formats) as Array<[keyof LogParseStats['formats'], number]>) t.formats[f] = (t.formats[f] ?? 0) + n;
    if (s.firstT !== undefined && (t.firstT === undefined || s.firstT < t.firstT)) t.firstT = s.firstT;
    if (s.lastT !== undefined && (t.lastT === undefined || s.lastT > t.lastT)) t.lastT = s.lastT;
    const shown = (s.unrecognisedLines ?? []).map((u) => ({ line: u.line, text: `${file}: ${u.text}` }));
    if (shown.length > 0) t.unrecognisedLines = [...(t.unrecognisedLines ?? []), ...shown].slice(0, UNRECOGNISED_SHOWN);
  }
  return t;
}

/** Reads every input, merged by time, through the rules in windows of WINDOW_EVENTS events. */
async function readInputs(inputs: readonly Input[], files: readonly string[], signal: AbortSignal, json: boolean) {
  const keeper = new EventKeeper();
  const merged = new Map<string, Finding>();
  let windows = 0;
  let maxT = -Infinity;
  const runRules = (): void => {
    windows++;
    for (const f of diagnose(keeper.events, ALL_RULES, { command: COMMAND })) {
      const key = findingKey(f);
      if (!merged.has(key)) merged.set(key, f);
    }
  };
  try {
    for await (const batch of mergeByTime(inputs.map((i) => i.parse))) {
      for (const e of batch) {
        keeper.add(e);
        if (e.t > maxT) maxT = e.t;
      }
      if (keeper.events.length >= WINDOW_EVENTS) {
        runRules();
        keeper.retainFrom(maxT - OVERLAP_MS, OVERLAP_MAX);
      }
      if (json) await writeOut(ndjsonBytes(batch));
    }
  } catch (err) {
    if (!signal.aborted) {
      const code = (err as NodeJS.ErrnoException).code;
      const path = (err as NodeJS.ErrnoException).path ?? files.join(', ');
      if (code === 'EISDIR' || code === 'ENOENT' || code === 'EACCES')
        throw usageError(`cannot read ${path}: ${(err as Error).message}`, 'Check the path and its permissions.');
      throw err;
    }
  }
  runRules(); // the last window
  return { keeper, merged, windows };
}

/** The usage error when no line of any input was recognised: what was read and how to get a better log. */
function nothingRead(stats: LogParseStats, inputs: readonly Input[], files: readonly string[]): Error {
  const name = (f: string) => (f === '-' ? 'stdin' : f);
  const several = inputs.length > 1 ? ` in any of the ${inputs.length} files` : '';
  const what = inputs.length === 1 ? describeUnrecognised(stats) : `no log line recognised${several} (${stats.lines.toLocaleString('en-US')} line(s))`;
  const message = stats.lines === 0 && inputs.length === 1 ? `${name(files[0]!)} is empty` : what;
  return usageError(`${message}: lkdiag reads agent logs (livekit-agents, agents-js) and livekit-server logs`, FORMATS_HINT);
}

export async function runTraceLog(req: TraceLogRequest): Promise<number> {
  const startedAt = Date.now();
  const json = req.globals.json === true;
  const verbose = req.globals.verbose === true;
  const inputs = openInputs(req.files, verbose);
  const name = (f: string) => (f === '-' ? 'stdin' : f);

  // Ctrl-C (or SIGTERM): stop reading and explain what was read so far.
  const interruption = onInterrupt('explaining what was read so far');
  interruption.signal.addEventListener(
    'abort',
    () => {
      for (const i of inputs) i.stream.destroy?.();
    },
    { once: true },
  );

  const { keeper, merged, windows } = await readInputs(inputs, req.files, interruption.signal, json).finally(() => interruption.release());
  const interrupted = interruption.signal.aborted;

  const stats = totalStats(inputs);
  if (stats.recognised === 0 && !interrupted) throw nothingRead(stats, inputs, req.files);
  if (keeper.dropped > 0)
    log.warn(
      `kept the first ${keeper.events.length.toLocaleString('en-US')} events for the rules; ${keeper.dropped.toLocaleString('en-US')} later events were not examined`,
    );
  const summaries = inputs.map((i) => summariseInput(name(i.file), i.parse.stats));
  const warnings = inputWarnings(summaries);
  // the text report shows them; with --json they go to stderr too (a reader of stdout may not look)
  if (json) for (const w of warnings) log.warn(w);

  const findings = [...merged.values()].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const sections = {
    parse: stats,
    input: {
      file: req.files.length === 1 ? req.files[0] : req.files.join(' '),
      ...(req.files.length > 1 ? { files: summaries } : {}),
      ruleWindows: windows,
      collapsedDeltas: keeper.collapsed,
      ...(warnings.length > 0 ? { warnings } : {}),
    },
    ...(interrupted ? { interrupted: true } : {}),
  };
  const report: Report = makeReport(COMMAND, startedAt, findings, explainedFromLog, sections);

  // --html: a file that cannot be written is a usage error (exit 2), raised only after the report is on stdout.
  const events = [...keeper.events].sort((a, b) => a.t - b.t);
  const htmlError = req.html ? writeHtml(req.html, { ...report, events }) : undefined;

  if (json) await writeOut(renderNdjsonLine(report));
  else
    process.stdout.write(
      renderTraceLogText({
        report,
        findings,
        events,
        verbose,
        width: process.stdout.columns ?? 120,
        windows,
        stats,
        ...(req.files.length > 1 ? { inputs: summaries } : {}),
        warnings,
      }),
    );
  if (htmlError) throw htmlError;
  return report.exitCode;
}

/** `--html FILE`: a self-contained timeline; the error (a usage error) when it cannot be written. */
function writeHtml(file: string, report: Report): Error | undefined {
  try {
    writeFileSync(file, renderHtml(report));
  } catch (err) {
    return usageError(`cannot write ${file}: ${(err as Error).message}`, 'Choose a writable path for --html (the report is on stdout above).');
  }
  log.info(`HTML timeline written to ${file}`);
  return undefined;
}

/**
 * A log is explained, not run: a refused connection or an elapsed bound in it happened to the agent, not to
 * lkdiag, so every error finding of `trace log` exits 1 (exit 3 and 4 are for lkdiag's own connections and waits).
 */
function explainedFromLog(code: string): FindingMeta | undefined {
  const meta = metaFor(code);
  return meta && { ...meta, exit: 1 };
}
