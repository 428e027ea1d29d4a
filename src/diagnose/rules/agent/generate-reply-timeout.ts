import semver from 'semver';
import { GENERATE_REPLY } from '../../../facts/versions.js';
import { str } from '../../../format/index.js';
import { errorOf, responseOf, type Timeline } from '../../timeline.js';
import type { Finding, OpenAIEvent, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { agentStates, clientEventIdOf, replySigns } from '../queries.js';
import { AGENT, type MissingEvidence, type TimeoutCause } from './codes.js';

type Create = OpenAIEvent<'response.create'>;
const { timeoutMs: TIMEOUT_MS, oldTimeoutMs: OLD_TIMEOUT_MS } = GENERATE_REPLY;
/** The code's title says "timed out": not what a version without a timeout does. */
const UNTIMED_TITLE = 'generate_reply waited on its response.created: this agents-js version has no timeout';

/** Why a generate_reply (failing at `at`, waiting since `create` when known) timed out. */
function timeoutCauses(t: Timeline, at: number, create: Create | undefined): { causes: TimeoutCause[]; evidence: TraceEvent[] } {
  const causes: TimeoutCause[] = [];
  const evidence: TraceEvent[] = [];
  const from = create ? create.t - 2_000 : at - TIMEOUT_MS - 2_000;
  // (a) socket not up / reconnecting
  const near = (e: TraceEvent) => e.t >= from - 5_000 && e.t <= at;
  const errs = t.ofKind('log.openai.connection-error').filter(near);
  const connecting = t.ofKind('log.openai.connecting').filter(near);
  const conn = t.events.filter((e) => (e.kind === 'log.openai.connection-error' || e.kind === 'log.openai.connecting') && near(e));
  if (errs.length > 0 || connecting.length > 1 || (conn.length > 0 && !create)) {
    causes.push({ kind: 'socket', errors: errs.length, firstError: errs[0]?.data.message ?? '' });
    evidence.push(...conn);
  }
  if (create) {
    const id = create.data.event.event_id;
    const cid = clientEventIdOf(create);
    // (b) rejected: a response was already active
    const rejected = t
      .openaiErrors('conversation_already_has_active_response')
      .find((e) => (id && errorOf(e)?.event_id === id) || (e.t >= create.t && e.t <= create.t + 2_000));
    if (rejected) {
      const auto = t
        .openai('response.created', 'server')
        .filter((c) => c.t <= create.t && c.t >= create.t - 15_000 && !responseOf(c)?.metadata)
        .at(-1);
      causes.push({
        kind: 'rejected',
        afterMs: rejected.t - create.t,
        ...(auto ? { auto: { responseId: responseOf(auto)?.id ?? '', beforeMs: create.t - auto.t } } : {}),
      });
      if (auto) evidence.push(auto);
      evidence.push(rejected);
    }
    const createds = t.openai('response.created', 'server').filter((c) => c.t >= create.t);
    const echoed = cid !== undefined ? createds.find((c) => responseOf(c)?.metadata?.['client_event_id'] === cid) : undefined;
    // (c) slow server
    if (echoed && echoed.t - create.t > OLD_TIMEOUT_MS) {
      causes.push({ kind: 'slow', afterMs: echoed.t - create.t, afterGaveUp: echoed.t > at });
      evidence.push(echoed);
    }
    // (d) no metadata echo
    const unmatched =
      cid !== undefined && !echoed ? createds.find((c) => c.t <= at + 1_000 && responseOf(c)?.metadata?.['client_event_id'] !== cid) : undefined;
    if (unmatched && cid !== undefined && !rejected) {
      causes.push({ kind: 'unmatched', afterMs: unmatched.t - create.t, clientEventId: cid, got: JSON.stringify(responseOf(unmatched)?.metadata ?? null) });
      evidence.push(unmatched);
    }
    // (e) the old 5 s timeout
    const waited = at - create.t;
    if (waited >= OLD_TIMEOUT_MS - 500 && waited <= OLD_TIMEOUT_MS + 1_500) causes.push({ kind: 'old-timeout', waitedMs: waited });
  }
  const late = t.ofKind('log.openai.late-response').find((e) => e.t >= at - 500 && e.t <= at + 60_000);
  if (late) {
    if (!causes.some((c) => c.kind === 'slow')) causes.push({ kind: 'late-discard' });
    evidence.push(late);
  }
  return { causes, evidence };
}

function missingEvidence(t: Timeline, create: Create | undefined): MissingEvidence {
  if (!t.has('openai.response.create') && !t.openai().length) return 'no-realtime';
  if (!create) return 'no-create';
  return 'nothing-found';
}

/**
 * The @livekit/agents version the log names ("starting worker" version: log.framework), when it is one whose
 * plugin has no generateReply timeout at all (before GR.jsSince: the plugin ships in lockstep with the agents package).
 */
export function untimedNodeVersion(t: Timeline): string | undefined {
  const v = t
    .ofKind('log.framework')
    .map((e) => (e.data.framework === 'node' ? semver.valid(semver.coerce(e.data.version ?? '')) : null))
    .find((x): x is string => typeof x === 'string');
  return v !== undefined && semver.lt(v, GENERATE_REPLY.jsSince) ? v : undefined;
}

export const generateReplyTimeout = defineRule({
  id: 'agent.generate-reply-timeout',
  codes: [AGENT.generateReplyTimeout],
  check(t) {
    const out: Finding[] = [];
    const creates = t.openai('response.create', 'client');
    const covered = new Set<Create>();
    // The response.create a failure at `at` waited for: the one ~10 s (or ~5 s) before it, else the latest before it.
    const createFor = (at: number) => {
      const within = creates.filter((c) => c.t <= at + 50 && c.t >= at - TIMEOUT_MS - 1_500);
      const fits = (c: Create) => [TIMEOUT_MS, OLD_TIMEOUT_MS].some((b) => Math.abs(at - c.t - b) <= 1_500);
      return within.find(fits) ?? within.at(-1);
    };
    // 1. The agent said so.
    for (const e of t.ofKind('agent.generate-reply-failed')) {
      const inner = str(e.data.inner ?? e.data.message);
      if (e.data.timeout !== true && !/timed out/i.test(inner)) continue;
      const create = createFor(e.t);
      if (create) covered.add(create);
      const { causes, evidence } = timeoutCauses(t, e.t, create);
      const data = {
        via: 'logged' as const,
        message: str(e.data.message) || inner,
        ...(create ? { createBeforeMs: e.t - create.t } : {}),
        causes,
        missing: missingEvidence(t, create),
      };
      out.push(report(AGENT.generateReplyTimeout, data, [...(create ? [create] : []), ...evidence, e]));
    }
    // 2. The Realtime events alone: a generate_reply request (metadata.client_event_id) never matched within 10 s.
    const end = t.end ?? 0;
    const untimed = untimedNodeVersion(t);
    for (const create of creates) {
      if (covered.has(create)) continue;
      const cid = clientEventIdOf(create);
      if (cid === undefined) continue;
      const at = create.t + TIMEOUT_MS;
      if (end < at) continue;
      const echoed = t.openai('response.created', 'server').find((c) => c.t >= create.t && responseOf(c)?.metadata?.['client_event_id'] === cid);
      if (echoed && echoed.t <= at) continue;
      const cancelled = t.openai('response.cancel', 'client').some((c) => c.t > create.t && c.t < at);
      if (cancelled) continue;
      const { causes, evidence } = timeoutCauses(t, at, create);
      const rejected = t.openaiErrors().some((e) => errorOf(e)?.event_id === create.data.event.event_id);
      if (untimed !== undefined) {
        // no timeout in this version: a late response.created is a slow reply, a rejected create a reply that waits on
        const data = {
          via: 'untimed' as const,
          version: untimed,
          clientEventId: cid,
          rejected,
          ...(echoed ? { createdAfterMs: echoed.t - create.t } : {}),
          causes,
        };
        const f = report(AGENT.generateReplyTimeout, data, [create, ...(echoed && !evidence.includes(echoed) ? [echoed] : []), ...evidence], {
          severity: 'warning',
        });
        f.title = UNTIMED_TITLE;
        out.push(f);
        continue;
      }
      out.push(
        report(AGENT.generateReplyTimeout, { via: 'inferred', rejected, clientEventId: cid, causes, missing: missingEvidence(t, create) }, [
          create,
          ...evidence,
        ]),
      );
    }
    // 3. Room/session only: thinking → listening about 10 s (or 5 s) later with nothing spoken.
    if (out.length === 0 && !t.openai().length && !t.has('agent.generate-reply-failed') && untimed === undefined) {
      const states = agentStates(t);
      for (let i = 0; i < states.length; i++) {
        const a = states[i]!;
        if (a.data.to !== 'thinking') continue;
        const b = states.slice(i + 1).find((s) => s.source === a.source && s.data.to !== 'thinking');
        if (b?.data.to !== 'listening') continue;
        const gap = b.t - a.t;
        const near = (target: number) => Math.abs(gap - target) <= 1_000;
        if (!near(TIMEOUT_MS) && !near(OLD_TIMEOUT_MS)) continue;
        const spoke = replySigns(t).some((e) => e.t > a.t && e.t < b.t);
        if (spoke) continue;
        out.push(report(AGENT.generateReplyTimeout, { via: 'states', gapMs: gap, old: near(OLD_TIMEOUT_MS) }, [a, b]));
      }
    }
    return out;
  },
});
