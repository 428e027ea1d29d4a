/**
 * The job task itself, as the job process logs it (learned from github:livekit/agents
 * ipc/job_proc_lazy_main.py at 0.12.21, 1.0.23, 1.2.18, 1.5.4 and HEAD, and github:livekit/agents-js
 * agents/src/ipc/job_proc_lazy_main.ts):
 *   `unhandled exception while running the job task` (error, exc_info: the traceback) — the entrypoint raised;
 *   agents-js `error in entry function` {error};
 *   `The room connection was not established within 10 seconds after calling job_entry. This may indicate …`
 *   (1.0–1.2) / `… This might mean that job_ctx.connect() was never invoked, or that no AgentSession with an
 *   active RoomIO has been started.` (1.3+); agents-js `room not connect after job_entry was called after 10 seconds, …`.
 */
import { errText, lastLine, type Rule } from '../table-kit.js';

export const JOB_TABLE: Rule[] = [
  {
    kind: 'log.job.entrypoint-failed',
    re: /^unhandled exception while running the job task/,
    extras: (r) => ({ exception: lastLine(r.extras['exc_info']) ?? lastLine(r.message.includes('\n') ? r.message : undefined) }),
  },
  { kind: 'log.job.entrypoint-failed', exact: ['error in entry function'], extras: (r) => ({ exception: errText(r.extras) }) },
  { kind: 'log.job.not-connected', re: /^The room connection was not established within 10 seconds after calling job_entry/ },
  { kind: 'log.job.not-connected', re: /^room not connect after job_entry was called after 10 seconds/ },
];
