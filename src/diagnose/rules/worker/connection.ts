import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { SERVER, WORKER } from './codes.js';

/** The worker's own state: its connection to the LiveKit server and its capacity. */
export const workerState = defineRule({
  id: 'worker.state',
  codes: [WORKER.connectionLost, WORKER.atCapacity, SERVER.noWorkerAvailable],
  check(t) {
    const out: Finding[] = [];
    const lost = t.ofKind('log.worker.connection-lost');
    if (lost.length > 0) out.push(report(WORKER.connectionLost, { count: lost.length }, lost.slice(0, 5)));
    const full = t.ofKind('log.worker.at-capacity');
    if (full.length > 0) out.push(report(WORKER.atCapacity, {}, full.slice(0, 1)));
    // a room's automatic job (agent name "") finds no worker on every room of a server whose workers all
    // have a name (explicit dispatch): not a failure when the log shows such a named worker
    const named = t.ofKind('log.server.worker').some((e) => e.data.what === 'registered' && !!e.data.agentName);
    const none = t.ofKind('log.server.no-worker').filter((e) => !(named && e.data.agentName === ''));
    if (none.length > 0) out.push(report(SERVER.noWorkerAvailable, { reason: none[0]!.data.reason, count: none.length }, none.slice(0, 3)));
    return out;
  },
});
