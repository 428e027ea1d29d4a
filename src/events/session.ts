/**
 * The agent session's facts, one kind per fact whatever saw it: `agent.*`, `user.*` and
 * `conversation.*` may come from an agent log (source `log`, with the log-line fields), from
 * lk.agent.session events (source `session`, with the sending agent's `identity`) or from the room
 * (source `room`: lk.agent.state, lk.transcription). `session.*` are the lk.agent.session
 * protocol's own facts (responses to requests, undecodable messages).
 */
import type { KindsMeta, LogLineFields } from './meta.js';

/** The log-line fields, present when source is `log`. */
type FromLog = Partial<LogLineFields>;
/** The agent participant, present when source is `session` or `room`. */
type Who = { identity?: string };

/** lk.agent.session ChatMessage metrics (camelCase JSON of the protobuf). */
export type ItemMetrics = {
  e2eLatency?: number;
  ttft?: number;
  endOfTurnDelay?: number;
  transcriptionDelay?: number;
  llmNodeTtft?: number;
  ttsNodeTtfb?: number;
  [metric: string]: unknown;
};

export interface SessionKinds {
  /** `to` is absent only from lk.agent.session for the enum's zero value (initializing), which toJson leaves out. */
  'agent.state': FromLog & Who & { to?: string; from?: string };
  /** `to` is absent only from lk.agent.session for the enum's zero value (speaking), which toJson leaves out. */
  'user.state': FromLog & Who & { to?: string; from?: string };
  'conversation.item': FromLog & Who & { role?: string; text?: string; interrupted?: boolean; metrics?: ItemMetrics };
  'user.transcript': FromLog & Who & { transcript?: string; final?: boolean; delay?: number; segmentId?: string; trackSid?: string };
  'agent.transcript': Who & { transcript: string; final?: boolean; segmentId?: string; trackSid?: string };
  'agent.false-interruption': FromLog & Who & { resumed?: boolean };
  'agent.overlapping-speech': Who & { isInterruption: boolean; [field: string]: unknown };
  'agent.error': Who & { message: string; recoverable?: boolean; [field: string]: unknown };
  'agent.eot-prediction': Who & { probability?: number; [field: string]: unknown };
  'agent.start-reading': LogLineFields;
  'agent.generate-reply-failed': LogLineFields & { inner: string; timeout: boolean };
  'agent.turn-committed': LogLineFields;
  'agent.fatal': LogLineFields & { error?: string };
  'agent.session-closed': FromLog & { reason?: string; error?: string };
  'agent.session-report': { jobId?: string; room?: string; sdkVersion?: string; events: number; messages: number; closeReason?: string };
  'session.response': Who & {
    requestId?: string;
    ok: boolean;
    payload?: Record<string, unknown>;
    request?: string;
    agent?: string;
    answered?: boolean;
    boundMs?: number;
    ms?: number;
  };
  'session.other': Who & { case: string; payload?: Record<string, unknown> };
  'session.decode-error': { identity: string; message: string };
}

const logged = (message: string, level: LogLineFields['level'] = 'debug', logger = 'livekit.agents'): LogLineFields => ({ level, logger, message, line: 57 });
const ID = '? agent identity (sources `session`, `room`)';

export const SESSION_KINDS: KindsMeta<SessionKinds> = {
  'agent.state': {
    description: 'The agent changed state (initializing, idle, listening, thinking, speaking).',
    from: 'log: `Agent state changed from: X to Y`; session: agentStateChanged; room: the `lk.agent.state` attribute',
    fields: {
      to: "? the new state (absent from lk.agent.session when it is `initializing`: toJson leaves out the enum's zero value)",
      from: '? the previous state',
      identity: ID,
    },
    sources: ['log', 'session', 'room', 'report', 'console'],
    example: { identity: 'agent-AJ_abc', from: 'listening', to: 'thinking' },
  },
  'user.state': {
    description: 'The user changed state (listening, speaking, away).',
    from: 'log: `User state changed from: X to Y` (user code, common); session: userStateChanged',
    fields: {
      to: "? the new state (absent from lk.agent.session when it is `speaking`: toJson leaves out the enum's zero value)",
      from: '? the previous state',
      identity: ID,
    },
    sources: ['log', 'session', 'report', 'console'],
    example: { from: 'listening', to: 'speaking' },
  },
  'conversation.item': {
    description: 'An item was added to the chat context (a user or assistant message).',
    from: 'log: `conversation_item_added`; session: conversationItemAdded',
    fields: {
      role: '? `user` or `assistant`',
      text: '? the message text',
      interrupted: '? the message was interrupted (session)',
      metrics: '? per-turn metrics (session): `e2eLatency`, `ttft`, `endOfTurnDelay`, … in seconds',
      identity: ID,
    },
    sources: ['log', 'session', 'report', 'console'],
    example: { identity: 'agent-AJ_abc', role: 'assistant', text: 'Hello! How can I help?', interrupted: false, metrics: { e2eLatency: 1.1, ttft: 0.4 } },
  },
  'user.transcript': {
    description: "A transcript of the user's speech.",
    from: "log: `received user transcript`; session: userInputTranscribed; room: lk.transcription of the user's track",
    fields: {
      transcript: '? the text (absent when the log omits it)',
      final: '? a final transcript, not an interim one',
      delay: '? transcript delay, s (log)',
      identity: '? who published it (session, room)',
      segmentId: '? lk.segment_id (room)',
      trackSid: '? lk.transcribed_track_id (room)',
    },
    sources: ['log', 'session', 'room', 'report', 'console'],
    example: { identity: 'agent-AJ_abc', transcript: 'What time is it?', final: true },
  },
  'agent.transcript': {
    description: "A transcript of the agent's speech.",
    from: "room: lk.transcription of the agent's track",
    fields: {
      transcript: 'the text',
      final: '? a final segment',
      identity: '? who published it',
      segmentId: '? lk.segment_id',
      trackSid: '? lk.transcribed_track_id',
    },
    sources: ['room'],
    example: { identity: 'agent-AJ_abc', transcript: 'It is noon.', final: true, segmentId: 'SG_1' },
  },
  'agent.false-interruption': {
    description: 'The agent resumed speech it had stopped for what turned out not to be an interruption.',
    from: "log: `resumed false interrupted speech` (lk.agent.session's agentFalseInterruption is not decoded yet: it is a `session.other`)",
    fields: { resumed: '? whether the speech was resumed', identity: ID },
    sources: ['log', 'report', 'console'],
    example: logged('resumed false interrupted speech'),
  },
  'agent.overlapping-speech': {
    description: 'The user spoke over the agent (adaptive interruption handling).',
    fields: { isInterruption: 'whether it was taken as an interruption', identity: ID },
    sources: ['session', 'report', 'console'],
    example: { identity: 'agent-AJ_abc', isInterruption: true },
  },
  'agent.error': {
    description: 'The agent session reported an error.',
    fields: { message: 'the error message', recoverable: '? whether the session carries on', identity: ID },
    sources: ['session', 'report', 'console'],
    example: { identity: 'agent-AJ_abc', message: 'generate_reply timed out.', recoverable: true },
  },
  'agent.eot-prediction': {
    description: "The turn detector's end-of-turn prediction.",
    fields: { probability: '? end-of-turn probability', identity: ID },
    sources: ['session', 'console'],
    example: { identity: 'agent-AJ_abc', probability: 0.92 },
  },
  'agent.start-reading': {
    description: 'The agent started reading an input stream.',
    from: '`start reading stream`',
    fields: {},
    sources: ['log'],
    example: logged('start reading stream'),
  },
  'agent.generate-reply-failed': {
    description: 'generate_reply failed (most often: timed out waiting for the model).',
    from: '`failed to generate a reply: <inner>` / `… after tool execution: …`; JS `generateReply timed out.`',
    fields: { inner: 'the inner error text, e.g. `generate_reply timed out.`', timeout: 'the failure was a timeout' },
    sources: ['log'],
    example: { ...logged('failed to generate a reply: generate_reply timed out.', 'error'), inner: 'generate_reply timed out.', timeout: true },
  },
  'agent.turn-committed': {
    description: 'The user turn was committed.',
    from: '`user turn committed`',
    fields: {},
    sources: ['log'],
    example: logged('user turn committed'),
  },
  'agent.fatal': {
    description: 'The AgentSession is closing because of an unrecoverable error.',
    from: '`AgentSession is closing due to unrecoverable error`',
    fields: { error: '? the error' },
    sources: ['log'],
    example: {
      ...logged('AgentSession is closing due to unrecoverable error', 'error'),
      error: 'APIConnectionError: OpenAI Realtime API connection failed after 3 attempts',
    },
  },
  'agent.session-closed': {
    description: 'The agent session closed.',
    from: 'log: `session closed`; report: the `close` event',
    fields: { reason: '? the close reason', error: '? the error it closed with (report: `close.error`)' },
    sources: ['log', 'report'],
    example: { ...logged('session closed', 'info'), reason: 'user_initiated' },
  },
  'agent.session-report': {
    description: "A session report's own header: which job it is, what wrote it, how much it holds (first event of a `session_report.json`).",
    from: 'report: job_id, room, sdk_version, len(events), the chat messages, close_reason (livekit-agents >= 1.8)',
    fields: {
      jobId: '? job_id',
      room: '? the room name',
      sdkVersion: '? sdk_version: the livekit-agents / @livekit/agents version that wrote it',
      events: 'how many events it holds (agents-js records them only with recording on)',
      messages: 'how many chat messages chat_history holds',
      closeReason: '? close_reason, e.g. `CR_USER_INITIATED` (livekit-agents >= 1.8)',
    },
    sources: ['report'],
    example: { jobId: 'AJ_RXxo4LSj3oxX', room: 'my-room', sdkVersion: '1.8.9', events: 31, messages: 4, closeReason: 'CR_USER_INITIATED' },
  },
  'session.response': {
    description: 'An answer to an lk.agent.session request (ping, get_framework_info, get_session_state), or the note that none came.',
    fields: {
      requestId: '? the request id answered',
      ok: 'the agent answered without an error',
      payload: '? the response as JSON',
      request: '? which request (for the requests lkdiag sent)',
      agent: '? the agent asked',
      answered: '? `false` when no answer came within `boundMs`',
      boundMs: '? how long lkdiag waited',
      ms: '? how long the answer took, ms (the requests lkdiag sent)',
      identity: ID,
    },
    sources: ['session', 'console'],
    example: { identity: 'agent-AJ_abc', requestId: 'req-1', ok: true, payload: { requestId: 'req-1', ping: {} }, request: 'ping' },
  },
  'session.other': {
    description: 'An lk.agent.session message of a case lkdiag does not map (kept, never silently lost).',
    fields: { case: 'the protobuf oneof case', payload: '? the message as JSON', identity: ID },
    sources: ['session', 'report', 'console'],
    example: { identity: 'agent-AJ_abc', case: 'functionToolsExecuted' },
  },
  'session.decode-error': {
    description: 'An lk.agent.session byte stream could not be decoded.',
    fields: { identity: 'the sender', message: 'the decoding error' },
    sources: ['session'],
    example: { identity: 'agent-AJ_abc', message: 'premature EOF' },
  },
};
