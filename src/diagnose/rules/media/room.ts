import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { ROOM } from './codes.js';

/** The agent SDK's connection to the room, as its log tells it. */
export const roomConnection = defineRule({
  id: 'media.room-connection',
  codes: [ROOM.connectFailed, ROOM.signalReconnecting, ROOM.reconnectFailed, ROOM.duplicateIdentity],
  check(t) {
    const out: Finding[] = [];
    const failed = t.ofKind('log.room.connect-failed');
    const reason = failed.find((e) => e.data.reason)?.data.reason;
    if (failed.length > 0) out.push(report(ROOM.connectFailed, { ...(reason ? { reason } : {}), count: failed.length }, failed.slice(0, 3)));
    const resuming = t.ofKind('log.room.resuming');
    if (resuming.length > 0) {
      const reasons = [...new Set(resuming.map((e) => e.data.reason).filter((r): r is string => typeof r === 'string'))];
      out.push(report(ROOM.signalReconnecting, { attempts: resuming.length, reasons }, resuming.slice(0, 5)));
    }
    const gaveUp = t.ofKind('log.room.reconnect-failed');
    if (gaveUp.length > 0) out.push(report(ROOM.reconnectFailed, {}, [...resuming.slice(-2), gaveUp[0]!]));
    const dup = t.ofKind('log.room.leave-request').find((e) => e.data.reason === 'DuplicateIdentity');
    if (dup) out.push(report(ROOM.duplicateIdentity, {}, [dup]));
    return out;
  },
});
