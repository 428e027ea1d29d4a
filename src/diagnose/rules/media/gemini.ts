import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { GEMINI } from './codes.js';

/** Gemini Live sessions the plugin could not open, handshakes that timed out, GoAway notices. */
export const geminiSession = defineRule({
  id: 'media.gemini-session',
  codes: [GEMINI.connectFailed, GEMINI.handshakeTimeout, GEMINI.goAway],
  check(t) {
    const out: Finding[] = [];
    const failed = t.ofKind('log.gemini.connect-failed');
    const final = failed.find((e) => e.data.final);
    if (final) {
      const retries = failed.filter((e) => !e.data.final && e.t <= final.t);
      const closed = t.ofKind('log.gemini.closed').find((e) => e.t <= final.t);
      out.push(
        report(
          GEMINI.connectFailed,
          {
            retries: retries.length,
            ...(final.data.attempts !== undefined ? { attempts: final.data.attempts } : {}),
            ...(closed ? { closedWith: closed.data.code } : {}),
          },
          [...(closed ? [closed] : []), ...retries.slice(-2), final],
        ),
      );
    }
    const handshake = t.ofKind('log.gemini.handshake-timeout');
    if (handshake.length > 0) out.push(report(GEMINI.handshakeTimeout, {}, handshake.slice(0, 3)));
    const goAway = t.ofKind('log.gemini.go-away');
    if (goAway.length > 0) {
      const timeLeft = goAway[0]!.data.timeLeft;
      out.push(report(GEMINI.goAway, { count: goAway.length, ...(timeLeft ? { timeLeft } : {}) }, goAway.slice(0, 3)));
    }
    return out;
  },
});
