/**
 * Text-only answers of the OpenAI Realtime model in an audio session, as livekit-plugins-openai logged them:
 *   1.0.13            `text-only response received from OpenAI Realtime API` (warning)
 *   1.0.14–1.1.x      `received text-only response from realtime API` (warning), then its recovery:
 *                     `trying to recover from text-only response` {retries}, `recovered from text-only response`
 *                     {retried_times}, `failed to recover from text-only response` {retried_times} (error, after 5),
 *                     `generate_reply timed out, cancel recovery`
 *   1.2+              `Text response received from OpenAI Realtime API in audio modality. …` (messages.ts)
 */
import type { Rule } from '../table-kit.js';
import { num, pick } from '../table-kit.js';

const retries = (x: Record<string, unknown>) => num(pick(x, 'retries', 'retried_times'));

export const OPENAI_TEXT_TABLE: Rule[] = [
  // 1.2–1.6 log the warning with its advice after it, which the core row (ending at "modality.") does not take
  { kind: 'log.openai.text-in-audio', re: /^Text response received from .*Realtime API in audio modality\. This usually happens/ },
  { kind: 'log.openai.text-in-audio', exact: ['received text-only response from realtime API', 'text-only response received from OpenAI Realtime API'] },
  {
    kind: 'log.openai.text-only-recovery',
    exact: ['trying to recover from text-only response'],
    extras: (r) => ({ outcome: 'trying', retries: retries(r.extras) }),
  },
  {
    kind: 'log.openai.text-only-recovery',
    exact: ['recovered from text-only response'],
    extras: (r) => ({ outcome: 'recovered', retries: retries(r.extras) }),
  },
  {
    kind: 'log.openai.text-only-recovery',
    exact: ['failed to recover from text-only response'],
    extras: (r) => ({ outcome: 'failed', retries: retries(r.extras) }),
  },
  { kind: 'log.openai.text-only-recovery', exact: ['generate_reply timed out, cancel recovery'], extras: () => ({ outcome: 'cancelled' }) },
];
