import type { Rule } from '../../types.js';
import { agentPresence } from './agent-presence.js';
import { agentSide } from './agent-side.js';
import { clientSide } from './client.js';
import { interrupted } from './interrupted.js';
import { lostFirstWords } from './lost-first-words.js';
import { outcome } from './outcome.js';

export { PRECONNECT, PRECONNECT_LOG_HINT, PRECONNECT_TIMEOUT_MS } from './codes.js';
export { AGENT_ACTIVE_BOUND_MS, type PreconnectContext } from './facts.js';

export const PRECONNECT_RULES: readonly Rule[] = [outcome, agentPresence, clientSide, agentSide, interrupted, lostFirstWords];
