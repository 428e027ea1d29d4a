import { AgentSession } from '@livekit/protocol';
import type { EventData } from '../diagnose/types.js';

/** A decoded lk.agent.session message as trace-event kind + data (docs/events.md, session.*). */
export interface SessionEventOut {
  kind: string;
  data: EventData;
  /** created_at on the agent's clock, epoch ms, when the message carries one. */
  t?: number;
}

const lower = (v: unknown) => String(v ?? '').replace(/^(AS_|US_|AGENT_STATE_|USER_STATE_)/, '').toLowerCase() || undefined;

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
    return [{ kind: 'session.response', data: { requestId: json['requestId'], ok: !json['error'], payload: json } }];
  }
  if (m.case !== 'event') return m.case ? [{ kind: 'session.other', data: { case: m.case } }] : [];
  const ev = m.value;
  const json = ev.toJson({ emitDefaultValues: false }) as Record<string, Record<string, unknown>>;
  const t = ms(json['createdAt']);
  const e = ev.event;
  const out = (kind: string, data: EventData): SessionEventOut[] => [{ kind, data, ...(t !== undefined ? { t } : {}) }];
  switch (e.case) {
    case 'agentStateChanged': {
      const v = json['agentStateChanged'] ?? {};
      return out('session.agent-state', { from: lower(v['oldState']), to: lower(v['newState']) });
    }
    case 'userStateChanged': {
      const v = json['userStateChanged'] ?? {};
      return out('session.user-state', { from: lower(v['oldState']), to: lower(v['newState']) });
    }
    case 'conversationItemAdded': {
      const item = (json['conversationItemAdded']?.['item'] ?? {}) as Record<string, Record<string, unknown>>;
      const message = item['message'] ?? {};
      const content = (message['content'] as Array<Record<string, unknown>> | undefined) ?? [];
      const text = content.map((c) => c['text']).filter((x) => typeof x === 'string').join(' ');
      return out('session.item', {
        role: lower(message['role']),
        ...(text ? { text } : {}),
        interrupted: message['interrupted'] === true,
        ...(message['metrics'] ? { metrics: message['metrics'] } : {}),
      });
    }
    case 'userInputTranscribed': {
      const v = json['userInputTranscribed'] ?? {};
      return out('session.user-transcribed', { transcript: v['transcript'] ?? '', final: v['isFinal'] === true });
    }
    case 'overlappingSpeech':
      return out('session.overlapping-speech', { ...(json['overlappingSpeech'] ?? {}), isInterruption: json['overlappingSpeech']?.['isInterruption'] === true });
    case 'error':
      return out('session.error', { message: json['error']?.['message'] ?? '', ...(json['error'] ?? {}) });
    case 'eotPrediction':
      return out('session.eot-prediction', { ...(json['eotPrediction'] ?? {}) });
    default:
      return out('session.other', { case: e.case ?? 'unknown', payload: json });
  }
}
