import { ERROR_CORRELATION, GENERATE_REPLY, TRUNCATE_ZERO, atLeast } from '../../../facts/versions.js';
import { isOpenAIEvent } from '../../../events/index.js';
import type { Finding, FindingMeta, RuleContext, TraceEvent } from '../../types.js';
import { dataOf, report } from '../kit.js';
import { OPENAI } from './codes.js';

/** What each --check expects to see, and what proving it means for a LiveKit agent. */
interface CheckSpec {
  code: FindingMeta;
  /** Whether a finding of that code is the expected failure (default: any is). */
  proves?(f: Finding): boolean;
  proven: string;
}

const CHECKS: Readonly<Record<string, CheckSpec>> = {
  'double-response': {
    code: OPENAI.activeResponseConflict,
    proven: `Proven: a second response.create while one is active is rejected at once with conversation_already_has_active_response. In a LiveKit agent this is the server-VAD auto-response racing generate_reply; livekit-agents ${ERROR_CORRELATION.pyGap} report it only as "generate_reply timed out" after ${GENERATE_REPLY.timeoutMs / 1000} s.`,
  },
  'truncate-zero': {
    code: OPENAI.truncateRejected,
    proven: `Proven: truncating an assistant item at audio_end_ms=0 before its first audio delta is rejected ("Only model output audio messages can be truncated"). A LiveKit agent does exactly this on a barge-in before playback starts unless it runs livekit-agents ${atLeast(TRUNCATE_ZERO.pyFixed)} / agents-js plugin ${atLeast(TRUNCATE_ZERO.jsFixed)}.`,
  },
  'barge-in': {
    code: OPENAI.responseCancelled,
    proves: (f) => dataOf(f, OPENAI.responseCancelled)?.reason === 'turn_detected',
    proven:
      'Proven: user speech during a response makes server VAD (interrupt_response=true) cancel it with reason turn_detected. A LiveKit agent hears nothing back when echo or noise does this; interrupt_response=False or echo cancellation prevents it.',
  },
};

/** A --check run: the expected failure is proof (info); its absence is a warning. */
export function applyCheck(findings: Finding[], ctx: RuleContext, events: readonly TraceEvent[]): Finding[] {
  const spec = ctx.check && Object.hasOwn(CHECKS, ctx.check) ? CHECKS[ctx.check] : undefined;
  if (!ctx.check || !spec) return findings;
  const expected = findings.filter((f) => f.code === spec.code.code && (spec.proves?.(f) ?? true));
  const rest = findings.filter((f) => !expected.includes(f));
  if (expected.length === 0) {
    return [
      ...rest,
      report(
        OPENAI.checkNotReproduced,
        { check: ctx.check, expected: spec.code.code },
        events.filter((e) => isOpenAIEvent(e) && e.data.direction === 'server').slice(-5),
      ),
    ];
  }
  const first = expected[0]!;
  return [{ ...first, severity: 'info', title: `Reproduced: ${first.title}`, detail: `${spec.proven}\n${first.detail}` }, ...rest];
}
