import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { OPENAI } from './codes.js';

/** Text answers in an audio session, from the plugin's own warnings, and how its recovery ended (livekit-agents 1.0.14–1.1). */
export const textOnly = defineRule({
  id: 'openai.text-only',
  codes: [OPENAI.textOnlyResponse, OPENAI.textOnlyRecoveryFailed],
  check(t) {
    const out: Finding[] = [];
    const answers = t.ofKind('log.openai.text-in-audio');
    const recovery = t.ofKind('log.openai.text-only-recovery');
    const last = recovery.at(-1);
    const gaveUp = recovery.filter((e) => e.data.outcome === 'failed' || e.data.outcome === 'cancelled');
    if (gaveUp.length > 0) {
      const g = gaveUp.at(-1)!;
      out.push(
        report(
          OPENAI.textOnlyRecoveryFailed,
          { count: answers.length, recovery: g.data.outcome, ...(g.data.retries !== undefined ? { retries: g.data.retries } : {}) },
          [...answers.slice(0, 1), g],
        ),
      );
    } else if (answers.length > 0 || last) {
      out.push(
        report(
          OPENAI.textOnlyResponse,
          {
            count: Math.max(answers.length, 1),
            ...(last ? { recovery: last.data.outcome } : {}),
            ...(last?.data.retries !== undefined ? { retries: last.data.retries } : {}),
          },
          [...answers.slice(0, 2), ...(last ? [last] : [])],
        ),
      );
    }
    return out;
  },
});

/** A second message item of a response dropped by an agent that plays only one (Realtime-2 preambles). */
export const onlyFirstMessage = defineRule({
  id: 'openai.only-first-message',
  codes: [OPENAI.onlyFirstMessagePlayed],
  check(t) {
    const dropped = t.ofKind('log.openai.extra-message-dropped');
    return dropped.length ? [report(OPENAI.onlyFirstMessagePlayed, { count: dropped.length }, dropped.slice(0, 3))] : [];
  },
});
