/** The mock agent (`mockagent.*`, source `room`) — `lkdiag mock-agent`: the agent side of pre-connect, as a client sees it. */
import type { KindsMeta } from './meta.js';

/** What the received bytes are, by their first bytes (not by the mime type the client claimed). */
export type SniffedFormat = 'webm' | 'ogg' | 'mp4' | 'wav' | 'raw';

export interface MockAgentKinds {
  'mockagent.joined': { identity: string; room: string; role: 'agent' | 'avatar'; kind: string };
  'mockagent.state': { identity: string; state: string };
  'mockagent.handler.registered': { identity: string; topic: string };
  'mockagent.mic.published': { identity: string; trackSid: string; source: string; features: string[]; preconnectFlag: boolean };
  'mockagent.stream.opened': {
    streamId: string;
    from: string;
    receiver: string;
    receiverRole: 'agent' | 'avatar';
    topic: string;
    mimeType: string;
    name: string;
    attributes: Record<string, string>;
    /** Why the mock agent did not take it: an injected agent-side fault. */
    dropped?: 'no-handler' | 'handler-late';
  };
  'mockagent.stream.closed': { streamId: string; bytes: number; openMs: number; completed: boolean };
  'mockagent.stream.checked': {
    streamId: string;
    format: SniffedFormat;
    mimeSays: 'opus' | 'pcm';
    durationMs: number | null;
    speechMs: number | null;
    peakDbfs: number | null;
    decoded: boolean;
    note?: string;
  };
  'mockagent.wait.started': { trackSid: string; bufferComplete: boolean; sinceHeaderMs: number | null };
  'mockagent.subscribed': { identity: string; trackSid: string };
  'mockagent.seam': { offsetMs: number; correlation: number; tailMs: number; liveSearchMs: number };
  'mockagent.reply': { phase: 'started' | 'ended'; audioMs: number };
  'mockagent.fault': { name: string; value?: number };
  'mockagent.timeout': { wait: 'job' | 'client-mic' | 'stream' | 'live-audio'; boundMs: number };
  'mockagent.worker.registered': { workerId: string; agentName: string };
  'mockagent.job.assigned': { jobId: string; dispatchId: string; room: string };
  'mockagent.job.declined': { room: string };
}

const R = ['room'] as const;

export const MOCK_AGENT_KINDS: KindsMeta<MockAgentKinds> = {
  'mockagent.joined': {
    description: 'The mock agent (or its avatar worker) joined the room.',
    fields: { identity: 'its identity', room: 'room name', role: '`agent` or `avatar` (carries `lk.publish_on_behalf`)', kind: 'participant kind' },
    sources: R,
    example: { identity: 'lkdiag-agent-1a2b', room: 'room-1', role: 'agent', kind: 'agent' },
  },
  'mockagent.state': {
    description: 'The mock agent set its `lk.agent.state` attribute.',
    fields: { identity: 'the agent', state: '`initializing`, `listening`, `thinking`, `speaking`' },
    sources: R,
    example: { identity: 'lkdiag-agent-1a2b', state: 'listening' },
  },
  'mockagent.handler.registered': {
    description: 'The mock agent registered its byte-stream handler for the pre-connect topic.',
    fields: { identity: 'the agent', topic: 'the topic' },
    sources: R,
    example: { identity: 'lkdiag-agent-1a2b', topic: 'lk.agent.pre-connect-audio-buffer' },
  },
  'mockagent.mic.published': {
    description: "The client's microphone publication, as the mock agent sees it.",
    fields: {
      identity: 'the client',
      trackSid: 'server track SID',
      source: 'track source',
      features: 'audio features the server recorded',
      preconnectFlag: 'TF_PRECONNECT_BUFFER is among them',
    },
    sources: R,
    example: { identity: 'user-1', trackSid: 'TR_AMabc', source: 'microphone', features: ['TF_PRECONNECT_BUFFER'], preconnectFlag: true },
  },
  'mockagent.stream.opened': {
    description: 'A pre-connect byte stream header arrived at the mock agent (or its avatar).',
    fields: {
      streamId: 'byte stream id',
      from: 'sender identity',
      receiver: 'which of our participants got it',
      receiverRole: '`agent` or `avatar`',
      topic: 'stream topic',
      mimeType: 'mime type the client set',
      name: 'stream name',
      attributes: 'stream attributes (trackId, sampleRate, channels)',
      dropped: '? `no-handler` / `handler-late`: an injected fault made the agent drop it',
    },
    sources: R,
    example: {
      streamId: 'e1f0',
      from: 'user-1',
      receiver: 'lkdiag-agent-1a2b',
      receiverRole: 'agent',
      topic: 'lk.agent.pre-connect-audio-buffer',
      mimeType: 'audio/webm;codecs=opus',
      name: 'preconnect-buffer',
      attributes: { trackId: 'TR_AMabc', sampleRate: '48000', channels: '1' },
    },
  },
  'mockagent.stream.closed': {
    description: 'The pre-connect stream ended (trailer read), or the agent stopped reading it.',
    fields: { streamId: 'byte stream id', bytes: 'bytes received', openMs: 'header to end, ms', completed: 'the trailer arrived' },
    sources: R,
    example: { streamId: 'e1f0', bytes: 48617, openMs: 820, completed: true },
  },
  'mockagent.stream.checked': {
    description: 'What the received bytes are and hold: the container sniffed from the bytes, the decoded duration and speech.',
    fields: {
      streamId: 'byte stream id',
      format: '`webm`, `ogg`, `mp4`, `wav` or `raw` (from the first bytes)',
      mimeSays: 'how livekit-agents reads the mime type: `opus` (containerised) or `pcm`',
      durationMs: 'decoded audio, ms (null when it could not be decoded)',
      speechMs: 'audio above the speech threshold, ms',
      peakDbfs: 'loudest 20 ms frame, dBFS',
      decoded: 'the bytes decoded as the format they are',
      note: '? why not decoded',
    },
    sources: R,
    example: { streamId: 'e1f0', format: 'raw', mimeSays: 'pcm', durationMs: 2400, speechMs: 1800, peakDbfs: -12.5, decoded: true },
  },
  'mockagent.wait.started': {
    description:
      'The mock agent subscribed to the flagged microphone and started waiting for its buffer (the moment livekit-agents applies the 1 s freshness rule).',
    fields: {
      trackSid: 'the microphone',
      bufferComplete: 'the buffer had already completed',
      sinceHeaderMs: "ms since the buffer's header arrived (null: none yet)",
    },
    sources: R,
    example: { trackSid: 'TR_AMabc', bufferComplete: false, sinceHeaderMs: 120 },
  },
  'mockagent.subscribed': {
    description: "The mock agent subscribed to the client's microphone.",
    fields: { identity: 'the client', trackSid: 'the track' },
    sources: R,
    example: { identity: 'user-1', trackSid: 'TR_AMabc' },
  },
  'mockagent.seam': {
    description: "Where the live audio starts relative to the buffer's end, by cross-correlating the buffer's tail with the live audio's head.",
    fields: {
      offsetMs: 'positive: a gap (audio lost between buffer and live); negative: an overlap (audio in both)',
      correlation: 'normalised correlation at the best offset (0–1)',
      tailMs: 'length of the buffer tail correlated, ms',
      liveSearchMs: 'live audio searched, ms',
    },
    sources: R,
    example: { offsetMs: -180, correlation: 0.93, tailMs: 400, liveSearchMs: 3000 },
  },
  'mockagent.reply': {
    description: 'The mock agent played its audio reply on its own track.',
    fields: { phase: '`started` or `ended`', audioMs: 'length of the reply, ms' },
    sources: R,
    example: { phase: 'started', audioMs: 2100 },
  },
  'mockagent.fault': {
    description: 'An agent-side fault injected with `--fault`.',
    fields: { name: '`active-late`, `handler-late`, `no-handler`, `never-active`, `avatar`', value: '? its parameter, ms' },
    sources: R,
    example: { name: 'active-late', value: 2000 },
  },
  'mockagent.timeout': {
    description: 'A bounded wait of the mock agent ended without what it waited for.',
    fields: { wait: '`job`, `client-mic`, `stream` or `live-audio`', boundMs: 'the bound, ms' },
    sources: R,
    example: { wait: 'stream', boundMs: 3000 },
  },
  'mockagent.worker.registered': {
    description: 'The mock agent registered as an agent worker (explicit dispatch, `--agent-name`).',
    fields: { workerId: 'the id the server gave the worker', agentName: 'its agent name' },
    sources: R,
    example: { workerId: 'AW_abc', agentName: 'my-agent' },
  },
  'mockagent.job.assigned': {
    description: "The server assigned a job to the mock agent's worker.",
    fields: { jobId: 'job id', dispatchId: 'dispatch id', room: 'the room to join' },
    sources: R,
    example: { jobId: 'AJ_abc', dispatchId: 'AD_abc', room: 'room-1' },
  },
  'mockagent.job.declined': {
    description: 'The worker declined a job for another room than `--room`.',
    fields: { room: 'the job room' },
    sources: R,
    example: { room: 'other-room' },
  },
};
