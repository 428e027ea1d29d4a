/** The synthetic user (`client.*`, source `client`) — send-preconnect, smoke. */
import type { KindsMeta } from './meta.js';

export interface ClientKinds {
  'client.recording.started': { sampleRate: number; channels: number; audioMs: number; live: string };
  'client.connected': { url: string; room: string; identity: string };
  'client.track.published': { trackSid?: string; features: string[]; preconnectFlag: boolean; requested: boolean };
  'client.agent.joined': { identity: string };
  'client.agent.active': { identity: string };
  'client.agent.subscribed': { identity: string; trackSid?: string };
  'client.preconnect.opened': {
    streamId: string;
    trackId: string | null;
    sampleRate?: string;
    channels?: string;
    destination: string | null;
    mimeType: string;
    pendingMs: number;
  };
  'client.preconnect.closed': { bytes: number; audioMs: number; speechMs: number; reason: string };
  'client.live.started': { offsetMs: number };
  'client.speech.ended': { offsetMs: number; spokenMs: number; last: boolean };
  'client.speech.resumed': { after: string; waitedMs: number; offsetMs: number };
  'client.disconnected': { reason: string; afterMs: number; message?: string };
  'client.reconnecting': { afterMs: number };
  'client.reconnected': { afterMs: number };
  'client.fault': { name: string; value?: number | string };
  'client.timeout': { wait: 'agent-active' | 'agent-answer'; boundMs: number; agentJoined?: boolean };
  'client.cleanup.waiting-for-agent': { identities: string[]; boundMs: number };
}

const C = ['client'] as const;

export const CLIENT_KINDS: KindsMeta<ClientKinds> = {
  'client.recording.started': {
    description: 'The synthetic user started "recording" its WAV (before connecting, as a pre-connect client does).',
    fields: { sampleRate: 'Hz', channels: 'channel count', audioMs: 'length of the WAV, ms', live: 'live mode: `continuous`, `after-answer`, `pause:MS`' },
    sources: C,
    example: { sampleRate: 48000, channels: 1, audioMs: 3200, live: 'after-answer' },
  },
  'client.connected': {
    description: 'The synthetic user connected to the room.',
    fields: { url: 'server URL', room: 'room name', identity: 'our identity' },
    sources: C,
    example: { url: 'ws://127.0.0.1:7880', room: 'room-1', identity: 'lkdiag-user-1a2b' },
  },
  'client.track.published': {
    description: 'The synthetic user published its microphone track.',
    fields: {
      trackSid: '? track sid',
      features: 'audio features the server recorded',
      preconnectFlag: 'TF_PRECONNECT_BUFFER is among them',
      requested: 'we asked for it',
    },
    sources: C,
    example: { trackSid: 'TR_AMabc', features: ['TF_PRECONNECT_BUFFER'], preconnectFlag: true, requested: true },
  },
  'client.agent.joined': {
    description: 'An agent joined the room.',
    fields: { identity: 'the agent' },
    sources: C,
    example: { identity: 'agent-AJ_abc' },
  },
  'client.agent.active': {
    description: 'The agent became active.',
    fields: { identity: 'the agent' },
    sources: C,
    example: { identity: 'agent-AJ_abc' },
  },
  'client.agent.subscribed': {
    description: 'The agent subscribed to our microphone track.',
    fields: { identity: 'the agent', trackSid: '? our track' },
    sources: C,
    example: { identity: 'agent-AJ_abc', trackSid: 'TR_AMabc' },
  },
  'client.preconnect.opened': {
    description: 'The pre-connect byte stream opened.',
    fields: {
      streamId: 'byte stream id',
      trackId: 'the trackId attribute (null when omitted on purpose)',
      sampleRate: '? the sampleRate attribute',
      channels: '? the channels attribute',
      destination: 'the agent it is sent to (null: sent before the agent was active)',
      mimeType: 'stream mime type',
      pendingMs: 'audio recorded and waiting to be sent, ms',
    },
    sources: C,
    example: {
      streamId: 'BS_abc',
      trackId: 'TR_AMabc',
      sampleRate: '48000',
      channels: '1',
      destination: 'agent-AJ_abc',
      mimeType: 'audio/pcm',
      pendingMs: 1200,
    },
  },
  'client.preconnect.closed': {
    description: 'The pre-connect byte stream closed.',
    fields: {
      bytes: 'bytes sent',
      audioMs: 'audio sent, ms',
      speechMs: 'how far into the WAV the user had spoken when it closed, ms',
      reason: '`subscribed`, `snapshot`, `hold`, `timeout`, `interrupted`, `disconnected`',
    },
    sources: C,
    example: { bytes: 115200, audioMs: 1200, speechMs: 1200, reason: 'subscribed' },
  },
  'client.live.started': {
    description: 'Live microphone audio started.',
    fields: { offsetMs: 'where in the WAV, ms' },
    sources: C,
    example: { offsetMs: 1200 },
  },
  'client.speech.ended': {
    description: 'An utterance ended on the microphone clock.',
    fields: { offsetMs: 'microphone clock, ms', spokenMs: 'speech so far, ms', last: 'the WAV is over' },
    sources: C,
    example: { offsetMs: 3200, spokenMs: 2900, last: true },
  },
  'client.speech.resumed': {
    description: 'The user goes on with the next utterance: the agent answered, the pause passed, or 8 s passed without an answer.',
    fields: { after: '`after-answer`, `pause:MS` or `no-answer`', waitedMs: 'how long it waited, ms', offsetMs: 'microphone clock, ms' },
    sources: C,
    example: { after: 'after-answer', waitedMs: 2400, offsetMs: 3200 },
  },
  'client.disconnected': {
    description: 'The connection to the server was lost mid-run.',
    fields: { reason: 'rtc-node DisconnectReason name (or SEND_FAILED)', afterMs: 'since connected, ms', message: '? the error, when a send failed' },
    sources: C,
    example: { reason: 'SERVER_SHUTDOWN', afterMs: 4100 },
  },
  'client.reconnecting': {
    description: 'The connection is reconnecting.',
    fields: { afterMs: 'since connected, ms' },
    sources: C,
    example: { afterMs: 4100 },
  },
  'client.reconnected': {
    description: 'The connection reconnected.',
    fields: { afterMs: 'since connected, ms' },
    sources: C,
    example: { afterMs: 5300 },
  },
  'client.fault': {
    description: 'A fault the user asked to inject.',
    fields: { name: '`send-before-active`, `delay-send`, `sample-rate-lie`, `omit-track-id`, `stereo`, `hold-open`', value: '? its value' },
    sources: C,
    example: { name: 'delay-send', value: 3000 },
  },
  'client.timeout': {
    description: 'A wait of the synthetic user ran out.',
    fields: { wait: '`agent-active` or `agent-answer`', boundMs: 'the bound, ms', agentJoined: '? an agent had joined (agent-active)' },
    sources: C,
    example: { wait: 'agent-active', boundMs: 20000, agentJoined: false },
  },
  'client.cleanup.waiting-for-agent': {
    description:
      'The run is over, but an agent the server assigned has not joined yet; its join would re-create the deleted room, so the room is deleted once it is in.',
    fields: { identities: 'the agents waited for', boundMs: 'the bound, ms' },
    sources: C,
    example: { identities: ['agent-AJ_abc'], boundMs: 5000 },
  },
};
