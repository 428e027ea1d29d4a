import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { LIVEKIT } from './codes.js';

/** How close to its room's closing a job's JS_FAILED end is the room's doing (the server logs both in the same ms). */
export const ROOM_CLOSE_MARGIN_MS = 5_000;

/**
 * livekit-server's own log (trace log on a server log): a job offered to a worker that did not accept it
 * in time, and jobs the server recorded as failed. (No worker at all is server/no-worker-available, rule
 * worker.state.)
 */
export const serverLog = defineRule({
  id: 'livekit.server-log',
  codes: [LIVEKIT.jobAssignmentTimeout, LIVEKIT.jobFailed],
  check(t) {
    const out: Finding[] = [];
    const timedOut = t.ofKind('log.server.job-assignment-failed').filter((e) => e.data.timeout);
    const first = timedOut[0];
    if (first) {
      const d = first.data;
      out.push(
        report(
          LIVEKIT.jobAssignmentTimeout,
          {
            count: timedOut.length,
            error: d.error,
            ...(d.agentName !== undefined ? { agentName: d.agentName } : {}),
            ...(d.workerId !== undefined ? { workerId: d.workerId } : {}),
            ...(d.jobId !== undefined ? { jobId: d.jobId } : {}),
            ...(d.retry !== undefined ? { retry: d.retry } : {}),
          },
          timedOut.slice(0, 3),
        ),
      );
    }
    // a job ends JS_FAILED ("agent worker left the room") when its room is deleted or closes under it: not a failure
    const closing = t.ofKind('log.server.room').filter((e) => e.data.what !== 'allocated');
    const failed = t
      .ofKind('log.server.job-ended')
      .filter((e) => e.data.status === 'JS_FAILED' && !closing.some((c) => Math.abs(c.t - e.t) <= ROOM_CLOSE_MARGIN_MS));
    const f = failed[0];
    if (f) {
      const d = f.data;
      out.push(
        report(
          LIVEKIT.jobFailed,
          {
            count: failed.length,
            ...(d.error !== undefined ? { error: d.error } : {}),
            ...(d.jobId !== undefined ? { jobId: d.jobId } : {}),
            ...(d.workerId !== undefined ? { workerId: d.workerId } : {}),
          },
          failed.slice(0, 3),
        ),
      );
    }
    return out;
  },
});
