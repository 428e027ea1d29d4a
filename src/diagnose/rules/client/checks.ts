import type { EventOf } from '../../../events/index.js';
import { AGENT_BUFFER_MAX_AGE_MS, AGENT_BUFFER_TIMEOUT_MS } from '../../../protocol/preconnect.js';
import type { ClientFacts } from './facts.js';

const INT = /^\d+$/;
/** Rates a microphone or recorder produces. */
const PLAUSIBLE_RATES = new Set([8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 96000]);

/** What is wrong with sampleRate / channels, as livekit-agents reads them (int() of each). */
export function attributeProblems(opened: EventOf<'mockagent.stream.opened'>): string[] {
  const a = opened.data.attributes;
  const out: string[] = [];
  const rate = a['sampleRate'];
  const ch = a['channels'];
  if (rate === undefined) out.push('sampleRate is missing');
  else if (!INT.test(rate)) out.push(`sampleRate ${JSON.stringify(rate)} is not an integer`);
  else if (!PLAUSIBLE_RATES.has(Number(rate))) out.push(`sampleRate ${rate} is not a rate a microphone records at`);
  if (ch === undefined) out.push('channels is missing');
  else if (!INT.test(ch) || Number(ch) < 1) out.push(`channels ${JSON.stringify(ch)} is not a positive integer`);
  else if (Number(ch) !== 1) out.push(`channels is ${ch}: livekit-agents resamples pre-connect audio as mono, which garbles it`);
  return out;
}

/** The trackId problem, if any: missing/empty, or not the microphone's SID. */
export function trackIdProblem(f: ClientFacts): 'missing' | 'mismatch' | undefined {
  const id = f.opened?.data.attributes['trackId'];
  if (!id) return 'missing';
  if (f.mic && id !== f.mic.data.trackSid) return 'mismatch';
  return undefined;
}

/** Whether the bytes are not what the mime type makes the agent read them as. */
export function mimeMismatch(checked: EventOf<'mockagent.stream.checked'>): boolean {
  const { format, mimeSays } = checked.data;
  if (mimeSays === 'pcm') return format === 'webm' || format === 'ogg' || format === 'mp4';
  return format === 'raw' || format === 'wav';
}

export const lateStream = (closed: EventOf<'mockagent.stream.closed'>) => !closed.data.completed || closed.data.openMs > AGENT_BUFFER_TIMEOUT_MS;
export const staleWait = (wait: EventOf<'mockagent.wait.started'>) => wait.data.bufferComplete && (wait.data.sinceHeaderMs ?? 0) > AGENT_BUFFER_MAX_AGE_MS;
