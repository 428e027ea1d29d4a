import { responseOf } from '../../timeline.js';
import { defineRule, report } from '../kit.js';
import { cancelledNothing } from '../cancel-effect.js';
import { replySigns, sessionItems, speechCancels } from '../queries.js';
import { PRECONNECT } from './codes.js';
import { facts } from './facts.js';

/** How long after the buffer a cancelled first reply still counts as the reply to it. */
const FIRST_REPLY_WINDOW_MS = 30_000;

/** The reply to the buffered words was cancelled when live speech reached the model. */
export const interrupted = defineRule({
  id: 'preconnect.interrupted',
  codes: [PRECONNECT.interruptedByLiveAudio],
  check(t) {
    const f = facts(t);
    const anchor = f.pushed ?? f.received ?? f.closed;
    if (!anchor) return [];
    const completedBefore = (at: number) =>
      t.openai('response.done', 'server').some((d) => d.t > anchor.t && d.t < at && responseOf(d)?.status === 'completed') ||
      sessionItems(t).some((i) => i.t > anchor.t && i.t < at && i.data.role === 'assistant' && i.data.interrupted !== true);
    const c = speechCancels(t).find((c) => {
      if (c.cancel.t < anchor.t || c.cancel.t - anchor.t > FIRST_REPLY_WINDOW_MS) return false;
      if (completedBefore(c.cancel.t)) return false; // an earlier reply to the buffer was spoken
      if (cancelledNothing(t, c)) return false; // rejected, or no response to cancel (1.0–1.3's bare cancel)
      // The speech that cancelled it is the live audio: after the reply to the buffer had started.
      const replyStart = c.created?.t ?? replySigns(t).find((r) => r.t >= anchor.t && r.t <= c.speech.t + 50)?.t;
      return c.speech.t >= (replyStart ?? anchor.t) - 50;
    });
    if (!c) return [];
    const live = t.first('client.live.started');
    const data = {
      anchorKind: anchor.kind,
      ...(c.created ? { createdAfterMs: c.created.t - anchor.t } : {}),
      ...(live ? { liveAfterMs: live.t - anchor.t } : {}),
      speechAfterMs: c.speech.t - anchor.t,
      speechKind: c.speech.kind,
      gapMs: c.gapMs,
      how: c.how,
      audioBefore: c.audioBefore,
    };
    const evidence = [
      anchor,
      ...(c.created ? [c.created] : []),
      ...(live ? [live] : []),
      c.speech,
      c.cancel,
      ...(c.done && c.done !== c.cancel ? [c.done] : []),
    ];
    return [report(PRECONNECT.interruptedByLiveAudio, data, [...new Set(evidence)])];
  },
});
