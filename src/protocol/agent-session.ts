import { AgentSession } from '@livekit/protocol';
import type { DataOf, TraceEvent } from '../diagnose/types.js';
import { traceEvent } from '../events/index.js';

/** The kinds an lk.agent.session message decodes to (docs/events.md). */
export type SessionEventKind =
  | 'agent.state'
  | 'user.state'
  | 'conversation.item'
  | 'user.transcript'
  | 'agent.overlapping-speech'
  | 'agent.error'
  | 'agent.eot-prediction'
  | 'session.response'
  | 'session.other';

/** A decoded lk.agent.session message as trace-event kind + data; the sender's identity is added by sessionTraceEvent. */
export type SessionEventOut = {
  [K in SessionEventKind]: {
    kind: K;
    data: DataOf<K>;
    /** created_at on the agent's clock, epoch ms, when the message carries one. */
    t?: number;
  };
}[SessionEventKind];

/** The trace event (source `session`) of a decoded message sent by `identity`, at its own time or `now`. */
export function sessionTraceEvent(out: SessionEventOut, identity: string, now: number): TraceEvent {
  const t = out.t ?? now;
  switch (out.kind) {
    case 'agent.state':
      return traceEvent(t, 'session', out.kind, { identity, ...out.data });
    case 'user.state':
      return traceEvent(t, 'session', out.kind, { identity, ...out.data });
    case 'conversation.item':
      return traceEvent(t, 'session', out.kind, { identity, ...out.data });
    case 'user.transcript':
      return traceEvent(t, 'session', out.kind, { identity, ...out.data });
    case 'agent.overlapping-speech':
      return traceEvent(t, 'session', out.kind, { identity, ...out.data });
    case 'agent.error':
      return traceEvent(t, 'session', out.kind, { identity, ...out.data });
    case 'agent.eot-prediction':
      return traceEvent(t, 'session', out.kind, { identity, ...out.data });
    case 'session.response':
      return traceEvent(t, 'session', out.kind, { identity, ...out.data });
    case 'session.other':
      return traceEvent(t, 'session', out.kind, { identity, ...out.data });
  }
}

const lower = (v: unknown) =>
  String(v ?? '')
    .replace(/^(AS_|US_|AGENT_STATE_|USER_STATE_)/, '')
    .toLowerCase() || undefined;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/**
 * A state enum as JSON. toJson leaves out an enum's zero value (emitDefaultValues: false), so the
 * zero states (AS_INITIALIZING, US_SPEAKING) arrive without a name: `to`/`from` are then absent, as
 * they always were. (Decoding them as their names is a behaviour change for the rules — a user
 * `speaking` state from the session would start counting — left for its own change.)
 */
const state = (v: unknown): string | undefined => lower(v);
const withState = (v: Record<string, unknown>): { from?: string; to?: string } => ({ from: state(v['oldState']), to: state(v['newState']) });

function ms(ts: unknown): number | undefined {
  if (ts && typeof ts === 'object' && 'seconds' in ts) {
    const t = ts as { seconds: bigint | number; nanos?: number };
    return Number(t.seconds) * 1000 + Math.round((t.nanos ?? 0) / 1e6);
  }
  if (typeof ts === 'string') {
    const v = Date.parse(ts);
    return Number.isNaN(v) ? undefined : v;
  }
  return undefined;
}

/**
 * Decodes one lk.agent.session byte stream (an AgentSessionMessage) with @livekit/protocol and maps
 * it to session.* events. Unknown cases are kept as `session.other` so nothing is silently lost.
 */
export function decodeAgentSession(bytes: Uint8Array): SessionEventOut[] {
  const msg = AgentSession.AgentSessionMessage.fromBinary(bytes);
  const m = msg.message;
  if (m.case === 'response') {
    const json = m.value.toJson({ emitDefaultValues: false }) as Record<string, unknown>;
    return [{ kind: 'session.response', data: { requestId: str(json['requestId']), ok: !json['error'], payload: json } }];
  }
  if (m.case !== 'event') return m.case ? [{ kind: 'session.other', data: { case: m.case } }] : [];
  const ev = m.value;
  const json = ev.toJson({ emitDefaultValues: false }) as Record<string, Record<string, unknown>>;
  const t = ms(json['createdAt']);
  const e = ev.event;
  const at = t !== undefined ? { t } : {};
  switch (e.case) {
    case 'agentStateChanged': {
      const v = json['agentStateChanged'] ?? {};
      return [{ kind: 'agent.state', data: withState(v), ...at }];
    }
    case 'userStateChanged': {
      const v = json['userStateChanged'] ?? {};
      return [{ kind: 'user.state', data: withState(v), ...at }];
    }
    case 'conversationItemAdded': {
      const item = (json['conversationItemAdded']?.['item'] ?? {}) as Record<string, Record<string, unknown>>;
      const message = item['message'] ?? {};
      const content = (message['content'] as Array<Record<string, unknown>> | undefined) ?? [];
      const text = content
        .map((c) => c['text'])
        .filter((x) => typeof x === 'string')
        .join(' ');
      const metrics = message['metrics'];
      return [
        {
          kind: 'conversation.item',
          data: {
            role: lower(message['role']),
            ...(text ? { text } : {}),
            interrupted: message['interrupted'] === true,
            ...(isRecord(metrics) ? { metrics } : {}),
          },
          ...at,
        },
      ];
    }
    case 'userInputTranscribed': {
      const v = json['userInputTranscribed'] ?? {};
      return [{ kind: 'user.transcript', data: { transcript: str(v['transcript']) ?? '', final: v['isFinal'] === true }, ...at }];
    }
    case 'overlappingSpeech':
      return [
        {
          kind: 'agent.overlapping-speech',
          data: { ...(json['overlappingSpeech'] ?? {}), isInterruption: json['overlappingSpeech']?.['isInterruption'] === true },
          ...at,
        },
      ];
    case 'error': {
      const err = json['error'] ?? {};
      return [{ kind: 'agent.error', data: { message: str(err['message']) ?? '', ...err }, ...at }];
    }
    case 'eotPrediction':
      return [{ kind: 'agent.eot-prediction', data: { ...(json['eotPrediction'] ?? {}) }, ...at }];
    default:
      return [{ kind: 'session.other', data: { case: e.case ?? 'unknown', payload: json }, ...at }];
  }
}
