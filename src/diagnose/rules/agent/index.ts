import type { Rule } from '../../types.js';
import { cancelledByUserSpeech } from './cancelled-by-user-speech.js';
import { falseInterruption } from './false-interruption.js';
import { fatalError } from './fatal-error.js';
import { generateReplyTimeout } from './generate-reply-timeout.js';
import { latencySummary } from './latency-summary.js';
import { replyNeverSpoken } from './reply-never-spoken.js';
import { reportWithoutEvents } from './report-without-events.js';

export { AGENT } from './codes.js';

export const AGENT_RULES: readonly Rule[] = [
  generateReplyTimeout,
  cancelledByUserSpeech,
  replyNeverSpoken,
  falseInterruption,
  fatalError,
  reportWithoutEvents,
  latencySummary,
];
