/**
 * livekit-server's own wordings (Go, zap; see ../livekit-server.ts), learned from github:livekit/livekit
 * (pkg/service/agentservice.go, pkg/agent/worker.go, pkg/rtc/room.go, pkg/rtc/participant.go,
 * pkg/service/roommanager.go) and checked against a real livekit-server v1.13.5 log. The message is zap's
 * `msg`; the facts are in its fields. "failed to send job request" / "not dispatching agent job…" (no
 * worker) are core rows (messages.ts).
 */
import { num, pick, str, type Rule } from '../table-kit.js';

/** The errors of an assignment that timed out: the psrpc deadline (3 s before livekit#4541) or the worker's own AssignJobTimeout. */
export const ASSIGNMENT_TIMEOUT = /context deadline exceeded|availability timeout|request timed out/i;

const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

export const SERVER_TABLE: Rule[] = [
  {
    kind: 'log.server.job-assignment-failed',
    exact: ['failed to assign job to worker'],
    extras: (r) => {
      const error = str(pick(r.extras, 'error', 'err')) ?? '';
      return {
        error,
        timeout: ASSIGNMENT_TIMEOUT.test(error),
        retry: bool(r.extras['retry']),
        jobId: str(r.extras['jobID']),
        agentName: str(r.extras['agentName']),
        workerId: str(r.extras['workerID']),
        room: str(r.extras['room']),
      };
    },
  },
  {
    kind: 'log.server.job-ended',
    exact: ['job ended'],
    extras: (r) => ({
      status: str(r.extras['status']),
      error: str(r.extras['error']) || undefined,
      jobId: str(r.extras['jobID']),
      workerId: str(r.extras['workerID']),
      agentName: str(r.extras['agentName']),
    }),
  },
  ...(
    [
      ['worker registered', 'registered'],
      ['last worker deregistered', 'deregistered'],
      ['closing worker', 'closed'],
    ] as const
  ).map(
    ([message, what]): Rule => ({
      kind: 'log.server.worker',
      exact: [message],
      extras: (r) => ({ what, agentName: str(r.extras['agentName']), workerId: str(r.extras['workerID']), jobType: str(r.extras['jobType']) }),
    }),
  ),
  ...(
    [
      ['selected node for room', 'allocated'],
      ['closing room', 'closing'],
      ['closing idle room', 'closing'],
      ['room closed', 'closed'],
    ] as const
  ).map(
    ([message, what]): Rule => ({
      kind: 'log.server.room',
      exact: [message],
      extras: (r) => ({ what, room: str(r.extras['room']), reason: str(r.extras['reason']) }),
    }),
  ),
  ...(
    [
      ['new participant joined', 'joined'],
      ['participant active', 'active'],
      ['participant closing', 'closing'],
    ] as const
  ).map(
    ([message, what]): Rule => ({
      kind: 'log.server.participant',
      exact: [message],
      extras: (r) => ({
        what,
        identity: str(pick(r.extras, 'participant', 'identity')),
        reason: str(r.extras['reason']),
        participantKind: str(r.extras['kind']) ?? (num(r.extras['kind']) !== undefined ? String(r.extras['kind']) : undefined),
      }),
    }),
  ),
];
