import type { TraceEvent } from '../diagnose/types.js';
import type { OpenAIEventData } from '../diagnose/timeline.js';
import { BETA_TO_GA_EVENT } from './realtime.js';

/** Server audio delta types, GA and beta names. */
export const AUDIO_DELTA_TYPES = new Set(['response.output_audio.delta', 'response.audio.delta']);
export const TRANSCRIPT_DELTA_TYPES = new Set(['response.output_audio_transcript.delta', 'response.audio_transcript.delta']);
export const TEXT_DELTA_TYPES = new Set(['response.output_text.delta', 'response.text.delta']);

export function gaType(type: string): string {
  return BETA_TO_GA_EVENT[type] ?? type;
}

/**
 * Elides audio payloads (they are large and say nothing a rule needs) but keeps their size, so a
 * Realtime event has the same shape whether the probe saw it or a log parser found it.
 */
export function elideAudio(event: Record<string, unknown>): Record<string, unknown> {
  const type = String(event['type'] ?? '');
  if (type === 'input_audio_buffer.append' && typeof event['audio'] === 'string') {
    return { ...event, audio: `<${Math.floor(((event['audio'] as string).length * 3) / 4)} bytes>` };
  }
  if (AUDIO_DELTA_TYPES.has(type) && typeof event['delta'] === 'string') {
    return { ...event, delta: `<${Math.floor(((event['delta'] as string).length * 3) / 4)} bytes>` };
  }
  return event;
}

/** The trace event for a Realtime API event, from any source. Beta names are normalised to GA. */
export function realtimeTraceEvent(
  t: number,
  source: TraceEvent['source'],
  direction: 'client' | 'server',
  event: Record<string, unknown>,
): TraceEvent<OpenAIEventData> {
  const type = gaType(String(event['type'] ?? 'unknown'));
  return {
    t,
    source,
    kind: `openai.${type}`,
    data: { direction, event: { ...elideAudio(event), type } as OpenAIEventData['event'] },
  };
}
