import type { Timeline } from '../../timeline.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { LIVE } from './codes.js';

/** Whether the events are a live probe's (its upgrade request says api live). */
const isLiveProbe = (t: Timeline): boolean => t.ofKind('probe.upgrade.request').some((e) => e.data.api === 'live');

/** The upgrade refused, the connection failed, the plugin retrying or giving up. */
export const liveConnection = defineRule({
  id: 'live.connection',
  codes: [LIVE.connectFailed, LIVE.connectRetrying],
  check(t) {
    const out: Finding[] = [];
    if (isLiveProbe(t)) {
      const refused = t.ofKind('probe.upgrade.response').find((e) => e.data.status !== 101);
      const err = t.ofKind('probe.connect.error')[0];
      if (refused) out.push(report(LIVE.connectFailed, { status: refused.data.status }, [refused]));
      else if (err) out.push(report(LIVE.connectFailed, { error: err.data.message }, [err]));
    }
    const failed = t.ofKind('log.live.connection-failed');
    const final = failed.find((e) => e.data.final);
    if (final) out.push(report(LIVE.connectFailed, { gaveUp: true }, [final]));
    const retries = failed.filter((e) => !e.data.final);
    if (retries.length > 0 && !final) {
      const last = retries.at(-1)!;
      out.push(
        report(
          LIVE.connectRetrying,
          { retries: retries.length, ...(last.data.retryInS !== undefined ? { retryInS: last.data.retryInS } : {}) },
          retries.slice(-3),
        ),
      );
    }
    return out;
  },
});

const CLOSE_CODES = {
  expired: LIVE.sessionExpired,
  content: LIVE.closedContent,
  connection_lost: LIVE.connectionLost,
  remote_hangup: LIVE.remoteHangup,
} as const;
type Reason = keyof typeof CLOSE_CODES;
const isReason = (r: unknown): r is Reason => typeof r === 'string' && r in CLOSE_CODES;

/** session.closed with a reason other than close_requested: one finding per reason. */
export const liveClosed = defineRule({
  id: 'live.closed',
  codes: Object.values(CLOSE_CODES),
  check(t) {
    const byReason = new Map<Reason, TraceEvent[]>();
    const seconds = new Map<Reason, number>();
    for (const e of t.ofKind('live.session.closed')) {
      if (!isReason(e.data.reason)) continue;
      byReason.set(e.data.reason, [...(byReason.get(e.data.reason) ?? []), e]);
      if (e.data.seconds !== undefined) seconds.set(e.data.reason, e.data.seconds);
    }
    for (const e of t.ofKind('log.live.session-closed')) {
      if (isReason(e.data.reason)) byReason.set(e.data.reason, [...(byReason.get(e.data.reason) ?? []), e]);
    }
    return [...byReason].map(([reason, ev]) => {
      const s = seconds.get(reason);
      return report(CLOSE_CODES[reason], { reason, ...(s !== undefined ? { seconds: s } : {}) }, ev.slice(0, 3));
    });
  },
});

/** A probe step the service did not answer within its bound. */
export const liveTimeouts = defineRule({
  id: 'live.timeouts',
  codes: [LIVE.noSessionStarted, LIVE.noReply],
  check(t) {
    if (!isLiveProbe(t)) return [];
    const out: Finding[] = [];
    for (const e of t.ofKind('probe.timeout')) {
      const data = { step: e.data.step, boundMs: e.data.boundMs };
      if (e.data.step === 'session.started') out.push(report(LIVE.noSessionStarted, data, [e]));
      else if (['input-transcript', 'first-audio', 'output-transcript'].includes(e.data.step)) out.push(report(LIVE.noReply, data, [e]));
    }
    return out.slice(0, 2);
  },
});
