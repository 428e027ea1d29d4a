import type { Timeline } from '../../timeline.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { LIVE } from './codes.js';

/** The codes (or types) livekit-agents 1.8.9 treats as fatal (gpt_live.py _FATAL_ERROR_CODES, :63-72). */
const FATAL = new Set(['insufficient_quota', 'credit_balance_exhausted', 'invalid_api_key', 'account_deactivated', 'billing_hard_limit_reached', 'forbidden']);
const REFUSED = 'function_call_outputs_required';

interface Err {
  code: string;
  type?: string;
  message: string;
  param?: string;
  ev: TraceEvent;
}

/** Every GPT-Live error, from the wire or the plugin's log. */
function errorsOf(t: Timeline): Err[] {
  const wire = t.ofKind('live.error').map((e) => ({
    code: e.data.code ?? e.data.type ?? 'error',
    ...(e.data.type ? { type: e.data.type } : {}),
    message: e.data.message,
    ...(e.data.param ? { param: e.data.param } : {}),
    ev: e as TraceEvent,
  }));
  const log = t.ofKind('log.live.error').map((e) => ({
    code: e.data.code ?? e.data.type ?? 'error',
    ...(e.data.type ? { type: e.data.type } : {}),
    message: e.data.errorMessage ?? e.data.message,
    ...(e.data.param ? { param: e.data.param } : {}),
    ev: e as TraceEvent,
  }));
  return [...wire, ...log];
}

const isVoice = (e: Err): boolean => /voice/i.test(e.param ?? '') || /\bvoice\b/i.test(e.message);

/** Forbidden voice, the other fatal errors, and recoverable errors (the refused continuation has its own rule). */
export const liveErrors = defineRule({
  id: 'live.errors',
  codes: [LIVE.forbiddenVoice, LIVE.fatalError, LIVE.error],
  check(t) {
    const out: Finding[] = [];
    const errors = errorsOf(t).filter((e) => e.code !== REFUSED);
    const voice = t.ofKind('live.client').find((e) => e.data.type === 'session.start')?.data.voice;
    const forbidden = errors.filter((e) => e.code === 'forbidden' && isVoice(e));
    if (forbidden[0])
      out.push(report(LIVE.forbiddenVoice, { ...(voice ? { voice } : {}), message: forbidden[0].message }, forbidden.map((e) => e.ev).slice(0, 3)));
    const fatal = errors.filter((e) => !forbidden.includes(e) && (FATAL.has(e.code) || (e.type !== undefined && FATAL.has(e.type))));
    for (const code of new Set(fatal.map((e) => e.code))) {
      const first = fatal.find((e) => e.code === code)!;
      out.push(
        report(
          LIVE.fatalError,
          { code, message: first.message, ...(first.param ? { param: first.param } : {}) },
          fatal
            .filter((e) => e.code === code)
            .map((e) => e.ev)
            .slice(0, 3),
        ),
      );
    }
    const other = errors.filter((e) => !forbidden.includes(e) && !fatal.includes(e));
    for (const code of new Set(other.map((e) => e.code))) {
      const first = other.find((e) => e.code === code)!;
      out.push(
        report(
          LIVE.error,
          { code, message: first.message, ...(first.param ? { param: first.param } : {}) },
          other
            .filter((e) => e.code === code)
            .map((e) => e.ev)
            .slice(0, 3),
        ),
      );
    }
    return out;
  },
});

/** A continuation refused (function_call_outputs_required), or sent with a call open and never answered. */
export const liveContinuation = defineRule({
  id: 'live.continuation',
  codes: [LIVE.continuationRefused, LIVE.continuationDeadlock],
  check(t) {
    const out: Finding[] = [];
    const refused = errorsOf(t).filter((e) => e.code === REFUSED);
    if (refused[0]) {
      const ids = [...new Set(refused.flatMap((e) => e.message.match(/\bcall_[A-Za-z0-9_-]+/g) ?? []))];
      out.push(report(LIVE.continuationRefused, { openCalls: ids }, refused.map((e) => e.ev).slice(0, 3)));
    }
    const early = t.ofKind('live.client').filter((e) => e.data.type === 'response.create' && (e.data.openCalls?.length ?? 0) > 0);
    for (const rc of early) {
      const answered = t.ofKind('live.response.event').some((e) => e.t >= rc.t) || t.ofKind('live.error').some((e) => e.t >= rc.t);
      if (answered) continue;
      const timeout = t.ofKind('probe.timeout').find((e) => e.data.step === 'continuation' && e.t >= rc.t);
      out.push(report(LIVE.continuationDeadlock, { openCalls: rc.data.openCalls ?? [] }, [rc, ...(timeout ? [timeout] : [])]));
      break;
    }
    return out;
  },
});
