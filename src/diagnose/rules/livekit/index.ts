import type { Rule } from '../../types.js';
import { agentLeft } from './agent-left.js';
import { connection, workerConnect } from './connection.js';
import { serverLog } from './server.js';

export { DISCONNECT_REASONS, LIVEKIT, reasonName } from './codes.js';
export { LEAVE_WITH_ROOM_MS } from './agent-left.js';

export const LIVEKIT_RULES: readonly Rule[] = [connection, workerConnect, agentLeft, serverLog];
