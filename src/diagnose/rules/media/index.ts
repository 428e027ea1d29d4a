import type { Rule } from '../../types.js';
import { roomConnection } from './room.js';
import { ttsFailures } from './tts.js';

export { ROOM, TTS } from './codes.js';

export const MEDIA_RULES: readonly Rule[] = [roomConnection, ttsFailures];
