/**
 * livekit-plugins-google's Gemini Live (realtime) wordings, as its realtime_api.py logs them
 * (livekit/plugins/google/beta/realtime/ in livekit-agents 1.0–1.2, google/realtime/ from 1.3 on):
 *   `Gemini Realtime API error: {e}` (every version; 1.5+ may append a 1008 hint) with `exc_info`,
 *   `error in receive task: {e}`, `Gemini Realtime API connection failed, retrying in {s}s` (1.2+),
 *   `APIConnectionError("Failed to connect to Gemini Live[ after N attempts]")` raised when it gives up,
 *   `Gemini server indicates disconnection soon. Time left: {t}` (GoAway, every version).
 * A close code Google sent (`received 1007 (invalid frame payload data) …`) is read from any of them.
 */
import type { Extras, Rule } from '../table-kit.js';
import { num } from '../table-kit.js';

const CLOSED = /(?:^|: )received (1007|1008|1011) \([^)]*\)\s*([^;\n]*)/;
const HANDSHAKE = /timed out during opening handshake/;

const closed = (m: RegExpExecArray | null): Extras<'log.gemini.closed'> => ({
  code: Number(m?.[1]) as 1007 | 1008 | 1011,
  reason: (m?.[2] ?? '').trim(),
});

export const GEMINI_TABLE: Rule[] = [
  // the close code, whichever of the plugin's error lines carries it
  {
    kind: 'log.gemini.closed',
    re: /^(?:Gemini Realtime API error|error in receive task|error in send task): received (1007|1008|1011) \([^)]*\)\s*([^;\n]*)/,
    extras: (_r, m) => closed(m),
  },
  { kind: 'log.gemini.handshake-timeout', re: /^Gemini Realtime API error: timed out during opening handshake/ },
  {
    kind: 'log.gemini.connect-failed',
    re: /^Gemini Realtime API connection failed, retrying in ([\d.]+)s/,
    extras: (r, m) => ({ final: false, retryInS: num(m?.[1]), attempts: num(r.extras['attempt']), reason: 'connection failed, retrying' }),
  },
  {
    kind: 'log.gemini.connect-failed',
    re: /(?:^|APIConnectionError: )(Failed to connect to Gemini Live(?: after (\d+) attempts)?)/,
    extras: (_r, m) => ({ final: true, attempts: num(m?.[2]), reason: m?.[1] }),
  },
  {
    kind: 'log.gemini.go-away',
    re: /^Gemini server indicates disconnection soon\. Time left: (.*)$/,
    extras: (_r, m) => ({ timeLeft: m?.[1]?.trim() || undefined }),
  },
];

/** A Gemini fact in a traceback (the record's message is another: `Error in _main_task`, `error in task …`). */
export type GeminiTracebackFact =
  | { kind: 'log.gemini.closed'; extras: Extras<'log.gemini.closed'> }
  | { kind: 'log.gemini.handshake-timeout'; extras: Extras<'log.gemini.handshake-timeout'> }
  | { kind: 'log.gemini.connect-failed'; extras: Extras<'log.gemini.connect-failed'> };

/** Whether the text is Gemini's: its plugin's paths, its client library, its words. */
const IS_GEMINI = /gemini|plugins[\\/]google|google[\\/.]genai/i;

export function geminiTracebackFact(text: string): GeminiTracebackFact | undefined {
  if (!IS_GEMINI.test(text)) return undefined;
  const c = CLOSED.exec(text) ?? /received (1007|1008|1011) \([^)]*\)\s*([^;\n]*)/.exec(text);
  if (c) return { kind: 'log.gemini.closed', extras: closed(c) };
  if (HANDSHAKE.test(text)) return { kind: 'log.gemini.handshake-timeout', extras: {} };
  const f = /(?:^|\n)[\w.]*APIConnectionError: (Failed to connect to Gemini Live(?: after (\d+) attempts)?)/.exec(text);
  if (f) return { kind: 'log.gemini.connect-failed', extras: { final: true, attempts: num(f[2]), reason: f[1] } };
  return undefined;
}
