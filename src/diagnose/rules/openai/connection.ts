import { responseOf, type Timeline } from '../../timeline.js';
import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { OPENAI, type LostReply } from './codes.js';
import { apiCodeOfError, type OE } from './shared.js';

/** livekit-plugins-openai 0.x: its receive task raised on the close, and the session never reconnected. */
const S2S_CLOSED = /OpenAI S2S connection closed unexpectedly/;

/** A new session.created this soon after a logged connection error is the agent's reconnect. */
const RECONNECT_WINDOW_MS = 30_000;

/** livekit-agents 1.x: the receive task's error and the main task's retry line of one close. */
const CLOSED = /connection closed unexpectedly/;
const CLOSED_LINE = /(?:OpenAI (?:S2S|Realtime API) )connection closed unexpectedly/;
const RETRYING = /connection failed, retrying/;
const RETRY_WINDOW_MS = 5_000;

/** "process exiting" (a job's process) or "draining/shutting down worker": the agent was ending there. */
function duringShutdown(t: Timeline, at: number): boolean {
  const signs = [...t.ofKind('log.worker.shutdown'), ...t.ofKind('log.job.process').filter((p) => p.data.step === 'exiting')];
  const jobs = t.ofKind('log.job.received');
  // a job received after the sign is a new session: its closes count again
  return signs.some((s) => s.t <= at && !jobs.some((j) => j.t > s.t && j.t <= at));
}

/** The response a dropped connection cut off: created before the drop, never done before the reconnect. */
function lostReply(t: Timeline, dropAt: number, reconnectAt: number): { lost: LostReply; created: OE } | undefined {
  const created = t
    .openai('response.created', 'server')
    .filter((c) => c.t <= dropAt)
    .at(-1);
  const id = created ? responseOf(created)?.id : undefined;
  if (!created || !id || t.openai('response.done', 'server').some((d) => d.t >= created.t && d.t <= reconnectAt && responseOf(d)?.id === id)) return undefined;
  const of = (type: string) => t.openai(type, 'server').filter((d) => d.t >= created.t && d.t <= dropAt && d.data.event['response_id'] === id);
  const audioDeltas = of('response.output_audio.delta').length;
  const words = of('response.output_audio_transcript.delta')
    .map((d) => String(d.data.event['delta'] ?? ''))
    .join('');
  return { lost: { responseId: id, createdBeforeMs: dropAt - created.t, audioDeltas, words }, created };
}

/** Connection-level facts: connect errors, upgrade statuses, closes, timeouts. */
export const connection = defineRule({
  id: 'openai.connection',
  codes: [
    OPENAI.connectFailed,
    OPENAI.upgradeRejected,
    OPENAI.invalidApiKey,
    OPENAI.rateLimited,
    OPENAI.sessionExpired,
    OPENAI.connectionClosed,
    OPENAI.stepTimeout,
    OPENAI.modelNotFound,
  ],
  check(t) {
    const out: Finding[] = [];
    for (const e of t.ofKind('probe.connect.error')) {
      out.push(report(OPENAI.connectFailed, { code: String(e.data['code']), message: String(e.data['message']) }, [e]));
    }
    for (const e of t.ofKind('probe.upgrade.response')) {
      const status = Number(e.data['status']);
      if (status === 101) continue;
      const body = String(e.data['body'] ?? '').slice(0, 300);
      // From an agent log's crash block alone (Node's "Unexpected server response: 401"), the refused socket
      // is the Realtime one only if the log says the agent was connecting to it: otherwise unconfirmed (a
      // warning) — another WebSocket plugin of the job (an STT or TTS) is refused the same way.
      const connecting = t.ofKind('log.openai.connecting').some((c) => c.t <= e.t && e.t - c.t <= 30_000);
      const unconfirmed = e.data.socket === 'unknown' && !connecting;
      const note = unconfirmed
        ? 'Unconfirmed: the log shows a WebSocket upgrade refused in the job process but not which socket — the OpenAI Realtime one unless the agent also opens another provider (STT, TTS) over WebSocket. Run at --log-level debug to see "Connecting to OpenAI Realtime API".'
        : '';
      if (status === 401) {
        out.push(
          report(OPENAI.invalidApiKey, { via: 'upgrade', body, ...(note ? { unconfirmed: note } : {}) }, [e], unconfirmed ? { severity: 'warning' } : {}),
        );
        continue;
      }
      out.push(
        report(
          OPENAI.upgradeRejected,
          { status, statusMessage: e.data['statusMessage'] ? String(e.data['statusMessage']) : '', body, ...(note ? { unconfirmed: note } : {}) },
          [e],
          unconfirmed ? { severity: 'warning' } : {},
        ),
      );
      if (status === 429) out.push(report(OPENAI.rateLimited, { via: 'upgrade' }, [e]));
    }
    const explainedByError = t.openaiErrors().some((e) => apiCodeOfError(e) !== undefined);
    for (const e of t.ofKind('probe.close')) {
      if (e.data['by'] !== 'server' || String(e.data['reason'] ?? '').startsWith('HTTP ')) continue;
      const code = Number(e.data['code']);
      if (code === 1001) out.push(report(OPENAI.sessionExpired, { via: 'close', reason: String(e.data['reason'] ?? '') }, [e]));
      else if (!explainedByError)
        out.push(report(OPENAI.connectionClosed, { via: 'close', code, reason: e.data['reason'] ? String(e.data['reason']) : '' }, [e]));
    }
    // From an agent log: the socket closed under a running session and the agent reconnected.
    let lastIncident = -Infinity;
    const showsSessions = t.openai('session.created', 'server').length > 0; // the log shows Realtime events (DEBUG)
    for (const e of t.ofKind('log.openai.connection-error')) {
      if (e.t - lastIncident < RECONNECT_WINDOW_MS) continue;
      if (duringShutdown(t, e.t)) continue; // the job was ending: its socket closing then is no fault
      const again = t.openai('session.created', 'server').find((c) => c.t > e.t && c.t - e.t <= RECONNECT_WINDOW_MS);
      if (!again) {
        // No new session: the fatal-error finding tells the rest — unless the log has no fatal error, nor an
        // API error that explains the close (session_expired, …), as with 0.x ("OpenAI S2S connection closed unexpectedly").
        const explained = t.has('agent.fatal') || t.openaiErrors().some((x) => x.t <= e.t && e.t - x.t <= 5_000 && apiCodeOfError(x) !== undefined);
        const incident = t.ofKind('log.openai.connection-error').filter((c) => c.t >= e.t && c.t - e.t <= RETRY_WINDOW_MS);
        const closedLine = incident.map((c) => String(c.data['message'] ?? '')).find((m) => CLOSED.test(m));
        if (!explained && !showsSessions && closedLine && incident.some((c) => RETRYING.test(String(c.data['message'] ?? '')))) {
          // INFO: the close and the retry are logged, the Realtime events (and so the new session) are not
          lastIncident = e.t;
          const line = CLOSED_LINE.exec(closedLine)?.[0]?.trim() ?? 'connection closed unexpectedly';
          out.push(report(OPENAI.connectionClosed, { via: 'retry', line }, incident, { severity: 'warning' }));
        } else if (!explained && S2S_CLOSED.test(String(e.data['message'] ?? ''))) {
          lastIncident = e.t;
          // a warning, as for the reconnect: an error would make `trace log` exit 3 (lkdiag could not connect), which it did not
          out.push(report(OPENAI.connectionClosed, { via: 'log', line: 'OpenAI S2S connection closed unexpectedly' }, [e], { severity: 'warning' }));
        }
        continue;
      }
      lastIncident = e.t;
      const logged = t.ofKind('log.openai.connection-error').filter((c) => c.t >= e.t && c.t <= again.t);
      const first = String(logged.map((c) => c.data['message']).find((m) => /closed unexpectedly/.test(String(m))) ?? e.data['message'] ?? '');
      const line = /(?:[A-Za-z]+ )?Realtime API connection (?:closed unexpectedly|failed[^\n(]*)/.exec(first)?.[0]?.trim() ?? first.split('\n')[0] ?? '';
      const lost = lostReply(t, e.t, again.t);
      out.push(
        report(
          OPENAI.connectionClosed,
          { via: 'reconnect', line, afterMs: again.t - e.t, ...(lost ? { lost: lost.lost } : {}) },
          [...logged, ...(lost ? [lost.created] : []), again],
          {
            severity: 'warning',
          },
        ),
      );
    }
    for (const e of t.ofKind('probe.timeout')) {
      out.push(report(OPENAI.stepTimeout, { step: String(e.data['step']), boundMs: Number(e.data['boundMs']) }, [e]));
    }
    for (const e of t.ofKind('probe.models.check')) {
      if (e.data['found'] === false)
        out.push(report(OPENAI.modelNotFound, { via: 'models', model: String(e.data['model']), status: String(e.data['status']) }, [e]));
    }
    return out;
  },
});
