import { defineRule, report } from '../kit.js';
import { AGENT } from './codes.js';

export const falseInterruption = defineRule({
  id: 'agent.false-interruption',
  codes: [AGENT.falseInterruption],
  check(t) {
    const ev = t.events.filter((e) => e.kind === 'log.agent.false-interruption' || e.kind === 'session.false-interruption');
    if (ev.length === 0) return [];
    // One fact may be both logged and sent as a session event.
    const distinct = ev.filter((e, i) => !ev.slice(0, i).some((p) => p.kind !== e.kind && Math.abs(p.t - e.t) <= 500));
    const lost = distinct.filter((e) => e.kind === 'session.false-interruption' && e.data['resumed'] === false).length;
    return [report(AGENT.falseInterruption, { count: distinct.length, resumed: distinct.length - lost, lost }, distinct.slice(0, 20))];
  },
});
