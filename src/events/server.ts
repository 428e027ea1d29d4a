/** The LiveKit server API (`server.*`, source `server`): rooms and agent dispatch. */
import type { KindsMeta } from './meta.js';

export type DispatchJob = { id?: string; status?: string; error?: string; participantIdentity?: string };

export interface ServerKinds {
  'server.room.created': { room: string };
  'server.room.deleted': { room: string };
  'server.dispatch.created': { id: string; agentName?: string };
  'server.dispatch.state': { when?: 'start' | 'end'; id: string; agentName?: string; jobs: DispatchJob[] };
  'server.api.failed': { call: string; when: string; message: string; status?: number; code?: string };
}

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
};
