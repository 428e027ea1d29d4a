import type { Rule } from '../../types.js';
import { azureServerErrorLoop } from './server-error.js';
import { azureUpgrade } from './upgrade.js';

export { AZURE_REALTIME } from './codes.js';

/** Azure OpenAI Realtime rules: probe-openai --provider azure, and trace log (ALL_RULES). */
export const AZURE_PROBE_RULES: readonly Rule[] = [azureUpgrade, azureServerErrorLoop];
