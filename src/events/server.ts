/**
 * The LiveKit server: its API as lkdiag calls it (`server.*`, source `server`), and its own log read by
 * `trace log` (`log.server.*`, source `log`: dispatch, workers, rooms, participants as the server saw them).
 */
import type { KindsMeta, LogLineFields } from './meta.js';

type L<D = object> = LogLineFields & D;

export type DispatchJob = { id?: string; status?: string; error?: string; participantIdentity?: string };

export interface ServerKinds {
  'server.room.created': { room: string };
  'server.room.deleted': { room: string };
  'server.dispatch.created': { id: string; agentName?: string };
  'server.dispatch.state': { when?: 'start' | 'end'; id: string; agentName?: string; jobs: DispatchJob[] };
  'server.api.failed': { call: string; when: string; message: string; status?: number; code?: string };
  'log.server.job-assignment-failed': L<{
    error: string;
    timeout: boolean;
    retry?: boolean;
    jobId?: string;
    agentName?: string;
    workerId?: string;
    room?: string;
  }>;
  'log.server.job-ended': L<{ status?: string; error?: string; jobId?: string; workerId?: string; agentName?: string }>;
  'log.server.worker': L<{ what: 'registered' | 'deregistered' | 'closed'; agentName?: string; workerId?: string; jobType?: string }>;
  'log.server.room': L<{ what: 'allocated' | 'closing' | 'closed'; room?: string; reason?: string }>;
  'log.server.participant': L<{ what: 'joined' | 'active' | 'closing'; identity?: string; reason?: string; participantKind?: string }>;
}

const LS = ['log'] as const;
const line = (level: LogLineFields['level'], logger: string, message: string, n = 42): LogLineFields => ({ level, logger, message, line: n });

const S = ['server'] as const;

export const SERVER_KINDS: KindsMeta<ServerKinds> = {
  'server.room.created': {
    description: 'lkdiag created the room.',
    fields: { room: 'room name' },
    sources: S,
    example: { room: 'room-1' },
  },
  'server.room.deleted': {
    description: 'lkdiag deleted the room.',
    fields: { room: 'room name' },
    sources: S,
    example: { room: 'room-1' },
  },
  'server.dispatch.created': {
    description: 'lkdiag created an explicit agent dispatch.',
    fields: { id: 'dispatch id', agentName: '? the agent name' },
    sources: S,
    example: { id: 'AD_abc', agentName: 'my-agent' },
  },
  'server.dispatch.state': {
    description: 'A dispatch and its jobs as the server lists them.',
    fields: {
      when: '? `start` or `end` of a trace',
      id: 'dispatch id',
      agentName: '? the agent name',
      jobs: 'its jobs: `{id?, status?, error?, participantIdentity?}`',
    },
    sources: S,
    example: { when: 'end', id: 'AD_abc', agentName: 'my-agent', jobs: [{ id: 'AJ_abc', status: 'JS_RUNNING', participantIdentity: 'agent-AJ_abc' }] },
  },
  'server.api.failed': {
    description: 'A server API call failed.',
    fields: { call: 'the call, e.g. `listDispatch`', when: 'when it was made', message: 'the error', status: '? HTTP status', code: '? Node error code' },
    sources: S,
    example: { call: 'listRooms', when: 'disconnected', message: 'fetch failed', code: 'ECONNREFUSED' },
  },
  'log.server.job-assignment-failed': {
    description: 'livekit-server log: the server offered a job to a worker and the assignment failed (for a timeout: the worker did not accept it in time).',
    from: '`failed to assign job to worker` (service/agentservice.go) with `error` (`context deadline exceeded` when the JobRequest RPC timed out) and `retry`',
    fields: {
      error: 'the error the server logged',
      timeout: 'whether it is a timeout (`context deadline exceeded`, `agent worker availability timeout`, `request timed out`)',
      retry: '? whether the server tried another worker',
      jobId: '? the job',
      agentName: '? the agent name dispatched',
      workerId: '? the worker that did not accept it',
      room: '? the room',
    },
    sources: LS,
    example: {
      ...line('warning', 'livekit.agents', 'failed to assign job to worker'),
      error: 'context deadline exceeded',
      timeout: true,
      retry: false,
      jobId: 'AJ_kZMUGSiP7tpb',
      agentName: 'slow-agent',
      workerId: 'AW_ngiG4i39r3RZ',
      room: 'h1-room',
    },
  },
  'log.server.job-ended': {
    description: 'livekit-server log: a worker reported the end of a job, with its status.',
    from: '`job ended` (agent/worker.go) with `status` (`JS_SUCCESS`, `JS_FAILED`) and `error`',
    fields: { status: '? the job status', error: '? the error the worker gave', jobId: '? the job', workerId: '? the worker', agentName: '? the agent name' },
    sources: LS,
    example: {
      ...line('info', 'livekit.agents', 'job ended'),
      status: 'JS_FAILED',
      error: 'agent worker left the room',
      jobId: 'AJ_tEMChvVZNtgW',
      workerId: 'AW_HAJ3HSLFbRxN',
    },
  },
  'log.server.worker': {
    description: 'livekit-server log: an agent worker registered, or the last one for its name left.',
    from: '`worker registered`, `last worker deregistered`, `closing worker`',
    fields: { what: '`registered`, `deregistered` or `closed`', agentName: '? its agent name', workerId: '? the worker', jobType: '? JT_ROOM, JT_PUBLISHER…' },
    sources: LS,
    example: {
      ...line('info', 'livekit.agents', 'worker registered'),
      what: 'registered',
      agentName: 'slow-agent',
      workerId: 'AW_ngiG4i39r3RZ',
      jobType: 'JT_ROOM',
    },
  },
  'log.server.room': {
    description: 'livekit-server log: a room was placed on a node, is closing, or closed.',
    from: '`selected node for room`, `closing room`, `closing idle room` (with its reason), `room closed`',
    fields: { what: '`allocated`, `closing` or `closed`', room: '? the room name', reason: '? why it closed (`empty timeout` …)' },
    sources: LS,
    example: { ...line('info', 'livekit.room', 'closing idle room'), what: 'closing', room: 'h1-room', reason: 'empty timeout' },
  },
  'log.server.participant': {
    description: 'livekit-server log: a participant joined, became active, or is closing (with the reason).',
    from: '`new participant joined` (DEBUG), `participant active`, `participant closing`',
    fields: {
      what: '`joined`, `active` or `closing`',
      identity: '? the participant identity',
      reason: '? why it is closing (CLIENT_INITIATED, SIGNAL_CLOSE …)',
      participantKind: '? STANDARD, AGENT, SIP …',
    },
    sources: LS,
    example: {
      ...line('info', 'livekit.room', 'participant closing'),
      what: 'closing',
      identity: 'agent-AJ_abc',
      reason: 'CLIENT_INITIATED',
      participantKind: 'AGENT',
    },
  },
};
