/**
 * xAI's Realtime dialect (wss://api.x.ai/v1/realtime, models grok-voice-*): livekit-plugins-xai sends
 * `voice` and `turn_detection` as top-level session fields (realtime_model.py 206–231, livekit/agents
 * da6af86). The simulator accepts them there by moving them to where the GA session keeps them before the
 * GA validation; what xAI echoes in session.updated is not known here (we echo the GA shape).
 */
import type { JsonObject } from './session.js';

/** A model name the xAI endpoint serves (types.py GrokRealtimeModels: grok-voice-latest, grok-voice-fast-1.0, …). */
export const isXaiModel = (model: string | null): boolean => !!model && /^grok-voice-/.test(model);

const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The xAI session as the GA session: top-level voice → audio.output.voice, turn_detection → audio.input.turn_detection. */
export function fromXaiSession(session: unknown): unknown {
  if (!isObj(session) || (!('voice' in session) && !('turn_detection' in session))) return session;
  const { voice, turn_detection, ...rest } = session;
  const audio = isObj(rest.audio) ? rest.audio : {};
  const input = isObj(audio.input) ? audio.input : {};
  const output = isObj(audio.output) ? audio.output : {};
  return {
    ...rest,
    audio: {
      ...audio,
      input: { ...input, ...(turn_detection !== undefined ? { turn_detection } : {}) },
      output: { ...output, ...(voice !== undefined ? { voice } : {}) },
    },
  };
}
