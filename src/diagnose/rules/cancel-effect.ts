import { responseOf, type Timeline } from '../timeline.js';
import type { SpeechCancel } from './queries.js';

/** How long after a response.cancel the API's answer to it (an error, or the cancelled response.done) still counts. */
const CANCEL_ANSWER_MS = 5_000;
/** How far before a cancel the log must show a response for its silence to mean "no response active". */
const SHOWN_AROUND_MS = 30_000;

/**
 * Whether a client response.cancel provably cancelled nothing. livekit-agents 1.0–1.3 send a bare
 * `response.cancel` on every input speech_started, also when no response is active; the API answers
 * `response_cancel_not_active` ("Cancellation failed: no active response found"). Such a cancel is no
 * interruption. It cancelled nothing when:
 * - the response it could target completed, or
 * - no response was active at that time, and the API rejected it with response_cancel_not_active, or no
 *   response in flight (its response.created not yet seen) ended cancelled after it (before the next cancel).
 * A targeted response that ended cancelled is an interruption even when the cancel itself was rejected: the
 * server's turn detection cancelled it first, on the same speech. Only a log that shows the server's Realtime
 * responses around the cancel can settle it; anything else is kept.
 */
export function cancelledNothing(t: Timeline, c: SpeechCancel): boolean {
  if (c.how !== 'client-cancel') return false;
  if (c.done) return responseOf(c.done)?.status === 'completed';
  if (c.created) return false;
  const at = c.cancel.t;
  const next = t
    .openai('response.cancel', 'client')
    .filter((x) => x.t > at)
    .at(0);
  const until = Math.min(at + CANCEL_ANSWER_MS, next ? next.t : Number.POSITIVE_INFINITY);
  if (t.openaiErrors('response_cancel_not_active').some((e) => e.t >= at && e.t <= until)) return true;
  // Only a log that shows the server's responses around the cancel settles it (not an excerpt without them).
  const near = (e: { t: number }) => e.t >= at - SHOWN_AROUND_MS && e.t <= at + CANCEL_ANSWER_MS;
  if (!t.openai('response.created', 'server').some(near) && !t.openai('response.done', 'server').some(near)) return false;
  // No response the timeline shows as active: did one in flight end cancelled after it?
  return !t.openai('response.done', 'server').some((d) => d.t >= at && d.t <= until && responseOf(d)?.status === 'cancelled');
}
