import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { JOB } from './codes.js';

/** The job task itself: its entrypoint raised, or it ran without connecting to the room. */
export const entrypoint = defineRule({
  id: 'worker.entrypoint',
  codes: [JOB.entrypointFailed, JOB.notConnected],
  check(t) {
    const out: Finding[] = [];
    const failed = t.ofKind('log.job.entrypoint-failed');
    if (failed.length) {
      const exception = failed.map((e) => e.data.exception).find((x) => x);
      out.push(report(JOB.entrypointFailed, { count: failed.length, ...(exception ? { exception } : {}) }, failed.slice(0, 3)));
    }
    // An entrypoint that raised also never connects: its own finding says why.
    const notConnected = t.ofKind('log.job.not-connected');
    if (notConnected.length && !failed.length) out.push(report(JOB.notConnected, { count: notConnected.length }, notConnected.slice(0, 3)));
    return out;
  },
});
