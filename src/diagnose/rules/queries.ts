/**
 * Timeline queries more than one rule area needs: user speech, signs of a reply, cancellations, what
 * the agent's log says. Rules import these from here, never from each other.
 */
import { responseOf, statusDetails, type Timeline } from '../timeline.js';
import type { OpenAIEvent, TraceEvent } from '../types.js';

/** How long after the user started speaking a cancel still counts as caused by it. */
export const CANCEL_AFTER_SPEECH_MS = 1_500;

/** What to do to see the agent's side of a session. */
export const LOG_DEBUG_HINT = 'run the agent with LK_OPENAI_DEBUG=1 at DEBUG log level and pass the log with --agent-log FILE (or trace log FILE)';

/** A line of the agent's own log (its Realtime events, which a log may carry too, do not count). */
export function isLog(e: TraceEvent): boolean {
  return e.kind.startsWith('log.') || (e.source === 'log' && !e.kind.startsWith('openai.'));
}

/** Whether the trace holds the agent's log at all. */
export function hasAgentLog(t: Timeline): boolean {
  return t.events.some(isLog);
}

/** metadata.client_event_id of a client response.create (generate_reply sets it; server VAD responses have none). */
export function clientEventIdOf(create: OpenAIEvent<'response.create'>): string | undefined {
  const cid = create.data.event.response?.metadata?.['client_event_id'];
  return typeof cid === 'string' ? cid : undefined;
}

/** The agent's state changes, whoever saw them (session events, the room attribute, the log). */
export function agentStates(t: Timeline): TraceEvent<'agent.state'>[] {
  return t.ofKind('agent.state');
}

/**
 * The agent session's own account of itself: its lk.agent.session events (trace room), its console transport
 * (drive) or its saved session report — the same AgentSessionEvent fields whoever carried them.
 */
export const fromAgentSession = (e: TraceEvent): boolean => e.source === 'session' || e.source === 'console' || e.source === 'report';

/** Every sign that the user started speaking: server VAD, the agent's user state (log or session). */
export function userSpeechStarts(t: Timeline): TraceEvent[] {
  return t.events.filter(
    (e) =>
      (e.kind === 'openai.input_audio_buffer.speech_started' && e.data.direction === 'server') ||
      (e.kind === 'user.state' && (e.source === 'log' || fromAgentSession(e)) && e.data.to === 'speaking'),
  );
}

/** Signs the agent started a reply (a response exists or the agent speaks). */
export function replySigns(t: Timeline): TraceEvent[] {
  return t.events.filter((e) => {
    switch (e.kind) {
      case 'openai.response.created':
      case 'openai.response.output_audio.delta':
      case 'room.agent.audio':
        return true;
      case 'conversation.item':
        return e.data.role === 'assistant';
      case 'agent.state':
        return e.data.to === 'speaking';
      default:
        return false;
    }
  });
}

/** A conversation item the agent sent as a session event (room or console) or wrote in its session report (not one its log shows). */
export const isSessionItem = (e: TraceEvent): boolean => e.kind === 'conversation.item' && fromAgentSession(e);

/** Conversation items from the session events or the session report (chat messages with their metrics). */
export function sessionItems(t: Timeline): TraceEvent<'conversation.item'>[] {
  return t.ofKind('conversation.item').filter(isSessionItem);
}

/** A reply cancelled by the user starting to speak. */
export interface SpeechCancel {
  /** The event that cancelled it: a client response.cancel, response.done (turn_detected), a log line, or an interrupted item. */
  cancel: TraceEvent;
  how: 'client-cancel' | 'turn-detected' | 'interrupted-item';
  speech: TraceEvent;
  gapMs: number;
  /** The response that was cancelled, when the Realtime events show it. */
  created?: OpenAIEvent<'response.created'>;
  done?: OpenAIEvent<'response.done'>;
  /** Whether any of its audio had been produced before the cancel. */
  audioBefore: boolean;
}

function lastBefore<T extends TraceEvent>(events: readonly T[], at: number, within: number, slack = 0): T | undefined {
  return events.filter((e) => e.t <= at + slack && e.t >= at - within).at(-1);
}

/** Every cancellation that follows the start of user speech, however it was observed. */
export function speechCancels(t: Timeline): SpeechCancel[] {
  const speech = userSpeechStarts(t);
  const created = t.openai('response.created', 'server');
  const dones = t.openai('response.done', 'server');
  const deltas = t.openai('response.output_audio.delta', 'server');
  const clientCancels = t.openai('response.cancel', 'client');
  const lateDiscards = t.ofKind('log.openai.late-response');
  const out: SpeechCancel[] = [];

  const responseAt = (at: number): OpenAIEvent<'response.created'> | undefined =>
    created.filter((c) => c.t <= at && !dones.some((d) => responseOf(d)?.id === responseOf(c)?.id && d.t < at)).at(-1);
  const audioOf = (r: OpenAIEvent<'response.created'> | undefined, at: number): boolean => {
    const id = r ? responseOf(r)?.id : undefined;
    if (r && id) return deltas.some((d) => d.data.event['response_id'] === id && d.t <= at);
    // No response id to match: any agent audio/speaking since the last speech start counts.
    return false;
  };
  const doneFor = (r: OpenAIEvent<'response.created'> | undefined, after: number): OpenAIEvent<'response.done'> | undefined => {
    const id = r ? responseOf(r)?.id : undefined;
    return id ? dones.find((d) => responseOf(d)?.id === id && d.t >= after) : undefined;
  };

  for (const c of clientCancels) {
    // A cancel that discards a late response (after a generate_reply timeout) is not the user's doing.
    if (c.data.event['response_id'] && lateDiscards.some((l) => Math.abs(l.t - c.t) <= 1_000)) continue;
    const s = lastBefore(speech, c.t, CANCEL_AFTER_SPEECH_MS, 50);
    if (!s) continue;
    const r = responseAt(c.t);
    const d = doneFor(r, c.t);
    out.push({
      cancel: c,
      how: 'client-cancel',
      speech: s,
      gapMs: Math.max(0, c.t - s.t),
      ...(r ? { created: r } : {}),
      ...(d ? { done: d } : {}),
      audioBefore: audioOf(r, c.t),
    });
  }
  for (const d of dones) {
    const r = responseOf(d);
    if (r?.status !== 'cancelled' || statusDetails(r).reason !== 'turn_detected') continue;
    if (clientCancels.some((c) => c.t <= d.t && d.t - c.t <= 1_000)) continue;
    const s = lastBefore(speech, d.t, 10_000, 50);
    if (!s) continue;
    const cr = created.find((c) => responseOf(c)?.id === r.id);
    out.push({
      cancel: d,
      how: 'turn-detected',
      speech: s,
      gapMs: Math.max(0, d.t - s.t),
      ...(cr ? { created: cr } : {}),
      done: d,
      audioBefore: audioOf(cr, d.t),
    });
  }
  // The agent's own DEBUG line for the same fact, when the Realtime events were not logged.
  for (const l of t.ofKind('log.openai.response-not-complete')) {
    if (l.data.status !== 'cancelled' || l.data.reason !== 'turn_detected') continue;
    if (dones.some((d) => Math.abs(d.t - l.t) <= 1_000)) continue;
    const s = lastBefore(speech, l.t, 10_000, 50);
    if (!s) continue;
    out.push({ cancel: l, how: 'turn-detected', speech: s, gapMs: Math.max(0, l.t - s.t), audioBefore: false });
  }
  // Session/room only (no Realtime events): an interrupted assistant item after the user started speaking.
  if (clientCancels.length === 0 && dones.length === 0) {
    for (const i of sessionItems(t)) {
      if (i.data.role !== 'assistant' || i.data.interrupted !== true) continue;
      if (out.some((o) => Math.abs(o.cancel.t - i.t) <= 2_000)) continue;
      const s = lastBefore(speech, i.t, 5_000, 50);
      if (!s) continue;
      const spoke = replySigns(t).some((e) => !isSessionItem(e) && e.t < s.t && e.t >= s.t - 30_000);
      out.push({ cancel: i, how: 'interrupted-item', speech: s, gapMs: Math.max(0, i.t - s.t), audioBefore: spoke });
    }
  }
  return out.sort((a, b) => a.cancel.t - b.cancel.t);
}
