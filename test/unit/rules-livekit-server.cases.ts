// Rule tester cases of livekit.server-log (livekit-server's own log). The events are what the real
// server wrote (fixtures/logs/server/, livekit-server v1.13.5; corpus 009 and 051), as trace log reads them.
import { LIVEKIT_RULES } from '../../src/diagnose/rules/livekit/index.js';
import { ev, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = ruleById(LIVEKIT_RULES, 'livekit.server-log');
const srv = (message: string, level: 'info' | 'warning' = 'info', logger = 'livekit.agents') => ({ level, logger, message, line: 1 });

const registered = ev(0, 'log', 'log.server.worker', { ...srv('worker registered'), what: 'registered', agentName: 'slow-agent', workerId: 'AW_ngiG4i39r3RZ' });
const assignTimeout = ev(3_005, 'log', 'log.server.job-assignment-failed', {
  ...srv('failed to assign job to worker', 'warning'),
  error: 'context deadline exceeded',
  timeout: true,
  retry: false,
  jobId: 'AJ_kZMUGSiP7tpb',
  agentName: 'slow-agent',
  workerId: 'AW_ngiG4i39r3RZ',
  room: 'h1-room',
});
const jobFailed = (ms: number) =>
  ev(ms, 'log', 'log.server.job-ended', {
    ...srv('job ended'),
    status: 'JS_FAILED',
    error: 'agent worker left the room',
    jobId: 'AJ_tEMChvVZNtgW',
    workerId: 'AW_HAJ3HSLFbRxN',
  });
const roomClosed = (ms: number) => ev(ms, 'log', 'log.server.room', { ...srv('room closed', 'info', 'livekit.room'), what: 'closed', room: 'h1-pair' });

export const LIVEKIT_SERVER_CASES: RuleCases[] = [
  {
    rule,
    valid: [
      {
        name: 'a healthy dispatch: the job assigned, the room deleted (the job ends JS_FAILED "agent worker left the room" in the same ms)',
        events: [registered, roomClosed(11_800), jobFailed(11_802)],
      },
      {
        name: 'a worker that says it is not available: the server tries another (not a timeout)',
        events: [
          registered,
          ev(1_000, 'log', 'log.server.job-assignment-failed', {
            ...srv('failed to assign job to worker', 'warning'),
            error: 'agent worker not available',
            timeout: false,
            retry: true,
          }),
        ],
      },
    ],
    codes: {
      'server/job-assignment-timeout': {
        invalid: [
          {
            name: 'the worker never answers the availability request (livekit-server 1.13.5, corpus 051)',
            events: [registered, assignTimeout],
            findings: ['error:server/job-assignment-timeout'],
          },
        ],
      },
      'server/job-failed': {
        valid: [{ name: 'JS_FAILED as the room closes', events: [jobFailed(5_000), roomClosed(9_000)] }],
        invalid: [
          {
            name: 'a job ends JS_FAILED with no room closing near it (corpus 009)',
            events: [jobFailed(10_932)],
            findings: ['warning:server/job-failed'],
          },
          {
            name: 'a job ends JS_FAILED long before its room closes',
            events: [jobFailed(1_000), roomClosed(60_000)],
            findings: ['warning:server/job-failed'],
          },
        ],
      },
    },
  },
];
