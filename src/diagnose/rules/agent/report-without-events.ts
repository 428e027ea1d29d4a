import { defineRule, report } from '../kit.js';
import { AGENT } from './codes.js';

export const reportWithoutEvents = defineRule({
  id: 'agent.report-without-events',
  codes: [AGENT.reportWithoutEvents],
  check(t) {
    const empty = t.ofKind('agent.session-report').filter((e) => e.data.events === 0);
    if (empty.length === 0) return [];
    // something else was read beside it (the agent log, lk.agent.session, the room): errors would show there
    if (t.events.some((e) => e.source !== 'report')) return [];
    const h = empty[0]!;
    return [
      report(
        AGENT.reportWithoutEvents,
        { ...(h.data.jobId ? { jobId: h.data.jobId } : {}), ...(h.data.sdkVersion ? { sdkVersion: h.data.sdkVersion } : {}), messages: h.data.messages },
        [h],
      ),
    ];
  },
});
