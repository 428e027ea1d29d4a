import { responseOf } from '../../timeline.js';
import type { TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { cancelledNothing } from '../cancel-effect.js';
import { fromAgentSession, speechCancels } from '../queries.js';
import { AGENT, type SpeechSeenBy } from './codes.js';

const seenBy = (e: TraceEvent): SpeechSeenBy => (e.kind.startsWith('openai.') ? 'vad' : e.kind === 'user.state' && fromAgentSession(e) ? 'session' : 'log');

export const cancelledByUserSpeech = defineRule({
  id: 'agent.cancelled-by-user-speech',
  codes: [AGENT.responseCancelledByUserSpeech],
  check(t) {
    // A cancel that cancelled nothing (1.0–1.3's bare cancel on every speech_started) is no interruption.
    return speechCancels(t)
      .filter((c) => !cancelledNothing(t, c))
      .map((c) => {
        const rid = c.created ? responseOf(c.created)?.id : undefined;
        const heard = c.audioBefore ? 'part' : c.created || c.how !== 'interrupted-item' ? 'nothing' : 'unknown';
        const evidence = [
          c.speech,
          ...(c.created && c.created.t < c.speech.t ? [c.created] : []),
          c.cancel,
          ...(c.done && c.done !== c.cancel ? [c.done] : []),
        ];
        return report(
          AGENT.responseCancelledByUserSpeech,
          { how: c.how, gapMs: c.gapMs, speech: seenBy(c.speech), ...(rid ? { responseId: rid } : {}), heard },
          evidence,
          c.audioBefore ? { severity: 'info' } : {},
        );
      });
  },
});
