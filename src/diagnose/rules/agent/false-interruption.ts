import { defineRule, report } from '../kit.js';
import { fromAgentSession } from '../queries.js';
import { AGENT } from './codes.js';

export const falseInterruption = defineRule({
  id: 'agent.false-interruption',
  codes: [AGENT.falseInterruption],
  check(t) {
    const ev = t.ofKind('agent.false-interruption');
    if (ev.length === 0) return [];
    // One fact may be both logged and sent as a session event: the same kind from another source, at the same time.
    const distinct = ev.filter((e, i) => !ev.slice(0, i).some((p) => p.source !== e.source && Math.abs(p.t - e.t) <= 500));
    const lost = distinct.filter((e) => fromAgentSession(e) && e.data.resumed === false).length;
    return [report(AGENT.falseInterruption, { count: distinct.length, resumed: distinct.length - lost, lost }, distinct.slice(0, 20))];
  },
});
