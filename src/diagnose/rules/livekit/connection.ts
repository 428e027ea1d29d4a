import { str } from '../../../format/index.js';
import type { Timeline } from '../../timeline.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { LIVEKIT, reasonName, type ApiFailure, type UnreachableWhy } from './codes.js';

/** The server closed the room, or removed the participant: the session ended, nothing was lost in transit. */
export const ROOM_CLOSED = new Set(['ROOM_DELETED', 'ROOM_CLOSED']);
const REMOVED = new Set(['PARTICIPANT_REMOVED', 'DUPLICATE_IDENTITY']);

/** A failed API call that never got an HTTP answer: the server (or the way to it) is gone. */
const unanswered = (t: Timeline) => t.ofKind('server.api.failed').filter((e) => typeof e.data.status !== 'number');

type Failed = TraceEvent<'server.api.failed'>;
const failureOf = (e: Failed): ApiFailure => ({ call: str(e.data.call), message: str(e.data.message), code: e.data.code ? str(e.data.code) : '' });
const apiOf = (failures: readonly Failed[]) => (failures[0] ? { api: failureOf(failures[0]) } : {});

/** The connection to the server: lost mid-session (exit 3), or the session ended by the server under a run. */
export const connection = defineRule({
  id: 'livekit.connection',
  codes: [LIVEKIT.serverConnectionLost, LIVEKIT.roomClosedMidRun],
  check(t: Timeline): Finding[] {
    const out: Finding[] = [];
    const failures = unanswered(t);
    let lost = false;
    const t0 = t.events[0]?.t ?? 0;

    // trace room: the observer's Room disconnected (or never came back from reconnecting).
    for (const e of t.ofKind('room.observer.disconnected')) {
      if (e.data['connectionLost'] !== true) continue;
      lost = true;
      const reconnecting = t
        .ofKind('room.observer.reconnecting')
        .filter((r) => r.t <= e.t)
        .at(-1);
      const data = {
        via: 'observer' as const,
        intoMs: e.t - t0,
        reason: reasonName(e.data['reason']),
        reconnectingMs: Number(e.data.reconnectingMs ?? 0),
        roomStillListed: e.data['api'] === 'room still listed',
        ...apiOf(failures),
      };
      out.push(report(LIVEKIT.serverConnectionLost, data, [...(reconnecting ? [reconnecting] : []), e, ...failures]));
    }

    // send-preconnect, smoke: the synthetic user's Room disconnected while the run was still going.
    for (const e of t.ofKind('client.disconnected')) {
      const reason = reasonName(e.data['reason']);
      if (reason === 'CLIENT_INITIATED') continue;
      const afterMs = typeof e.data['afterMs'] === 'number' ? { afterMs: e.data['afterMs'] } : {};
      if (ROOM_CLOSED.has(reason) || REMOVED.has(reason)) {
        out.push(report(LIVEKIT.roomClosedMidRun, { ...afterMs, reason, roomClosed: ROOM_CLOSED.has(reason) }, [e]));
        continue;
      }
      lost = true;
      const reconnecting = t
        .ofKind('client.reconnecting')
        .filter((r) => r.t <= e.t)
        .at(-1);
      const message = reason === 'JOIN_FAILED' && typeof e.data['message'] === 'string' ? { message: e.data['message'] } : {};
      const data = {
        via: 'client' as const,
        ...afterMs,
        reason,
        ...message,
        ...(reconnecting ? { reconnectingForMs: e.t - reconnecting.t } : {}),
        ...apiOf(failures),
      };
      out.push(report(LIVEKIT.serverConnectionLost, data, [...(reconnecting ? [reconnecting] : []), e, ...failures]));
    }

    // send-preconnect, smoke: the run ended (e.g. on its agent bound) while the Room was still
    // reconnecting after losing its signal connection; the SDK had not given up yet.
    const reconnecting = t.ofKind('client.reconnecting').at(-1);
    if (reconnecting && !t.events.some((x) => x.t >= reconnecting.t && (x.kind === 'client.reconnected' || x.kind === 'client.disconnected'))) {
      lost = true;
      out.push(
        report(LIVEKIT.serverConnectionLost, { via: 'still-reconnecting', intoMs: reconnecting.t - t0, ...apiOf(failures) }, [reconnecting, ...failures]),
      );
    }

    // The API alone: its requests got no answer (e.g. the dispatch state at the end of a trace).
    const first = failures[0];
    if (!lost && first) {
      out.push(report(LIVEKIT.serverConnectionLost, { via: 'api', failure: failureOf(first), when: first.data.when ? str(first.data.when) : '' }, failures));
    }
    return out;
  },
});

/** What a worker connection failure's reason says (aiohttp / OS / agents-js wordings). */
function whyOf(reason: string, status: number | undefined): UnreachableWhy {
  if (status === 401 || status === 403) return 'auth';
  if (status !== undefined) return 'http';
  if (/refused|Connect call failed|ECONNREFUSED|Errno 111|Errno 61|WinError 1225/i.test(reason)) return 'refused';
  if (/Name or service not known|nodename nor servname|getaddrinfo|name resolution|No address associated|ENOTFOUND|Errno -[235]\b|Errno 11001/i.test(reason))
    return 'dns';
  if (/SSL|certificate|WRONG_VERSION_NUMBER|TLS/i.test(reason)) return 'tls';
  if (/timed? ?out|TimeoutError|ETIMEDOUT/i.test(reason)) return 'timeout';
  if (/Cannot connect to host|ClientConnectorError|ClientConnectionError|EHOSTUNREACH|ENETUNREACH|No route to host|unreachable/i.test(reason))
    return 'unreachable';
  return 'unknown';
}

/**
 * The worker's connection loop failed to reach the LiveKit server. An error when the log says why (refused,
 * DNS, TLS, a 401…) and the worker never registered after it; a warning when the reason is not in the log
 * (a traceback cut off) — the server may have been unreachable for another cause — or when it registered later.
 */
export const workerConnect = defineRule({
  id: 'livekit.worker-connect',
  codes: [LIVEKIT.serverUnreachable],
  check(t: Timeline): Finding[] {
    const failed = t.ofKind('log.worker.connect-failed');
    const last = failed.at(-1);
    if (!last) return [];
    const withReason = failed.filter((e) => e.data.reason || e.data.status !== undefined);
    const told = withReason.at(-1) ?? last;
    const reason = told.data.reason ?? '';
    const why = whyOf(reason, told.data.status);
    const registered = t.ofKind('log.worker.registered').find((e) => e.t >= last.t);
    const host = /Cannot connect to host (\S+)/.exec(reason)?.[1] ?? /url='([^']+)'/.exec(reason)?.[1];
    const data = {
      attempts: failed.length,
      why,
      ...(told.data.reason ? { reason: told.data.reason } : {}),
      ...(host ? { host } : {}),
      ...(told.data.status !== undefined ? { status: told.data.status } : {}),
      gaveUp: failed.some((e) => e.data.final === true),
      registeredAfter: registered !== undefined,
    };
    const evidence = [...failed.slice(0, 3), ...(told === last || failed.indexOf(told) < 3 ? [] : [told]), ...(registered ? [registered] : [])];
    const settled = why !== 'unknown' && !registered;
    return [report(LIVEKIT.serverUnreachable, data, evidence, settled ? {} : { severity: 'warning' })];
  },
});
