import { GENERATE_REPLY } from '../../../facts/versions.js';
import { errorOf, responseOf, type Timeline } from '../../timeline.js';
import type { Finding, OpenAIEvent } from '../../types.js';
import { clientEventIdOf } from '../queries.js';
import { defineRule, report } from '../kit.js';
import { OPENAI } from './codes.js';
import { untimedNodeVersion } from '../agent/generate-reply-timeout.js';

/** Pairs each client response.create with the response.created it got (by the metadata echo, else the next one). */
function pairResponses(
  t: Timeline,
): Array<{ create: OpenAIEvent<'response.create'>; id?: string; created?: OpenAIEvent<'response.created'>; echoed: boolean; rejected?: OpenAIEvent<'error'> }> {
  const creates = t.openai('response.create', 'client');
  const createds = t.openai('response.created', 'server');
  const errs = t.openaiErrors();
  return creates.map((create, i) => {
    const cid = clientEventIdOf(create);
    const rejected = errs.find((e) => errorOf(e)?.event_id === create.data.event.event_id);
    const echoedMatch = cid ? createds.find((c) => responseOf(c)?.metadata?.['client_event_id'] === cid) : undefined;
    if (echoedMatch) return { create, id: cid, created: echoedMatch, echoed: true, ...(rejected ? { rejected } : {}) };
    const nextCreate = creates[i + 1]?.t ?? Infinity;
    const cancel = t.openai('response.cancel', 'client').find((c) => c.t > create.t)?.t ?? Infinity;
    const next = rejected ? undefined : createds.find((c) => c.t >= create.t && c.t < Math.min(nextCreate, cancel));
    return { create, ...(cid ? { id: cid } : {}), ...(next ? { created: next } : {}), echoed: false, ...(rejected ? { rejected } : {}) };
  });
}

/** Latency of response.created, and whether LiveKit could correlate it. */
export const responseTiming = defineRule({
  id: 'openai.response-timing',
  codes: [OPENAI.generateReplyTimeoutRisk, OPENAI.metadataNotEchoed],
  check(t) {
    const out: Finding[] = [];
    for (const p of pairResponses(t)) {
      if (p.rejected) continue;
      if (p.created) {
        const ms = p.created.t - p.create.t;
        if (ms > GENERATE_REPLY.timeoutMs) {
          // agents-js before its plugin's 1.4.11 has no timeout to hit: a slow reply, a warning
          const untimed = untimedNodeVersion(t) !== undefined;
          out.push(report(OPENAI.generateReplyTimeoutRisk, { via: 'late', ms, old: false }, [p.create, p.created], untimed ? { severity: 'warning' } : {}));
        } else if (ms > GENERATE_REPLY.oldTimeoutMs) {
          out.push(report(OPENAI.generateReplyTimeoutRisk, { via: 'late', ms, old: true }, [p.create, p.created], { severity: 'warning' }));
        }
        if (p.id && !p.echoed) {
          out.push(
            report(OPENAI.metadataNotEchoed, { clientEventId: p.id, got: JSON.stringify(responseOf(p.created)?.metadata ?? null) }, [p.create, p.created]),
          );
        }
      } else {
        const timeout = t.ofKind('probe.timeout').find((e) => e.data['step'] === 'response.created' && e.t >= p.create.t);
        const boundMs = Number(timeout?.data['boundMs']);
        if (timeout && boundMs >= GENERATE_REPLY.timeoutMs) {
          out.push(report(OPENAI.generateReplyTimeoutRisk, { via: 'none', boundMs }, [p.create, timeout]));
        }
      }
    }
    return out;
  },
});
