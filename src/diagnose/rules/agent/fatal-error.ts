import { str } from '../../../format/index.js';
import { defineRule, report } from '../kit.js';
import { AGENT } from './codes.js';

export const fatalError = defineRule({
  id: 'agent.fatal-error',
  codes: [AGENT.fatalError],
  check(t) {
    const ev = t.events.filter((e) => e.kind === 'agent.fatal' || (e.kind === 'agent.error' && e.data.recoverable === false));
    return ev.map((e) =>
      report(AGENT.fatalError, { message: str(e.kind === 'agent.fatal' ? (e.data.error ?? e.data.message) : e.kind === 'agent.error' ? e.data.message : '') }, [
        e,
      ]),
    );
  },
});
