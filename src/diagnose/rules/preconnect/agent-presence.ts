import { str } from '../../../format/index.js';
import { defineRule, report } from '../kit.js';
import { PRECONNECT, type NoAgentDispatchedData, type WaitBound } from './codes.js';
import { AGENT_ACTIVE_BOUND_MS } from './facts.js';

/** The synthetic user waited for an ACTIVE agent and none came. */
export const agentPresence = defineRule({
  id: 'preconnect.agent-presence',
  codes: [PRECONNECT.agentNotActive, PRECONNECT.noAgentDispatched],
  check(t) {
    const connected = t.first('client.connected');
    if (!connected || t.has('client.agent.active')) return [];
    const timeout = t.ofKind('client.timeout').find((e) => /agent|active/i.test(str(e.data['wait'])));
    if (!timeout && (t.end ?? 0) - connected.t < AGENT_ACTIVE_BOUND_MS) return [];
    const bound: WaitBound = timeout ? { boundMs: Number(timeout.data['boundMs']) } : { observedMs: (t.end ?? 0) - connected.t };
    const joined = t.first('client.agent.joined') ?? t.ofKind('room.participant.joined').find((e) => e.data['kind'] === 'agent');
    const end = timeout ? [timeout] : [];
    if (joined) {
      return [
        report(PRECONNECT.agentNotActive, { identity: str(joined.data['identity']), joinedAfterMs: joined.t - connected.t, bound }, [
          connected,
          joined,
          ...end,
        ]),
      ];
    }
    const dispatch = t.ofKind('server.dispatch.state').at(-1);
    const created = t.first('server.dispatch.created');
    const data: NoAgentDispatchedData = { bound };
    if (dispatch) {
      const jobs = Array.isArray(dispatch.data['jobs']) ? dispatch.data['jobs'] : [];
      data.dispatch = {
        id: str(dispatch.data['id']),
        agentName: str(dispatch.data['agentName']),
        jobs: jobs.map((j: unknown) => {
          const job = j && typeof j === 'object' ? new Map<string, unknown>(Object.entries(j)) : new Map<string, unknown>();
          return { status: str(job.get('status')), error: job.get('error') ? str(job.get('error')) : '' };
        }),
      };
    } else if (created) {
      data.created = { agentName: str(created.data['agentName']) };
    }
    return [report(PRECONNECT.noAgentDispatched, data, [connected, ...(created ? [created] : []), ...(dispatch ? [dispatch] : []), ...end])];
  },
});
