import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { isLog, replySigns } from '../queries.js';
import { AGENT } from './codes.js';

/** How long a committed user turn may wait for any sign of a reply. */
export const REPLY_BOUND_MS = 15_000;
/** Commit signals this close together (server commit, log line, user item) are one turn. */
const SAME_TURN_MS = 3_000;
/** A turn the session or trace ended within this long after had no fair chance of a reply (a Realtime reply takes 0.3–2 s). */
const NO_BASIS_MS = 3_000;

export const replyNeverSpoken = defineRule({
  id: 'agent.reply-never-spoken',
  codes: [AGENT.replyNeverSpoken],
  check(t) {
    const commits = t.events.filter(
      (e) =>
        (e.kind === 'openai.input_audio_buffer.committed' && e.data['direction'] === 'server') ||
        e.kind === 'agent.turn-committed' ||
        (e.kind === 'conversation.item' && e.data.role === 'user'),
    );
    // Group the signals of one turn.
    const turns: TraceEvent[][] = [];
    for (const c of commits) {
      const last = turns.at(-1);
      if (last && c.t - last[0]!.t <= SAME_TURN_MS) last.push(c);
      else turns.push([c]);
    }
    const replies = replySigns(t);
    const terminal = t.events.filter(
      (e) =>
        e.kind === 'agent.session-closed' || e.kind === 'agent.fatal' || e.kind === 'room.closed' || (e.kind === 'agent.error' && e.data.recoverable === false),
    );
    const end = t.end ?? 0;
    const out: Finding[] = [];
    for (const [i, turn] of turns.entries()) {
      const start = turn[0]!.t;
      const nextTurn = turns[i + 1]?.[0]?.t ?? Infinity;
      const bound = start + REPLY_BOUND_MS;
      if (replies.some((r) => r.t >= start && r.t <= bound)) continue;
      // A new user turn before the bound with a reply to it: the agent answered the combined turn.
      if (nextTurn <= bound) continue;
      const closed = terminal.find((e) => e.t >= start && e.t <= bound);
      // The session (or the trace) ended before any reply was due: no basis either way.
      if (closed && closed.t - start < NO_BASIS_MS) continue;
      const waited = Math.min(end, bound) - start;
      if (waited < REPLY_BOUND_MS && !closed) {
        if (end - start < NO_BASIS_MS) continue; // the trace ends right after the turn: no basis
        out.push(report(AGENT.replyNeverSpoken, { via: 'cut-short', waitedMs: waited, boundMs: REPLY_BOUND_MS }, turn, { severity: 'warning' }));
        continue;
      }
      const onlyRoom = !t.openai().length && !t.events.some(isLog);
      const data = {
        via: 'unanswered' as const,
        kinds: turn.map((e) => e.kind),
        waitedMs: Math.min(waited, REPLY_BOUND_MS),
        ...(closed ? { closed: { afterMs: closed.t - start, kind: closed.kind } } : {}),
        onlyRoom,
      };
      out.push(report(AGENT.replyNeverSpoken, data, closed ? [...turn, closed] : turn));
    }
    return out;
  },
});
