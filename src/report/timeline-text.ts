import { chalk } from '../ui.js';
import type { EventKind, TraceEvent } from '../diagnose/types.js';
import { fieldsOf } from '../events/index.js';
import { describeEvent } from './describe.js';

/** The four swimlanes of a session, left to right. */
export const LANES = ['user', 'agent', 'model', 'room'] as const;
export type Lane = (typeof LANES)[number];

const USER_KINDS = new Set<string>(['user.state', 'user.transcript', 'agent.turn-committed'] satisfies EventKind[]);

/** Which lane an event belongs to: who did or saw it (presentation only). */
export function laneOf(e: TraceEvent): Lane {
  if (e.kind.startsWith('client.') || USER_KINDS.has(e.kind)) return 'user';
  if (e.kind === 'agent.transcript') return 'agent';
  if (e.kind === 'conversation.item') return e.data.role === 'user' ? 'user' : 'agent';
  if (e.kind === 'agent.state' && e.source === 'room') return 'room'; // the lk.agent.state attribute, as the room shows it
  if (e.kind.startsWith('openai.') || e.kind.startsWith('log.openai.') || e.kind.startsWith('probe.') || e.source === 'simulator') return 'model';
  if (e.kind.startsWith('room.') || e.kind.startsWith('server.')) return 'room';
  return 'agent'; // agent.*, log.preconnect.*, log.job/framework, session.*
}

const laneColor: Record<Lane, (s: string) => string> = {
  user: (s) => chalk.cyan(s),
  agent: (s) => chalk.green(s),
  model: (s) => chalk.magenta(s),
  room: (s) => chalk.blue(s),
};

export interface SwimlaneOptions {
  /** Time zero for the relative times (default: the first event). */
  t0?: number;
  /** Total width in columns (default 120, at least 60). */
  width?: number;
  /** Keep `log.line` (unrecognised log lines); default false. */
  verbose?: boolean;
  /** Events to mark (e.g. the evidence of findings). */
  highlight?: ReadonlySet<TraceEvent>;
  /** Rows beyond this are elided in the middle (default 400). */
  maxRows?: number;
}

/** Repeated Realtime audio events collapse into one row. */
const COLLAPSIBLE = new Set([
  'openai.input_audio_buffer.append',
  'openai.response.output_audio.delta',
  'openai.response.output_audio_transcript.delta',
  'openai.response.output_text.delta',
  'openai.conversation.item.input_audio_transcription.delta',
]);

interface Row {
  e: TraceEvent;
  n: number;
  last: TraceEvent;
}

function clip(s: string, n: number): string {
  if (n <= 0) return '';
  return s.length > n ? `${s.slice(0, Math.max(0, n - 1))}…` : s;
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - s.length));
}

function shortKind(e: TraceEvent): string {
  return e.kind.replace(/^(openai|log|session|room|client|server|probe)\./, '');
}

function relTime(ms: number): string {
  const s = ms >= 100_000 || ms <= -100_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
  return `${ms >= 0 ? '+' : ''}${s}`;
}

function levelOf(e: TraceEvent): 'error' | 'warning' | undefined {
  const lvl = fieldsOf(e)['level'];
  if (lvl === 'error' || lvl === 'critical' || e.kind === 'openai.error') return 'error';
  if (lvl === 'warning') return 'warning';
  return undefined;
}

/**
 * A compact text timeline in four swimlanes (user · agent · model · room): one row per event with
 * its time relative to the first event; the event sits in its lane's column, its description runs
 * to the right edge.
 */
export function renderSwimlanes(events: readonly TraceEvent[], opts: SwimlaneOptions = {}): string {
  const width = Math.max(60, opts.width ?? 120);
  const timeW = 10;
  const colW = Math.floor((width - timeW) / LANES.length);
  const list = events.filter((e) => opts.verbose || e.kind !== 'log.line');
  if (list.length === 0) return chalk.dim('(no events)');
  const t0 = opts.t0 ?? Math.min(...list.map((e) => e.t));

  const rows: Row[] = [];
  for (const e of list) {
    const prev = rows.at(-1);
    if (prev && COLLAPSIBLE.has(e.kind) && prev.e.kind === e.kind && !opts.highlight?.has(e)) {
      prev.n += 1;
      prev.last = e;
    } else rows.push({ e, n: 1, last: e });
  }

  const header = chalk.bold(pad('TIME', timeW) + LANES.map((l) => laneColor[l](pad(l.toUpperCase(), colW))).join(''));
  const rule = chalk.dim('─'.repeat(timeW + colW * LANES.length));
  const lines = [header, rule];
  const max = opts.maxRows ?? 400;
  const shown = rows.length > max ? [...rows.slice(0, Math.ceil(max / 2)), undefined, ...rows.slice(rows.length - Math.floor(max / 2))] : rows;
  for (const row of shown) {
    if (!row) {
      lines.push(chalk.dim(`${pad('', timeW)}… ${rows.length - max} rows elided …`));
      continue;
    }
    const { e } = row;
    const lane = laneOf(e);
    const idx = LANES.indexOf(lane);
    const mark = opts.highlight?.has(e) ? '◆ ' : '● ';
    const count = row.n > 1 ? ` ×${row.n} over ${Math.round(row.last.t - e.t)} ms` : '';
    const label = `${mark}${shortKind(e)}${count}`;
    const desc = row.n > 1 ? '' : describeEvent(e);
    // Label in its lane; the description continues to the right edge.
    const room = width - timeW - idx * colW;
    const text = clip(desc ? `${label}  ${desc}` : label, room);
    const labelPart = text.slice(0, Math.min(text.length, label.length));
    const descPart = text.slice(labelPart.length);
    const lvl = levelOf(e);
    const colored = lvl === 'error' ? chalk.red(labelPart) : lvl === 'warning' ? chalk.yellow(labelPart) : laneColor[lane](labelPart);
    const guides = LANES.slice(0, idx)
      .map(() => chalk.dim(pad('│', colW)))
      .join('');
    lines.push(`${chalk.dim(pad(relTime(e.t - t0), timeW))}${guides}${opts.highlight?.has(e) ? chalk.bold(colored) : colored}${chalk.dim(descPart)}`);
  }
  return lines.join('\n');
}
