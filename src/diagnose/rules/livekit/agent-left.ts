import { str } from '../../../format/index.js';
import type { Timeline } from '../../timeline.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { LIVEKIT, reasonName } from './codes.js';
import { ROOM_CLOSED } from './connection.js';

/** An agent that leaves this soon before the room closes or the connection is lost left because of it. */
export const LEAVE_WITH_ROOM_MS = 2_000;

/** Hidden observers (trace room) are never "the user". */
const OBSERVER_PREFIX = 'lkdiag-observer-';

/** Agents and users by identity, from what the room showed. */
function participants(t: Timeline): { agents: Map<string, TraceEvent>; users: Map<string, TraceEvent> } {
  const agents = new Map<string, TraceEvent>();
  const users = new Map<string, TraceEvent>();
  for (const e of t.events) {
    if (e.kind !== 'room.participant.joined' && e.kind !== 'client.agent.joined' && e.kind !== 'client.agent.active' && e.kind !== 'client.connected') continue;
    const id = str(e.data.identity);
    if (!id) continue;
    if (e.kind === 'room.participant.joined') {
      const kind = str(e.data.kind);
      if (kind === 'agent') {
        if (!agents.has(id)) agents.set(id, e);
      } else if ((kind === 'standard' || kind === 'sip') && !id.startsWith(OBSERVER_PREFIX)) {
        if (!users.has(id)) users.set(id, e);
      }
    } else if ((e.kind === 'client.agent.joined' || e.kind === 'client.agent.active') && !agents.has(id)) {
      agents.set(id, e);
    } else if (e.kind === 'client.connected' && !users.has(id)) {
      users.set(id, e); // the synthetic user itself
    }
  }
  return { agents, users };
}

/** The agent left while a user was still there, for a reason that was not its own choice. */
export const agentLeft = defineRule({
  id: 'livekit.agent-left',
  codes: [LIVEKIT.agentLeft],
  check(t: Timeline): Finding[] {
    const out: Finding[] = [];
    const { agents, users } = participants(t);
    if (agents.size === 0 || users.size === 0) return out;
    const left = t.ofKind('room.participant.left');
    const leftAt = (id: string) => left.find((e) => str(e.data['identity']) === id)?.t;
    // Ends of the session: nothing that leaves with (or after) them left mid-session.
    const ends = t.events.filter(
      (e) =>
        e.kind === 'room.closed' ||
        e.kind === 'room.observer.disconnected' ||
        e.kind === 'room.observer.left' ||
        e.kind === 'client.disconnected' ||
        e.kind === 'server.room.deleted',
    );
    const t0 = t.events[0]?.t ?? 0;
    for (const e of left) {
      const id = str(e.data['identity']);
      const joined = agents.get(id);
      if (!joined || e.t < joined.t) continue;
      const reason = reasonName(e.data['reason']);
      if (reason === 'CLIENT_INITIATED' || ROOM_CLOSED.has(reason)) continue;
      if (ends.some((x) => x.t <= e.t + LEAVE_WITH_ROOM_MS)) continue;
      const present = [...users].filter(([uid, j]) => j.t <= e.t && (leftAt(uid) ?? Infinity) > e.t).map(([uid]) => uid);
      if (present.length === 0) continue; // the user had gone: the agent's session ended with them
      const state = t
        .ofKind('agent.state')
        .filter((x) => x.t <= e.t && x.source === 'room' && str(x.data.identity) === id)
        .at(-1);
      out.push(
        report(LIVEKIT.agentLeft, { identity: id, intoMs: e.t - t0, reason, present, ...(state ? { state: str(state.data.to) } : {}) }, [
          joined,
          ...(state ? [state] : []),
          e,
        ]),
      );
    }
    return out;
  },
});
