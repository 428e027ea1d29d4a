/**
 * What a pre-connect user session adds to its trace before the rules run: the agent's log (windowed to
 * this session) and the transcript match that tells whether the buffered words reached the agent.
 * Shared by send-preconnect and smoke.
 */
import { wordRecall, words } from '../diagnose/text-match.js';
import type { TraceEvent } from '../diagnose/types.js';
import { inSessionWindow, parseLogFile } from './logs/index.js';
import { expectedBufferedText, type Sidecar } from './sidecar.js';

/** Consumed when at least this share of the buffered words is in the user's final transcript. */
export const RECALL_CONSUMED = 0.6;

/**
 * Reads an agent log and keeps what happened from shortly before `from` (same-host clocks), plus the
 * lines that describe the worker itself (framework, version). A worker's log spans many sessions.
 */
export async function agentLogEvents(file: string, from: number): Promise<{ events: TraceEvent[]; stats: Record<string, unknown> }> {
  const parsed = parseLogFile(file);
  const keep = inSessionWindow(from);
  const events: TraceEvent[] = [];
  let outside = 0;
  for await (const e of parsed) {
    if (keep(e)) events.push(e);
    else outside += 1;
  }
  return { events, stats: { ...parsed.stats, outsideWindow: outside } };
}

export interface PreconnectMatch {
  transcriptMatched?: boolean;
  /** Why the transcript cannot settle whether the buffer was used (then transcriptMatched is absent). */
  unsettled?: TranscriptUnsettled;
  expectedText: string | undefined;
  heard: string;
  recall: number | undefined;
  bufferedMs: number;
}

/**
 * short-buffer: the buffer held fewer words than a transcript can confirm (a fragment of the first
 * word is no evidence either way); unrecognised: the user's speech came back as an unrecognised item,
 * which may hold the buffered words.
 */
export type TranscriptUnsettled = 'short-buffer' | 'unrecognised';

/** A transcript can settle the verdict only for a buffer that held at least this many words (of > 2 letters). */
export const MIN_SETTLING_WORDS = 3;
/** How the simulator (and lkdiag's docs) mark speech it could not transcribe. */
const UNRECOGNISED = /\[unrecognized speech/i;

/** ctx.preconnect for the rules: the buffered words (from the sidecar) against the user's final transcript. */
export function preconnectMatch(events: readonly TraceEvent[], sidecar: Sidecar | undefined, bufferedSpeechMs: number): PreconnectMatch {
  const expectedText = sidecar ? expectedBufferedText(sidecar, bufferedSpeechMs) : undefined;
  const heard = events
    // the room's lk.transcription and the session's userInputTranscribed (source room / session; not the agent log's)
    .filter((e): e is TraceEvent<'user.transcript'> => e.kind === 'user.transcript' && (e.source === 'room' || e.source === 'session') && e.data.final === true)
    .map((e) => e.data.transcript ?? '')
    .join(' ');
  const base = { expectedText, heard, bufferedMs: bufferedSpeechMs };
  if (sidecar && bufferedSpeechMs > 0 && words(expectedText ?? '').filter((w) => w.length > 2).length < MIN_SETTLING_WORDS) {
    return { ...base, recall: undefined, unsettled: 'short-buffer' };
  }
  const recall = expectedText && heard ? wordRecall(expectedText, heard) : undefined;
  if (recall === undefined) return { ...base, recall };
  // Consumed when most of the buffered words are in the user's final transcript (fuzzy, order-free).
  if (recall >= RECALL_CONSUMED) return { ...base, recall, transcriptMatched: true };
  if (UNRECOGNISED.test(heard)) return { ...base, recall, unsettled: 'unrecognised' };
  return { ...base, recall, transcriptMatched: false };
}
