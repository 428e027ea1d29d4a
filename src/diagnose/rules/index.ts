import type { Rule } from '../types.js';
import { AGENT_RULES } from './agent/index.js';
import { CLIENT_RULES } from './client/index.js';
import { AZURE_PROBE_RULES } from './azure/index.js';
import { LIVE_RULES } from './live/index.js';
import { LIVEKIT_RULES } from './livekit/index.js';
import { MEDIA_RULES } from './media/index.js';
import { OPENAI_RULES } from './openai/index.js';
import { PRECONNECT_RULES } from './preconnect/index.js';
import { WORKER_RULES } from './worker/index.js';

export { AGENT_RULES, CLIENT_RULES, LIVEKIT_RULES, MEDIA_RULES, OPENAI_RULES, PRECONNECT_RULES, WORKER_RULES };

/** Every rule, for commands that explain a whole session (trace, send-preconnect, smoke). */
export const ALL_RULES: readonly Rule[] = [
  ...OPENAI_RULES,
  ...AGENT_RULES,
  ...PRECONNECT_RULES,
  ...LIVEKIT_RULES,
  ...WORKER_RULES,
  ...MEDIA_RULES,
  ...AZURE_PROBE_RULES,
  ...LIVE_RULES,
];
