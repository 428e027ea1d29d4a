/**
 * The LiveKit room as a participant sees it (`room.*`, source `room`) — trace room, send-preconnect,
 * smoke. The agent's state and transcripts seen in the room are `agent.state`, `user.transcript`,
 * `agent.transcript` (./session.ts). The hidden observer of `trace room` reports itself with
 * `room.observer.*`, never `client.*` (it is not the user).
 */
import type { KindsMeta } from './meta.js';

export type ParticipantKindName = 'agent' | 'standard' | 'sip' | 'egress' | 'ingress' | 'connector' | 'bridge' | (string & {});

export interface RoomKinds {
  'room.participant.joined': { identity: string; sid?: string; kind: ParticipantKindName; name?: string; attributes?: Record<string, string> };
  'room.participant.left': { identity: string; reason?: unknown };
  'room.participant.active': { identity: string; kind: ParticipantKindName };
  'room.track.published': { identity: string; trackSid?: string; source: string; features: string[] };
  'room.track.subscribed': { identity: string; trackSid?: string; publisher?: string };
  'room.track.muted': { identity: string; trackSid?: string; muted: boolean };
  'room.track.unpublished': { identity: string; trackSid?: string };
  'room.agent.audio': { identity: string; firstAudible: true; dbfs?: number };
  'room.closed': { reason?: unknown };
  'room.observer.joined': { url: string; room: string; identity: string; hidden: boolean };
  'room.observer.request': { request: string; agent: string; requestId: string };
  'room.observer.request-failed': { request: string; agent: string; message: string };
  'room.observer.reconnecting': Record<string, never>;
  'room.observer.reconnected': { tookMs?: number };
  'room.observer.disconnected': { reason: string; afterMs: number; reconnectingMs?: number; connectionLost: boolean; roomGone?: boolean; api?: string };
  'room.observer.left': { reason: string; afterMs: number };
}

const R = ['room'] as const;

export const ROOM_KINDS: KindsMeta<RoomKinds> = {
  'room.participant.joined': {
    description: 'A participant joined the room.',
    fields: {
      identity: 'participant identity',
      sid: '? participant sid',
      kind: '`agent`, `standard`, `sip`, `egress`, `ingress`, `connector`, `bridge`',
      name: '? display name',
      attributes: '? participant attributes',
    },
    sources: R,
    example: { identity: 'agent-AJ_abc', sid: 'PA_abc', kind: 'agent', name: 'my-agent', attributes: { 'lk.agent.state': 'initializing' } },
  },
  'room.participant.left': {
    description: 'A participant left.',
    fields: { identity: 'participant identity', reason: '? rtc-node DisconnectReason' },
    sources: R,
    example: { identity: 'user-1', reason: 1 },
  },
  'room.participant.active': {
    description: 'A participant became ACTIVE (ParticipantInfo.state).',
    fields: { identity: 'participant identity', kind: 'participant kind' },
    sources: R,
    example: { identity: 'agent-AJ_abc', kind: 'agent' },
  },
  'room.track.published': {
    description: 'A participant published a track.',
    fields: { identity: 'publisher', trackSid: '? track sid', source: '`microphone`, …', features: 'audio features, e.g. `TF_PRECONNECT_BUFFER`' },
    sources: R,
    example: { identity: 'user-1', trackSid: 'TR_AMabc', source: 'microphone', features: ['TF_PRECONNECT_BUFFER'] },
  },
  'room.track.subscribed': {
    description: 'A remote participant subscribed to our track.',
    fields: { identity: 'the subscriber (`(remote)` when unknown)', trackSid: '? track sid', publisher: '? our identity' },
    sources: R,
    example: { identity: '(remote)', trackSid: 'TR_AMabc', publisher: 'user-1' },
  },
  'room.track.muted': {
    description: 'A track was muted or unmuted.',
    fields: { identity: 'publisher', trackSid: '? track sid', muted: 'muted (true) or unmuted (false)' },
    sources: R,
    example: { identity: 'user-1', trackSid: 'TR_AMabc', muted: true },
  },
  'room.track.unpublished': {
    description: 'A participant unpublished a track.',
    fields: { identity: 'publisher', trackSid: '? track sid' },
    sources: R,
    example: { identity: 'user-1', trackSid: 'TR_AMabc' },
  },
  'room.agent.audio': {
    description: "The agent's audio became audible for the first time.",
    fields: { identity: 'the agent', firstAudible: 'always true', dbfs: '? level of the first audible frame, dBFS' },
    sources: R,
    example: { identity: 'agent-AJ_abc', firstAudible: true, dbfs: -23.5 },
  },
  'room.closed': {
    description: 'We were disconnected from the room.',
    fields: { reason: '? rtc-node DisconnectReason' },
    sources: R,
    example: { reason: 'ROOM_DELETED' },
  },
  'room.observer.joined': {
    description: "trace room's hidden observer joined.",
    fields: { url: 'server URL', room: 'room name', identity: 'observer identity', hidden: 'always true' },
    sources: R,
    example: { url: 'ws://127.0.0.1:7880', room: 'room-1', identity: 'lkdiag-observer-1a2b3c4d', hidden: true },
  },
  'room.observer.request': {
    description: 'The observer sent an lk.agent.session request to an agent.',
    fields: { request: '`ping`, `get_framework_info`, `get_session_state`', agent: 'the agent asked', requestId: 'request id' },
    sources: R,
    example: { request: 'ping', agent: 'agent-AJ_abc', requestId: 'req-1' },
  },
  'room.observer.request-failed': {
    description: 'The observer could not send a request.',
    fields: { request: 'which request', agent: 'the agent', message: 'the error' },
    sources: R,
    example: { request: 'ping', agent: 'agent-AJ_abc', message: 'unable to send packet' },
  },
  'room.observer.reconnecting': {
    description: "The observer's connection is reconnecting.",
    fields: {},
    sources: R,
    example: {},
  },
  'room.observer.reconnected': {
    description: 'The observer reconnected.',
    fields: { tookMs: '? how long it took, ms' },
    sources: R,
    example: { tookMs: 850 },
  },
  'room.observer.disconnected': {
    description: 'The observer lost the room: closed by the server, removed, or the connection is lost.',
    fields: {
      reason: 'rtc-node DisconnectReason name',
      afterMs: 'since the observer joined, ms',
      reconnectingMs: '? how long it had been reconnecting, ms',
      connectionLost: 'the connection to the server is lost (not the room closing)',
      roomGone: '? the room is gone (its reason or the server API says so)',
      api: '? `unreachable` or `room still listed` (what the server API said)',
    },
    sources: R,
    example: { reason: 'ROOM_DELETED', afterMs: 5210, connectionLost: false, roomGone: true },
  },
  'room.observer.left': {
    description: 'The observer left the room at the end of the trace.',
    fields: { reason: 'why the trace ended', afterMs: 'since it joined, ms' },
    sources: R,
    example: { reason: 'duration', afterMs: 30000 },
  },
};
