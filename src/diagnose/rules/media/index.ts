import type { Rule } from '../../types.js';
import { azureDeployment } from './azure.js';
import { geminiSession } from './gemini.js';
import { providers } from './providers.js';
import { roomConnection } from './room.js';
import { ttsFailures } from './tts.js';

export { AZURE, GEMINI, ROOM, STT, TTS } from './codes.js';

export const MEDIA_RULES: readonly Rule[] = [roomConnection, ttsFailures, providers, geminiSession, azureDeployment];
