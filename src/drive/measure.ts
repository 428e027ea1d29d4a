/**
 * Per-turn measurements of a drive session: pure functions of its events (no I/O, no clock).
 * A turn is one scripted utterance (say or barge_in); its window runs from its end to the start of the
 * next one. Times are lkdiag's own: the user's speech end is exact (lkdiag sent it), the agent's audio is
 * timed when it plays out.
 */
import type { TraceEvent } from '../events/index.js';
import { percentile } from '../smoke/stats.js';
import type { StepStats } from '../report/report.js';

export interface DriveTurn {
  index: number;
  file: string;
  bargeIn: boolean;
  /** End of the user's speech → the first agent audio frame with energy after it. */
  heardLatencyMs?: number;
  answered: boolean;
  /** Agent audio played in this turn's window (segments that started in it). */
  agentSpeechMs: number;
  /** Barge-in turns: the interruption start → audio_playback_clear, or the end of the agent's audio. */
  yieldMs?: number;
  yieldedBy?: 'clear' | 'end-of-audio';
  /** Barge-in turns: how long user and agent spoke at once. */
  overlapMs?: number;
  falseInterruptions: number;
}

type Ev<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

interface Segment {
  index: number;
  start: number;
  end?: number;
  playedMs: number;
  cleared: boolean;
}

const r = (v: number) => Math.round(v);

function segments(events: readonly TraceEvent[]): Segment[] {
  const out = new Map<number, Segment>();
  for (const e of events) {
    if (e.kind === 'drive.agent.audio-started') out.set(e.data.segment, { index: e.data.segment, start: e.t, playedMs: 0, cleared: false });
  }
  for (const e of events) {
    if (e.kind !== 'drive.playout.finished' && e.kind !== 'drive.playout.cleared') continue;
    const s = out.get(e.data.segment);
    if (!s || s.end !== undefined) continue;
    s.end = e.t;
    s.playedMs = e.data.playedMs;
    s.cleared = e.kind === 'drive.playout.cleared';
  }
  return [...out.values()].sort((a, b) => a.start - b.start);
}

function yieldOf(start: number, end: number, segs: readonly Segment[]): Pick<DriveTurn, 'yieldMs' | 'yieldedBy' | 'overlapMs'> {
  const playing = segs.find((s) => s.start < start && (s.end === undefined || s.end > start));
  if (!playing || playing.end === undefined) return {};
  return {
    yieldMs: r(playing.end - start),
    yieldedBy: playing.cleared ? 'clear' : 'end-of-audio',
    overlapMs: r(Math.max(0, Math.min(playing.end, end) - start)),
  };
}

/** The turns of a session, in order. */
export function driveTurns(events: readonly TraceEvent[]): DriveTurn[] {
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const starts = sorted.filter((e): e is Ev<'drive.user.speech-started'> => e.kind === 'drive.user.speech-started');
  const ends = new Map(sorted.filter((e): e is Ev<'drive.user.speech-ended'> => e.kind === 'drive.user.speech-ended').map((e) => [e.data.turn, e.t]));
  const segs = segments(sorted);
  const falses = sorted.filter((e) => e.kind === 'agent.false-interruption');
  return starts.map((s, i) => {
    const end = ends.get(s.data.turn) ?? s.t + s.data.durationMs;
    const next = starts[i + 1]?.t ?? Number.POSITIVE_INFINITY;
    const inWindow = segs.filter((g) => g.start >= end && g.start < next);
    const heard = inWindow[0];
    return {
      index: s.data.turn,
      file: s.data.file,
      bargeIn: s.data.bargeIn,
      ...(heard ? { heardLatencyMs: r(heard.start - end) } : {}),
      answered: heard !== undefined,
      agentSpeechMs: r(inWindow.reduce((sum, g) => sum + g.playedMs, 0)),
      ...(s.data.bargeIn ? yieldOf(s.t, end, segs) : {}),
      falseInterruptions: falses.filter((f) => f.t >= s.t && f.t < next).length,
    };
  });
}

export const DRIVE_TIMINGS = ['heardLatencyMs', 'yieldMs', 'agentSpeechMs', 'overlapMs'] as const;

/** p50/p95/min/max of each timing over the turns that measured it. */
export function driveStats(turns: readonly DriveTurn[]): StepStats[] {
  return DRIVE_TIMINGS.map((name): StepStats => {
    const relevant = name === 'yieldMs' || name === 'overlapMs' ? turns.filter((t) => t.bargeIn) : turns;
    const values = relevant
      .map((t) => t[name])
      .filter((v): v is number => typeof v === 'number')
      .sort((a, b) => a - b);
    const opt = (k: string, v: number | null | undefined) => (v === null || v === undefined ? {} : { [k]: v });
    return {
      name,
      n: values.length,
      ...opt('p50', percentile(values, 50)),
      ...opt('p95', percentile(values, 95)),
      ...opt('min', values[0]),
      ...opt('max', values.at(-1)),
      failures: relevant.length - values.length,
    };
  });
}
