/**
 * The facts in Node's uncaught-error block (node-crash.ts reads its error line as a record). A job process of
 * @livekit/agents (1.0.51, 1.4.7, 1.9.0 in the version matrix) dies this way when the Realtime API refuses the
 * WebSocket upgrade: ws emits `Error: Unexpected server response: 401` (ws/lib/websocket.js abortHandshake) on a
 * socket with no 'error' listener. That is the HTTP status probe-openai would have seen on the upgrade, so the
 * same rule (openai.connection: invalid-api-key, upgrade-rejected) names it.
 */
import type { TraceEvent } from '../../../diagnose/types.js';
import type { LogRecord } from '../record.js';

const UNEXPECTED_RESPONSE = /^Error: Unexpected server response: ([1-5]\d\d)$/;

export function nodeCrashEvent(r: LogRecord): TraceEvent<'probe.upgrade.response'> | undefined {
  if (r.framework !== 'node' || r.logger !== 'node' || r.extras['uncaught'] === undefined) return undefined;
  const m = UNEXPECTED_RESPONSE.exec(r.message);
  if (!m) return undefined;
  return { t: r.t, source: 'log', kind: 'probe.upgrade.response', data: { status: Number(m[1]), socket: 'unknown' } };
}
