import type { AnyOpenAIEvent, AnyOpenAIEventData, EventSource } from '../events/index.js';
import { BETA_TO_GA_EVENT } from './realtime.js';

/** Server audio delta types, GA and beta names. */
export const AUDIO_DELTA_TYPES = new Set(['response.output_audio.delta', 'response.audio.delta']);
export const TRANSCRIPT_DELTA_TYPES = new Set(['response.output_audio_transcript.delta', 'response.audio_transcript.delta']);
export const TEXT_DELTA_TYPES = new Set(['response.output_text.delta', 'response.text.delta']);

export function gaType(type: string): string {
  return BETA_TO_GA_EVENT[type] ?? type;
}

/** The audio field of an event to elide and what replaces it (its size), if any. */
function elidedAudio(event: Record<string, unknown>): ['audio' | 'delta', string] | undefined {
  const type = String(event['type'] ?? '');
  const field = type === 'input_audio_buffer.append' ? 'audio' : AUDIO_DELTA_TYPES.has(type) ? 'delta' : undefined;
  const value = field ? event[field] : undefined;
  return field && typeof value === 'string' ? [field, `<${Math.floor((value.length * 3) / 4)} bytes>`] : undefined;
}

/**
 * Elides audio payloads (they are large and say nothing a rule needs) but keeps their size, so a
 * Realtime event has the same shape whether the probe saw it or a log parser found it.
 */
export function elideAudio(event: Record<string, unknown>): Record<string, unknown> {
  const e = elidedAudio(event);
  return e ? { ...event, [e[0]]: e[1] } : event;
}

/** elideAudio on an event object the caller owns (freshly parsed): changed in place, not copied. */
export function elideAudioInPlace(event: Record<string, unknown>): void {
  const e = elidedAudio(event);
  if (e) event[e[0]] = e[1];
}

/** The trace event for a Realtime API event, from any source. Beta names are normalised to GA. */
export function realtimeTraceEvent(t: number, source: EventSource, direction: 'client' | 'server', event: Record<string, unknown>): AnyOpenAIEvent {
  const type = gaType(String(event['type'] ?? 'unknown'));
  const traced: AnyOpenAIEventData['event'] = { ...elideAudio(event), type };
  return { t, source, kind: `openai.${type}`, data: { direction, event: traced } };
}
