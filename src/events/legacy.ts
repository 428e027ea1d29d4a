/**
 * Kinds lkdiag emitted before the one-kind-per-fact vocabulary (issue #11), and how an event of
 * one reads today: NDJSON reports written by an older lkdiag still load (`trace log` on them), and
 * scripts/kinds-diff.mjs maps old output onto new with the same table.
 */

/** Old kind → new kind (room.transcription depends on its role: see upgradeLegacyEvent). */
export const LEGACY_KINDS: Readonly<Record<string, string>> = {
  'session.agent-state': 'agent.state',
  'room.agent.state': 'agent.state',
  'log.agent.agent-state': 'agent.state',
  'session.user-state': 'user.state',
  'log.agent.user-state': 'user.state',
  'session.item': 'conversation.item',
  'log.agent.item-added': 'conversation.item',
  'session.user-transcribed': 'user.transcript',
  'log.agent.user-transcript': 'user.transcript',
  'room.transcription': 'user.transcript', // 'agent.transcript' when data.role is 'agent'
  'session.false-interruption': 'agent.false-interruption',
  'log.agent.false-interruption': 'agent.false-interruption',
  'session.overlapping-speech': 'agent.overlapping-speech',
  'session.error': 'agent.error',
  'session.eot-prediction': 'agent.eot-prediction',
  'log.agent.start-reading': 'agent.start-reading',
  'log.agent.generate-reply-failed': 'agent.generate-reply-failed',
  'log.agent.turn-committed': 'agent.turn-committed',
  'log.agent.fatal': 'agent.fatal',
  'log.agent.session-closed': 'agent.session-closed',
};

/**
 * An event of an old kind as it reads today: the new kind, and data fields renamed where the
 * sources differed (room: `state`→`to`, `previous`→`from`; transcription: `text`→`transcript`, no `role`).
 * Events of current kinds are returned as they are.
 */
export function upgradeLegacyEvent<E extends { kind: string; data: Record<string, unknown> }>(e: E): E {
  const kind = LEGACY_KINDS[e.kind];
  if (kind === undefined) return e;
  if (e.kind === 'room.agent.state') {
    const { state, previous, ...rest } = e.data;
    return { ...e, kind, data: { ...rest, to: state, ...(previous !== undefined ? { from: previous } : {}) } };
  }
  if (e.kind === 'room.transcription') {
    const { role, text, ...rest } = e.data;
    const { identity, ...others } = rest;
    return { ...e, kind: role === 'agent' ? 'agent.transcript' : kind, data: { ...(identity !== undefined ? { identity } : {}), transcript: text, ...others } };
  }
  return { ...e, kind };
}
