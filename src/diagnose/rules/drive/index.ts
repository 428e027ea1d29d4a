import type { Rule } from '../../types.js';
import { agentProcess } from './agent-process.js';

export { DRIVE } from './codes.js';

/** lkdiag drive's own rules (the agent process); drive runs them beside ALL_RULES. */
export const DRIVE_RULES: readonly Rule[] = [agentProcess];
