import type { Rule } from '../../types.js';
import { deps } from './deps.js';
import { setup } from './setup.js';

export { DEPS, SETUP } from './codes.js';
export { preconnectClients, versionToJudge } from './shared.js';

export const DOCTOR_RULES: readonly Rule[] = [deps, setup];
