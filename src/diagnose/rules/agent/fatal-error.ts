import { str } from '../../../format/index.js';
import { defineRule, report } from '../kit.js';
import { AGENT } from './codes.js';

/** How close the log's and the report's sightings of one fatal error are (same host, same moment). */
const SAME_FAULT_MS = 5_000;

export const fatalError = defineRule({
  id: 'agent.fatal-error',
  codes: [AGENT.fatalError],
  check(t) {
    const all = t.events.filter((e) => e.kind === 'agent.fatal' || (e.kind === 'agent.error' && e.data.recoverable === false));
    // One fatal error seen twice (the log's record and the session report's error event, merged by
    // `trace log report.json agent.log`) is one finding: the log's, which names the error (a Python
    // report keeps only the error's type and label).
    const ev = all.filter((e) => !(e.source === 'report' && all.some((o) => o.source !== 'report' && Math.abs(o.t - e.t) <= SAME_FAULT_MS)));
    return ev.map((e) =>
      report(AGENT.fatalError, { message: str(e.kind === 'agent.fatal' ? (e.data.error ?? e.data.message) : e.kind === 'agent.error' ? e.data.message : '') }, [
        e,
      ]),
    );
  },
});
