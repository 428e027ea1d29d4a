import type { Rule } from '../../types.js';
import { azureRealtime } from './azure.js';
import { deps } from './deps.js';
import { setup } from './setup.js';

export { AZURE_SETUP, DEPS, SETUP } from './codes.js';
export { preconnectClients, versionToJudge } from './shared.js';

export const DOCTOR_RULES: readonly Rule[] = [deps, setup, azureRealtime];
