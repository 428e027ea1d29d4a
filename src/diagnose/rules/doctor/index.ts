import type { Rule } from '../../types.js';
import { azureRealtime } from './azure.js';
import { azurePreview } from './azure-preview.js';
import { clientTraps } from './client-traps.js';
import { deps } from './deps.js';
import { realtime2 } from './realtime2.js';
import { setup } from './setup.js';

export { AZURE_PREVIEW_SETUP } from './azure-preview.js';
export { AZURE_SETUP, DEPS, MODEL_SETUP, SETUP } from './codes.js';
export { preconnectClients, versionToJudge } from './shared.js';

export const DOCTOR_RULES: readonly Rule[] = [deps, setup, azureRealtime, azurePreview, realtime2, clientTraps];
