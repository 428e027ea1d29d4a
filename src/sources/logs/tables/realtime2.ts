/**
 * Realtime-2.x behaviours as agents log them.
 *   livekit-agents 1.0–1.5.11 (voice/agent_activity.py, _read_messages) and @livekit/agents < 1.4.5
 *   (voice/agent_activity.ts): a second message item in one response is dropped with the warning
 *   `expected to receive only one message generation from the realtime API` (livekit/agents#5684).
 */
import type { Rule } from '../table-kit.js';

export const REALTIME2_TABLE: Rule[] = [
  { kind: 'log.openai.extra-message-dropped', exact: ['expected to receive only one message generation from the realtime API'] },
];
