/** The body of `lkdiag trace log`, loaded only when the command runs. */
import { once } from 'node:events';
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { metaFor } from '../diagnose/catalogue.js';
import type { FindingMeta } from '../diagnose/types.js';
import { diagnose } from '../diagnose/engine.js';
import { ALL_RULES } from '../diagnose/rules/index.js';
import type { Finding, Severity, TraceEvent } from '../diagnose/types.js';
import { usageError } from '../errors.js';
import { renderHtml } from '../report/html.js';
import { renderNdjsonLine } from '../report/json.js';
import { makeReport, type Report } from '../report/report.js';
import { renderTraceLogText } from '../report/trace-text.js';
import { LOG_FORMATS_SUPPORTED } from '../sources/logs/formats.js';
import { EventKeeper } from '../sources/logs/keep.js';
import { describeUnrecognised, parseLogStream } from '../sources/logs/index.js';
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
  file: string;
  html?: string;
  globals: GlobalOptions;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

const FORMATS_HINT = `${LOG_FORMATS_SUPPORTED} Realtime events need LK_OPENAI_DEBUG=1 and DEBUG level (Python: --log-level DEBUG).`;

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

export async function runTraceLog(req: TraceLogRequest): Promise<number> {
  const startedAt = Date.now();
  const json = req.globals.json === true;
  const verbose = req.globals.verbose === true;
  checkFile(req.file);

  const input = req.file === '-' ? process.stdin : createReadStream(req.file, { highWaterMark: 256 * 1024 });
  // Ctrl-C (or SIGTERM): stop reading and explain what was read so far.
  const interruption = onInterrupt('explaining what was read so far');
  interruption.signal.addEventListener('abort', () => (input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.(), { once: true });

  const parse = parseLogStream(input, { keepLines: verbose });
  const keeper = new EventKeeper();
  const merged = new Map<string, Finding>();
  let windows = 0;
  let maxT = -Infinity;
  const runRules = (): void => {
    windows++;
    for (const f of diagnose(keeper.events, ALL_RULES, { command: COMMAND })) {
      const key = `${f.code}\u0000${f.detail}`;
      if (!merged.has(key)) merged.set(key, f);
    }
  };
  try {
    for await (const batch of parse.batches()) {
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
    if (!interruption.signal.aborted) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EISDIR' || code === 'ENOENT' || code === 'EACCES')
        throw usageError(`cannot read ${req.file}: ${(err as Error).message}`, 'Check the path and its permissions.');
      throw err;
    }
  } finally {
    interruption.release();
  }
  const interrupted = interruption.signal.aborted;

  const stats = parse.stats;
  if (stats.recognised === 0 && !interrupted) {
    const what = describeUnrecognised(stats);
    throw usageError(stats.lines === 0 ? `${req.file === '-' ? 'stdin' : req.file} is empty` : what, FORMATS_HINT);
  }
  if (keeper.dropped > 0)
    log.warn(
      `kept the first ${keeper.events.length.toLocaleString('en-US')} events for the rules; ${keeper.dropped.toLocaleString('en-US')} later events were not examined`,
    );

  runRules();
  const findings = [...merged.values()].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const sections = {
    parse: stats,
    input: { file: req.file, ruleWindows: windows, collapsedDeltas: keeper.collapsed },
    ...(interrupted ? { interrupted: true } : {}),
  };
  const report: Report = makeReport(COMMAND, startedAt, findings, explainedFromLog, sections);

  // --html: a file that cannot be written is a usage error (exit 2), raised only after the report is on stdout.
  const events = [...keeper.events].sort((a, b) => a.t - b.t);
  const htmlError = req.html ? writeHtml(req.html, { ...report, events }) : undefined;

  if (json) await writeOut(renderNdjsonLine(report));
  else process.stdout.write(renderTraceLogText({ report, findings, events, verbose, width: process.stdout.columns ?? 120, windows, stats }));
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
