import { finding } from '../engine.js';
import type { Timeline } from '../timeline.js';
import type { Finding, Rule, TraceEvent } from '../types.js';
import { ms, sec } from './agent.js';
import { DISCONNECT_REASONS, LIVEKIT } from './livekit-codes.js';

/** An agent that leaves this soon before the room closes or the connection is lost left because of it. */
export const LEAVE_WITH_ROOM_MS = 2_000;

/** Hidden observers (trace room) are never "the user". */
const OBSERVER_PREFIX = 'lkdiag-observer-';

/** The server closed the room, or removed the participant: the session ended, nothing was lost in transit. */
const ROOM_CLOSED = new Set(['ROOM_DELETED', 'ROOM_CLOSED']);
const REMOVED = new Set(['PARTICIPANT_REMOVED', 'DUPLICATE_IDENTITY']);

/** A DisconnectReason as a name, whether the event carries its number or its name. */
export function reasonName(v: unknown): string {
  if (typeof v === 'number') return DISCONNECT_REASONS[v] ?? `REASON_${v}`;
  if (typeof v === 'string' && v) return v;
  return 'UNKNOWN_REASON';
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** A failed API call that never got an HTTP answer: the server (or the way to it) is gone. */
const unanswered = (e: TraceEvent) => e.kind === 'server.api.failed' && typeof e.data['status'] !== 'number';

function apiNote(failures: readonly TraceEvent[]): string {
  if (failures.length === 0) return '';
  const f = failures[0]!;
  return ` The server API did not answer either (${str(f.data['call'])}: ${str(f.data['message'])}${f.data['code'] ? ` ${str(f.data['code'])}` : ''}).`;
}

/** The connection to the server: lost mid-session (exit 3), or the session ended by the server under a run. */
const connection: Rule = {
  id: 'livekit.connection',
  codes: [LIVEKIT.serverConnectionLost, LIVEKIT.roomClosedMidRun],
  check(t: Timeline): Finding[] {
    const out: Finding[] = [];
    const failures = t.events.filter(unanswered);
    let lost = false;
    const t0 = t.events[0]?.t ?? 0;

    // trace room: the observer's Room disconnected (or never came back from reconnecting).
    for (const e of t.ofKind('room.observer.disconnected')) {
      if (e.data['connectionLost'] !== true) continue;
      lost = true;
      const reason = reasonName(e.data['reason']);
      const reconnecting = t.ofKind('room.observer.reconnecting').filter((r) => r.t <= e.t).at(-1);
      const how =
        reason === 'RECONNECTING'
          ? `its connection dropped and did not come back (reconnecting for ${ms(Number(e.data['reconnectingMs'] ?? 0))})`
          : `it was disconnected with ${reason}`;
      const api = e.data['api'] === 'room still listed' ? ' The server API still lists the room: only the way from here to the server\'s signal connection is broken.' : apiNote(failures);
      out.push(
        finding(LIVEKIT.serverConnectionLost, `The observer lost the LiveKit server ${sec(e.t - t0)} into the trace: ${how}, and the server did not say the room was closed.${api} The timeline ends there.`, [
          ...(reconnecting ? [reconnecting] : []),
          e,
          ...failures,
        ]),
      );
    }

    // send-preconnect, smoke: the synthetic user's Room disconnected while the run was still going.
    for (const e of t.ofKind('client.disconnected')) {
      const reason = reasonName(e.data['reason']);
      if (reason === 'CLIENT_INITIATED') continue;
      const after = typeof e.data['afterMs'] === 'number' ? ` ${sec(e.data['afterMs'])} into the run` : '';
      if (ROOM_CLOSED.has(reason) || REMOVED.has(reason)) {
        const what = ROOM_CLOSED.has(reason) ? 'the server closed the room' : 'the server removed the user from the room';
        out.push(finding(LIVEKIT.roomClosedMidRun, `The synthetic user was disconnected${after} with ${reason}: ${what} before the run was over.`, [e]));
        continue;
      }
      lost = true;
      const reconnecting = t.ofKind('client.reconnecting').filter((r) => r.t <= e.t).at(-1);
      const tried = reconnecting ? `; it had been reconnecting for ${ms(e.t - reconnecting.t)}` : '';
      out.push(
        finding(LIVEKIT.serverConnectionLost, `The synthetic user lost its connection to the LiveKit server${after} (${reason}${tried}) before the run was over.${apiNote(failures)} The run ends there.`, [
          ...(reconnecting ? [reconnecting] : []),
          e,
          ...failures,
        ]),
      );
    }

    // send-preconnect, smoke: the run ended (e.g. on its agent bound) while the Room was still
    // reconnecting after losing its signal connection; the SDK had not given up yet.
    const reconnecting = t.ofKind('client.reconnecting').at(-1);
    if (reconnecting && !t.events.some((x) => x.t >= reconnecting.t && (x.kind === 'client.reconnected' || x.kind === 'client.disconnected'))) {
      lost = true;
      out.push(
        finding(LIVEKIT.serverConnectionLost, `The synthetic user's connection to the LiveKit server dropped ${sec(reconnecting.t - t0)} into the run and was still reconnecting when the run ended.${apiNote(failures)} What came after the drop is missing from this run.`, [
          reconnecting,
          ...failures,
        ]),
      );
    }

    // The API alone: its requests got no answer (e.g. the dispatch state at the end of a trace).
    if (!lost && failures.length > 0) {
      const f = failures[0]!;
      out.push(
        finding(
          LIVEKIT.serverConnectionLost,
          `The LiveKit server API did not answer ${str(f.data['call'])}${f.data['when'] ? ` (${str(f.data['when'])})` : ''}: ${str(f.data['message'])}${f.data['code'] ? ` ${str(f.data['code'])}` : ''}.`,
          failures,
        ),
      );
    }
    return out;
  },
};

/** Agents and users by identity, from what the room showed. */
function participants(t: Timeline): { agents: Map<string, TraceEvent>; users: Map<string, TraceEvent> } {
  const agents = new Map<string, TraceEvent>();
  const users = new Map<string, TraceEvent>();
  for (const e of t.events) {
    const id = str(e.data['identity']);
    if (!id) continue;
    if (e.kind === 'room.participant.joined') {
      const kind = str(e.data['kind']);
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
const agentLeft: Rule = {
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
      const state = t.events.filter((x) => x.t <= e.t && x.kind === 'room.agent.state' && str(x.data['identity']) === id).at(-1);
      const doing = state ? ` It was ${str(state.data['state'])} (lk.agent.state)${state.data['state'] === 'speaking' || state.data['state'] === 'thinking' ? ': the reply in progress was lost' : ''}.` : '';
      out.push(
        finding(
          LIVEKIT.agentLeft,
          `The agent ${id} left ${sec(e.t - t0)} into the session with reason ${reason} while ${present.join(', ')} ${present.length > 1 ? 'were' : 'was'} still in the room.${doing}`,
          [joined, ...(state ? [state] : []), e],
        ),
      );
    }
    return out;
  },
};

export const LIVEKIT_RULES: readonly Rule[] = [connection, agentLeft];
