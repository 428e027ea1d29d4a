import { PUBLISH_ON_BEHALF_ATTRIBUTE } from '../../../protocol/preconnect.js';
import { str } from '../../../format/index.js';
import type { Timeline } from '../../timeline.js';
import type { TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { FEATURE, PRECONNECT, type LostWhy } from './codes.js';
import { facts, features } from './facts.js';

/** Less than this between the microphone and ACTIVE is the join's own jitter, not lost speech. */
export const LOST_WORDS_MIN_MS = 500;

type Mic = TraceEvent<'room.track.published' | 'client.track.published'>;
type Active = TraceEvent<'room.participant.active' | 'client.agent.active'>;

/** Identities the trace knows as agents, and those among them that are avatar workers. */
function agentsOf(t: Timeline): { agents: Set<string>; avatars: Set<string> } {
  const agents = new Set<string>();
  const avatars = new Set<string>();
  for (const e of t.ofKind('room.participant.joined')) {
    if (e.data.kind !== 'agent') continue;
    agents.add(e.data.identity);
    if (e.data.attributes?.[PUBLISH_ON_BEHALF_ATTRIBUTE]) avatars.add(e.data.identity);
  }
  for (const e of [...t.ofKind('client.agent.joined'), ...t.ofKind('client.agent.active')]) agents.add(str(e.data.identity));
  for (const e of t.ofKind('room.participant.active')) if (e.data.kind === 'agent') agents.add(e.data.identity);
  return { agents, avatars };
}

/** The first agent that became ACTIVE and is not an avatar worker (the one that listens). */
function firstActive(t: Timeline, avatars: Set<string>): Active | undefined {
  const room = t.ofKind('room.participant.active').filter((e) => e.data.kind === 'agent' && !avatars.has(e.data.identity));
  const client = t.ofKind('client.agent.active').filter((e) => !avatars.has(str(e.data.identity)));
  return [...room, ...client].sort((a, b) => a.t - b.t)[0];
}

/** The user's microphone: our own publication when we are the user, else the first non-agent one in the room. */
function userMic(t: Timeline, agents: Set<string>, connectedAs: string | undefined): { mic: Mic; user: string } | undefined {
  const own = t.first('client.track.published');
  if (own) return { mic: own, user: connectedAs ?? 'the user' };
  const mic = t.ofKind('room.track.published').find((e) => e.data.source === 'microphone' && !agents.has(e.data.identity));
  return mic ? { mic, user: mic.data.identity } : undefined;
}

const flaggedMic = (m: Mic): boolean => (m.kind === 'client.track.published' ? m.data.preconnectFlag === true : features(m).includes(FEATURE));

/**
 * The user could speak before the agent listened, and no buffer carried those words: how long the window
 * was, and why nothing covered it. Silent when the buffer was used, or when another rule names a buffer
 * that was sent to the listening agent and not used (preconnect/not-consumed and its causes).
 */
export const lostFirstWords = defineRule({
  id: 'preconnect.lost-first-words',
  codes: [PRECONNECT.lostFirstWords],
  check(t) {
    const { agents, avatars } = agentsOf(t);
    const active = firstActive(t, avatars);
    const found = userMic(t, agents, t.first('client.connected')?.data.identity);
    if (!active || !found) return [];
    const { mic, user } = found;
    const lostMs = active.t - mic.t;
    if (lostMs < LOST_WORDS_MIN_MS) return [];
    const f = facts(t);
    if (f.pushed) return [];
    const agent = str(active.data.identity);
    const why = whyLost(t, mic, agent, avatars, f);
    if (!why) return [];
    const evidence: TraceEvent[] = [mic, active, ...(f.sent ? [f.sent] : []), ...f.failures.filter((e) => e.kind === 'log.preconnect.timeout')];
    return [
      report(
        PRECONNECT.lostFirstWords,
        { lostMs, user, trackSid: str(mic.data.trackSid), agent, why },
        evidence,
        why.kind === 'unconfirmed' ? { severity: 'warning' } : {},
      ),
    ];
  },
});

/**
 * Why the window was not covered; undefined when a buffer went to the listening agent or the agent's log shows one
 * arriving (preconnect/not-consumed, flag-missing and the failure rules explain it).
 */
function whyLost(t: Timeline, mic: Mic, agent: string, avatars: Set<string>, f: ReturnType<typeof facts>): LostWhy | undefined {
  const sent = f.sent;
  if (sent) {
    const destination = str(sent.data.destination);
    if (destination && destination !== agent) return { kind: 'wrong-agent', destination, avatar: avatars.has(destination) };
    return undefined;
  }
  // A buffer that arrived and was refused by its own failure line is named by the rule for that line — except a
  // read error, which no other rule names from a room observer's trace.
  const readError = f.failures.find((e) => e.kind === 'log.preconnect.read-error');
  if (readError) return { kind: 'unreadable', error: lastLine(readError.data.message) };
  if (f.received || f.failures.some((e) => e.kind !== 'log.preconnect.timeout')) return undefined;
  // no buffer reached the agent: a microphone without the flag is why (with the flag, the stream is missing)
  if (!flaggedMic(mic)) return { kind: 'no-flag' };
  // The synthetic user says what it sent; without it, only a DEBUG agent log can show that nothing arrived.
  if (t.has('client.connected')) return { kind: 'no-stream', log: f.log };
  if (f.log && (f.debugLog || f.failures.some((e) => e.kind === 'log.preconnect.timeout'))) return { kind: 'no-stream', log: true };
  return { kind: 'unconfirmed' };
}

/** The exception's own line at the end of a logged traceback ("StreamError: read length exceeded …"), trimmed. */
function lastLine(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines.length > 1 ? (lines.at(-1) ?? '') : '';
  return last.length > 200 ? `${last.slice(0, 199)}…` : last;
}
