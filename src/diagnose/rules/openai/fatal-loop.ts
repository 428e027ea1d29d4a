import { errorOf } from '../../timeline.js';
import type { Finding, OpenAIEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { OPENAI } from './codes.js';

/** Error codes no retry can fix: LiveKit's newer clients stop on them (livekit-agents 1.6.6, agents-js 1.6.0, GPT-Live). */
const FATAL_CODES = new Set(['invalid_api_key', 'insufficient_quota', 'account_deactivated', 'billing_hard_limit_reached']);
/** This many of the same fatal error is a loop, not a retry or two. */
const LOOP_AT = 3;
/** Two records of one error (the event and the plugin's line about it) are this close. */
const SAME_ERROR_MS = 50;

const hasEventId = (e: OpenAIEvent): boolean => typeof e.data.event['event_id'] === 'string';

/** The same fatal error again and again, with no unrecoverable-error record: an agent version that retries forever. */
export const fatalErrorLoop = defineRule({
  id: 'openai.fatal-error-loop',
  codes: [OPENAI.fatalErrorLoop],
  check(t) {
    // an agent that gave up (unrecoverable error, fatal record) is the fixed behaviour, however many retries came first
    if (t.events.some((e) => e.kind === 'agent.fatal' || (e.kind === 'agent.error' && e.data.recoverable === false))) return [];
    const out: Finding[] = [];
    const byCode = new Map<string, ReturnType<typeof t.openaiErrors>>();
    for (const e of t.openaiErrors()) {
      const code = errorOf(e)?.code;
      if (!code || !FATAL_CODES.has(code)) continue;
      const seen = byCode.get(code) ?? [];
      // a DEBUG log has each error twice within a few ms: the `<<<` event (with its event_id), then the
      // plugin's record of it (without); an agent looping fast logs distinct errors as close together
      const prev = seen.at(-1);
      const pair = prev !== undefined && e.t - prev.t <= SAME_ERROR_MS && hasEventId(prev) !== hasEventId(e);
      if (!pair) seen.push(e);
      byCode.set(code, seen);
    }
    for (const [errorCode, errs] of byCode) {
      if (errs.length < LOOP_AT) continue;
      const first = errs[0]!;
      const last = errs.at(-1)!;
      // each attempt: the plugin's "connection failed, retrying" line, or a new session.created
      const retries = t.ofKind('log.openai.connection-error').filter((c) => c.t >= first.t && c.t <= last.t && /retrying/i.test(c.data.message));
      const sessions = t.openai('session.created', 'server').filter((c) => c.t >= first.t && c.t <= last.t);
      const reconnects = Math.max(retries.length, sessions.length - 1, 0);
      out.push(report(OPENAI.fatalErrorLoop, { errorCode, count: errs.length, spanMs: last.t - first.t, reconnects }, [first, errs[1]!, last]));
    }
    return out;
  },
});
