import { str } from '../../../format/index.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { FEATURE, PRECONNECT, PRECONNECT_TIMEOUT_MS } from './codes.js';
import { attempted, facts, features, injected } from './facts.js';

/** Client-side faults, seen by the synthetic user or on the published track. */
export const clientSide = defineRule({
  id: 'preconnect.client',
  codes: [PRECONNECT.flagMissing, PRECONNECT.missingTrackId, PRECONNECT.notCompletedInTime],
  check(t) {
    const f = facts(t);
    if (!attempted(t, f)) return [];
    const out: Finding[] = [];

    // The flag: the synthetic user's own publication, or a microphone seen in the room while a buffer was sent.
    const buffered = f.sent ?? f.received;
    // Our own publication is authoritative when we are the user; otherwise the microphone the
    // buffer names (trackId), or any non-agent microphone — never an agent's own audio track.
    const own = t.ofKind('client.track.published');
    const agentIds = new Set<string>();
    for (const e of t.events) {
      if ((e.kind === 'room.participant.joined' && e.data.kind === 'agent') || e.kind === 'client.agent.joined' || e.kind === 'client.agent.active')
        agentIds.add(str(e.data.identity));
    }
    const trackId = buffered ? str(buffered.data.trackId) : '';
    const userMics = t
      .ofKind('room.track.published')
      .filter((e) => e.data.source === 'microphone' && !agentIds.has(str(e.data.identity)) && (!trackId || e.data.trackSid === trackId));
    const unflagged =
      own.length > 0 ? own.find((e) => e.data.preconnectFlag === false) : buffered ? userMics.find((e) => !features(e).includes(FEATURE)) : undefined;
    if (unflagged && buffered) {
      const confirmation = f.received && !f.pushed ? 'log-confirms' : f.log ? 'none' : 'no-log';
      out.push(
        report(PRECONNECT.flagMissing, { trackSid: str(unflagged.data.trackSid), injected: !!injected(t, 'no-preconnect-flag'), confirmation }, [
          unflagged,
          buffered,
          ...(f.received && f.received !== buffered ? [f.received] : []),
        ]),
      );
    }

    // trackId: the agent's warning, the stream's attributes, or the injected fault.
    const noId = t.first('log.preconnect.no-track-id');
    const openedNoId = f.sent && !str(f.sent.data.trackId) ? f.sent : undefined;
    const omit = injected(t, 'omit-track-id');
    if (noId || openedNoId || omit) {
      const evidence: TraceEvent[] = [omit, openedNoId, noId].filter((e) => e !== undefined);
      out.push(report(PRECONNECT.missingTrackId, noId ? { via: 'logged', injected: !!omit } : { via: 'attributes', injected: !!omit, log: f.log }, evidence));
    }

    // Stream held open past the agent's 3 s.
    const late = t.first('log.preconnect.not-completed');
    const heldMs = f.sent && f.closed ? f.closed.t - f.sent.t : undefined;
    if (late) {
      out.push(
        report(
          PRECONNECT.notCompletedInTime,
          { via: 'logged', ...(heldMs !== undefined ? { heldMs } : {}) },
          [f.sent, late, f.closed].filter((e) => e !== undefined),
        ),
      );
    } else if (f.sent && f.closed && heldMs !== undefined && heldMs > PRECONNECT_TIMEOUT_MS && !(f.log && f.pushed)) {
      const reason = f.closed.data.reason;
      out.push(report(PRECONNECT.notCompletedInTime, { via: 'held', heldMs, ...(reason ? { closedOn: str(reason) } : {}), log: f.log }, [f.sent, f.closed]));
    }
    return out;
  },
});
