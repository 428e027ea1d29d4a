/**
 * OpenAI GPT-Live (`/v1/live/sessions`), a protocol of its own: what the probe saw on the wire (`live.*`,
 * source `openai` for what it received, `probe` for what it sent) and what livekit-agents 1.8.9's
 * GPTLiveSession logs about it (`log.live.*`, source `log`, with the log-line fields). Field names follow
 * the wire (gpt_live_types.py), camel-cased.
 */
import type { KindsMeta, LogLineFields } from './meta.js';

type L<D = object> = LogLineFields & D;
export type LiveCloseReasonName = 'close_requested' | 'expired' | 'content' | 'remote_hangup' | 'connection_lost';

export interface LiveKinds {
  'live.session.started': { sessionId?: string };
  'live.client': { type: string; eventId?: string; openCalls?: string[]; callId?: string; voice?: string; delegation?: 'responses' | 'client' };
  'live.output.audio': { bytes: number };
  'live.transcript': { role: 'user' | 'assistant'; delta: string; startMs?: number; endMs?: number };
  'live.delegation.created': { id?: string; target?: 'responses' | 'client' };
  'live.response.event': { delegationId: string | null; type: string; callId?: string; name?: string; status?: string };
  'live.usage': { seconds: number; usageRatio?: number };
  'live.session.closed': { reason: LiveCloseReasonName | null; seconds?: number };
  'live.error': { code: string | null; type: string | null; message: string; param: string | null; clientEventId: string | null };
  'log.live.error': L<{ code?: string; type?: string; errorMessage?: string; param?: string }>;
  'log.live.session-closed': L<{ reason?: string; sessionId?: string }>;
  'log.live.connection-failed': L<{ final: boolean; retryInS?: number; attempts?: number }>;
  'log.live.backend-incomplete': L<{ type?: string; delegationId?: string }>;
}

const WIRE = ['openai'] as const;
const LOG = ['log'] as const;
const line = (level: LogLineFields['level'], message: string): LogLineFields => ({ level, logger: 'livekit.agents', message, line: 12 });

export const LIVE_KINDS: KindsMeta<LiveKinds> = {
  'live.session.started': {
    description: 'GPT-Live answered session.start: the session exists (nothing may be sent before it).',
    fields: { sessionId: '? the service’s session id' },
    sources: WIRE,
    example: { sessionId: 'sess_Dk2x9' },
  },
  'live.client': {
    description: 'A GPT-Live client event the probe sent (audio appends are not recorded one by one).',
    fields: {
      type: 'the client event type (`session.start`, `response.create`, …)',
      eventId: '? its event_id',
      openCalls: '? response.create: the delegated function calls still without an output when it was sent',
      callId: '? response.item.create: the call the output answers',
      voice: '? session.start: the voice asked for',
      delegation: '? session.start: the delegation type',
    },
    sources: ['probe'],
    example: { type: 'response.create', eventId: 'response_create_1', openCalls: ['call_2'] },
  },
  'live.output.audio': {
    description: 'The first session.output_audio.delta of a spoken burst (the deltas carry no timing of their own).',
    fields: { bytes: 'its PCM16 bytes' },
    sources: WIRE,
    example: { bytes: 4800 },
  },
  'live.transcript': {
    description: 'A transcript fragment: session.input_transcript.delta (user) or session.output_transcript.delta (assistant).',
    fields: { role: '`user` or `assistant`', delta: 'the text', startMs: '? start of its span on the session timeline', endMs: '? end of its span' },
    sources: WIRE,
    example: { role: 'assistant', delta: ' Sure', startMs: 2310, endMs: 2570 },
  },
  'live.delegation.created': {
    description: 'The voice model handed work to the backend (`responses`) or to the application (`client`).',
    fields: { id: '? the delegation id (answers carry it)', target: '? `responses` or `client`' },
    sources: WIRE,
    example: { id: 'del_4Qe', target: 'responses' },
  },
  'live.response.event': {
    description: 'A backend Responses event in a response.event envelope (created, output_item.done, completed, failed, incomplete).',
    fields: {
      delegationId: 'the delegation it runs under (null: one the application started)',
      type: 'the inner event type',
      callId: '? a function call’s call_id (output_item.done)',
      name: '? the function’s name',
      status: '? the item’s status',
    },
    sources: WIRE,
    example: { delegationId: 'del_4Qe', type: 'response.output_item.done', callId: 'call_1', name: 'get_weather', status: 'completed' },
  },
  'live.usage': {
    description: 'session.usage.updated: cumulative voice seconds of the session.',
    fields: { seconds: 'seconds so far', usageRatio: '? context window usage ratio' },
    sources: WIRE,
    example: { seconds: 12.5, usageRatio: 0.04 },
  },
  'live.session.closed': {
    description: 'session.closed: the service ended the session, and why.',
    fields: { reason: 'close_requested · expired · content · remote_hangup · connection_lost (null when absent)', seconds: '? the final usage, seconds' },
    sources: WIRE,
    example: { reason: 'expired', seconds: 7200 },
  },
  'live.error': {
    description: 'A GPT-Live `error` event.',
    fields: {
      code: 'error code (`forbidden`, `function_call_outputs_required`, …)',
      type: 'error type',
      message: 'the message',
      param: 'the parameter it names',
      clientEventId: 'the client event it answers',
    },
    sources: WIRE,
    example: {
      code: 'forbidden',
      type: 'invalid_request_error',
      message: "The voice 'nova' is not available for this session.",
      param: 'session.audio.output.voice',
      clientEventId: 'session_start_1',
    },
  },
  'log.live.error': {
    description: 'livekit-agents’ GPTLiveSession logged an `error` event from GPT-Live (the error body in `lk.pii.error`).',
    from: '`gpt-live returned an error` (livekit-agents 1.8.9 llm/_realtime/gpt_live.py)',
    fields: { code: '? error code', type: '? error type', errorMessage: '? the error’s message', param: '? the parameter it names' },
    sources: LOG,
    example: { ...line('error', 'gpt-live returned an error'), code: 'forbidden', type: 'invalid_request_error', param: 'session.audio.output.voice' },
  },
  'log.live.session-closed': {
    description: 'GPTLiveSession logged session.closed and its reason (debug level).',
    from: '`gpt-live session closed` (extras: reason, session_id)',
    fields: { reason: '? the close reason', sessionId: '? the session id' },
    sources: LOG,
    example: { ...line('debug', 'gpt-live session closed'), reason: 'expired', sessionId: 'sess_Dk2x9' },
  },
  'log.live.connection-failed': {
    description: 'GPTLiveSession could not connect: retrying, or given up.',
    from: '`OpenAI Live API connection failed, retrying in Ns`; `OpenAI Live API connection failed after N attempts`; `gpt-live session failed`',
    fields: { final: 'given up rather than retrying', retryInS: '? seconds before the next attempt', attempts: '? attempts made' },
    sources: LOG,
    example: { ...line('warning', 'OpenAI Live API connection failed, retrying in 2.0s'), final: false, retryInS: 2 },
  },
  'log.live.backend-incomplete': {
    description: 'A delegated backend response failed or was incomplete; its calls are discarded.',
    from: '`gpt-live backend response did not complete` (extras: type, delegation_id)',
    fields: { type: '? response.failed or response.incomplete', delegationId: '? the delegation' },
    sources: LOG,
    example: { ...line('warning', 'gpt-live backend response did not complete'), type: 'response.failed', delegationId: 'del_4Qe' },
  },
};
