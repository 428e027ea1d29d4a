/**
 * Terminal text of the two trace commands: the live line `trace room` prints per event as it
 * happens, and the closing text of `trace log` and `trace room` (summary, findings, timeline, and
 * what was read). Renderers only: the commands hand them what they collected.
 */
import type { EventSource, Finding, TraceEvent } from '../diagnose/types.js';
import type { InputSummary } from '../commands/trace-log.run.js';
import type { LogParseStats } from '../sources/logs/index.js';
import { chalk } from '../ui.js';
import { describeEvent } from './describe.js';
import type { Report } from './report.js';
import { renderFindings, renderSummary } from './text.js';
import { renderSwimlanes } from './timeline-text.js';

/** Realtime deltas: streamed in --json, but not one terminal line each (--verbose shows them). */
const NOISY =
  /^openai\.(input_audio_buffer\.append|response\.(output_audio|output_audio_transcript|output_text|function_call_arguments)\.delta|conversation\.item\.input_audio_transcription\.delta)$/;

/** Whether a live terminal line is left out for this event unless --verbose. */
export function isNoisy(e: TraceEvent): boolean {
  return NOISY.test(e.kind);
}

const sourceColour: Partial<Record<EventSource, (s: string) => string>> = {
  room: (s) => chalk.blue(s),
  session: (s) => chalk.green(s),
  log: (s) => chalk.yellow(s),
  openai: (s) => chalk.magenta(s),
  probe: (s) => chalk.magenta(s),
  simulator: (s) => chalk.magenta(s),
  client: (s) => chalk.cyan(s),
  server: (s) => chalk.gray(s),
};

/** One event as `trace room` prints it live: wall-clock time, source, kind, description. */
export function liveLine(e: TraceEvent): string {
  const time = new Date(e.t).toISOString().slice(11, 23);
  const colour = e.kind.startsWith('openai.') ? chalk.magenta : (sourceColour[e.source] ?? ((s: string) => s));
  return `${chalk.dim(time)} ${colour(e.source.padEnd(7))} ${colour(e.kind.padEnd(40))} ${describeEvent(e)}\n`;
}

const formatsOf = (f: LogParseStats['formats']): string =>
  Object.entries(f)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');

/** What the log parser read, in one dim line (and, when not all of it was understood, how much was not). */
export function renderParseStats(s: LogParseStats): string {
  const records = Object.values(s.formats).reduce((a, n) => a + (n ?? 0), 0);
  const extra = [s.oversized && `${s.oversized} oversized`, s.binary && `${s.binary} binary`, s.invalidUtf8 && `${s.invalidUtf8} not UTF-8`]
    .filter(Boolean)
    .join(', ');
  const read = s.lines - s.blank;
  const share = s.unrecognised > 0 && read > 0 ? ` — ${Math.round((100 * s.recognised) / read)}% of the non-blank lines understood` : '';
  return chalk.dim(
    `parsed ${s.lines} line(s): ${s.recognised} recognised in ${records} record(s) (${formatsOf(s.formats) || 'none'}), ${s.unrecognised} unrecognised${extra ? ` (${extra})` : ''}${share}, ${s.events} event(s)`,
  );
}

/** The first lines no format recognised (--verbose), so a user can see what was not understood. */
export function renderUnrecognised(s: LogParseStats): string {
  const shown = s.unrecognisedLines ?? [];
  if (shown.length === 0) return '';
  const more = s.unrecognised > shown.length ? chalk.dim(`  … and ${s.unrecognised - shown.length} more`) : '';
  return [
    chalk.bold(`not understood (the first ${shown.length} of ${s.unrecognised} line(s))`),
    ...shown.map((u) => `  ${chalk.dim(`line ${u.line}:`)} ${u.text}`),
    more,
  ]
    .filter(Boolean)
    .join('\n');
}

const timed = (i: InputSummary): i is InputSummary & { firstT: number; lastT: number } => !i.noTimestamps && i.firstT !== undefined && i.lastT !== undefined;

/** A time span as UTC times of day, with the dates when the files are not all of one day. */
const span = (i: InputSummary, withDate: boolean): string => {
  if (!timed(i)) return 'no timestamps';
  const at = (t: number) =>
    new Date(t)
      .toISOString()
      .slice(withDate ? 0 : 11, 23)
      .replace('T', ' ');
  return `${at(i.firstT)} – ${at(i.lastT)}`;
};

/** How each of several files was read: format, records, time span. */
export function renderInputs(inputs: readonly InputSummary[]): string {
  const days = new Set(inputs.filter(timed).flatMap((i) => [i.firstT, i.lastT].map((t) => new Date(t).toISOString().slice(0, 10))));
  const line = (i: InputSummary) =>
    `  ${i.file}  ${chalk.dim(`${formatsOf(i.formats) || 'nothing recognised'} · ${i.records} record(s) of ${i.lines} line(s) · ${span(i, days.size > 1)}`)}`;
  return [chalk.bold(`inputs (${inputs.length} files, merged by time)`), ...inputs.map(line)].join('\n');
}

export interface TraceTextInput {
  report: Report;
  findings: readonly Finding[];
  /** The kept events, in time order. */
  events: readonly TraceEvent[];
  verbose: boolean;
  /** Terminal width for the swimlanes. */
  width: number;
}

function timeline({ findings, events, verbose, width }: TraceTextInput): string {
  return renderSwimlanes(events, { verbose, highlight: new Set(findings.flatMap((f) => f.evidence)), width });
}

/**
 * `trace log`'s text: summary, the inputs and their warnings (several files), findings, timeline (the last
 * window's events when the rules ran in several), parse stats, and with --verbose the lines not understood.
 */
export function renderTraceLogText(
  input: TraceTextInput & { windows: number; stats: LogParseStats; inputs?: readonly InputSummary[]; warnings?: readonly string[] },
): string {
  const title = input.windows > 1 ? `timeline ${chalk.dim(`(the last ${input.events.length} events; --json for all of them)`)}` : 'timeline';
  const warnings = (input.warnings ?? []).map((w) => chalk.yellow(`! ${w}`)).join('\n');
  const parts = [
    renderSummary(input.report),
    input.inputs ? renderInputs(input.inputs) : '',
    warnings,
    renderFindings(input.findings, input.events[0]?.t),
    chalk.bold(title),
    timeline(input),
    renderParseStats(input.stats),
    input.verbose ? renderUnrecognised(input.stats) : '',
  ].filter((p) => p !== '');
  return `${parts.join('\n\n')}\n`;
}

/** `trace room`'s closing text, after the live lines: summary, findings, timeline, why it stopped. */
export function renderTraceRoomText(input: TraceTextInput & { stopReason: string; agentLog?: { recognised: number; outsideWindow: number } }): string {
  const log = input.agentLog ? `; agent log: ${input.agentLog.recognised} line(s) recognised, ${input.agentLog.outsideWindow} before this room` : '';
  const stop = chalk.dim(`stopped: ${input.stopReason}; ${input.events.length} event(s)${log}`);
  const parts = ['', renderSummary(input.report), renderFindings(input.findings, input.events[0]?.t), chalk.bold('timeline'), timeline(input), stop];
  return `${parts.join('\n\n')}\n`;
}
