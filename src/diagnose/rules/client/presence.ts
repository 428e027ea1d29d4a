import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { CLIENT } from './codes.js';
import { clientFacts } from './facts.js';

/** Whether a client came, sent a buffer, to the right participant, for a flagged microphone. */
export const presence = defineRule({
  id: 'client.presence',
  codes: [CLIENT.noJob, CLIENT.noClient, CLIENT.noStream, CLIENT.flagWithoutStream, CLIENT.streamWithoutFlag, CLIENT.wrongDestination, CLIENT.droppedByAgent],
  check(t) {
    const f = clientFacts(t);
    const registered = t.first('mockagent.worker.registered');
    const noJob = t.ofKind('mockagent.timeout').find((e) => e.data.wait === 'job');
    if (noJob)
      return [
        report(CLIENT.noJob, { agentName: registered?.data.agentName ?? null, boundMs: noJob.data.boundMs }, [...(registered ? [registered] : []), noJob]),
      ];
    if (!f.listening && !t.has('mockagent.joined')) return [];
    const out: Finding[] = [];
    const timeout = t.ofKind('mockagent.timeout').find((e) => e.data.wait === 'client-mic');
    if (!f.mic) {
      if (timeout) out.push(report(CLIENT.noClient, { boundMs: timeout.data.boundMs }, [...(f.listening ? [f.listening] : []), timeout]));
      return out;
    }
    const fault = f.fault?.data.name;
    if (!f.opened) {
      const explained = fault === 'never-active' || fault === 'active-late' ? fault : undefined;
      const data = {
        trackSid: f.mic.data.trackSid,
        flagged: f.mic.data.preconnectFlag,
        waitedMs: Math.round((t.end ?? f.mic.t) - f.mic.t),
        ...(explained ? { injected: explained } : {}),
      };
      const code = f.mic.data.preconnectFlag ? CLIENT.flagWithoutStream : CLIENT.noStream;
      const evidence = [f.mic, ...(f.wait ? [f.wait] : []), ...(f.fault ? [f.fault] : [])];
      out.push(report(code, data, evidence, explained ? { severity: 'warning' } : {}));
      return out;
    }
    if (!f.mic.data.preconnectFlag) out.push(report(CLIENT.streamWithoutFlag, { trackSid: f.mic.data.trackSid }, [f.mic, f.opened]));
    const agent = t.ofKind('mockagent.joined').find((e) => e.data.role === 'agent');
    for (const s of t.ofKind('mockagent.stream.opened')) {
      if (s.data.receiverRole === 'avatar')
        out.push(report(CLIENT.wrongDestination, { receiver: s.data.receiver, agent: agent?.data.identity ?? '(agent)' }, [s]));
      if (s.data.dropped) out.push(report(CLIENT.droppedByAgent, { fault: s.data.dropped }, [...(f.fault ? [f.fault] : []), s]));
    }
    return out;
  },
});
