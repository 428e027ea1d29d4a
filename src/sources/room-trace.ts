/**
 * The observer session behind `lkdiag trace room`: checks that the room exists (never creates it),
 * joins as a hidden, dependent, read-only participant, tails what happens (room.* and session.* via
 * observeRoom), asks the agent read-only questions over lk.agent.session, records dispatch state,
 * and leaves when the room closes, the users are gone, the duration is up, or on Ctrl-C — or when
 * the connection to the server is lost (the server died, the network was cut): a room the server
 * closed (ROOM_DELETED / ROOM_CLOSED, or the API confirms it is gone) is told apart from a lost
 * connection (room.observer.disconnected {connectionLost}), and API calls that fail are events
 * (server.api.failed), so the rules can say which it was.
 *
 * Grants (shared/spec/observe.md §4 "Observer token"; docs in the command's --help):
 *   hidden: true               nobody sees it: the agent never links it as "the user", clients
 *                              never pick it as the agent for a pre-connect buffer
 *   agent: true                "dependent": it does not keep the room alive after the user leaves,
 *                              does not trigger participant-targeted agent jobs, is not counted
 *                              (not `recorder`, which clients would show as a recording)
 *   canPublish: false          no media, ever
 *   canPublishData: true       only to send the read-only SessionRequests (ping,
 *                              get_framework_info, get_session_state); never run_input/update_io
 *   canSubscribe: false        we do not measure the agent's audio: lk.agent.state says when it
 *                              speaks, and an observer that pulls media costs the server and the
 *                              network for nothing
 *   canUpdateOwnMetadata: false (default)
 *   canManageAgentSession: true forward compatibility (no released agent enforces it)
 */
import { randomBytes } from 'node:crypto';
import type { ByteStreamReader, Room } from '@livekit/rtc-node';
import { AgentSession } from '@livekit/protocol';
import type { TraceEvent } from '../diagnose/types.js';
import { usageError } from '../errors.js';
import { AGENT_SESSION_TOPIC, AGENT_STATE_ATTRIBUTE, PARTICIPANT_STATE_ACTIVE, PUBLISH_ON_BEHALF_ATTRIBUTE } from '../protocol/preconnect.js';
import { now, sleep, within } from './clock.js';
import { kindName, liveKitError, mintToken, serverClients, type LiveKitTarget } from './livekit.js';
import { observeRoom } from './room-observer.js';

export const OBSERVER_PREFIX = 'lkdiag-observer-';
/** No standard/SIP participant for this long (after one was there): the session is over. */
export const USERS_GONE_GRACE_MS = 3_000;
/** Bound on each read-only request's answer. */
export const REQUEST_TIMEOUT_MS = 3_000;

/** Reconnecting (signal lost, the SDK retrying) for longer than this: the connection is lost. */
export const RECONNECT_BOUND_MS = 5_000;
/** Bound on each API call made once the connection looks lost. */
export const API_CHECK_TIMEOUT_MS = 3_000;

export type StopReason = 'room-closed' | 'users-left' | 'duration' | 'interrupted' | 'connection-lost' | 'removed';

/** Disconnect reasons (rtc-node DisconnectReason names) that mean the server closed the room itself. */
const ROOM_CLOSED_REASONS = new Set(['ROOM_DELETED', 'ROOM_CLOSED']);
/** Someone removed the observer (or joined with its identity): not a connection problem. */
const REMOVED_REASONS = new Set(['PARTICIPANT_REMOVED', 'DUPLICATE_IDENTITY']);

/** What a failed API call says about the connection: no HTTP status means the request never got an answer. */
function apiFailure(call: string, when: string, err: unknown): Record<string, unknown> {
  const e = err as { status?: number; message?: string; cause?: { code?: string } };
  return { call, when, message: String(e.message ?? err).slice(0, 200), ...(typeof e.status === 'number' ? { status: e.status } : {}), ...(e.cause?.code ? { code: e.cause.code } : {}) };
}

export interface RoomTraceOptions {
  target: LiveKitTarget;
  room: string;
  /** Stop after this long (ms); none: until the room closes or the users leave. */
  durationMs?: number;
  signal: AbortSignal;
  onEvent: (e: TraceEvent) => void;
  /** Called once the room is known to exist (before joining): the room's creation time (epoch ms). */
  onRoom?: (info: { createdAtMs?: number }) => void;
  usersGoneGraceMs?: number;
  requestTimeoutMs?: number;
  /** Note something on stderr (the command decides how). */
  note?: (msg: string) => void;
}

export interface RoomTraceRun {
  identity: string;
  stopReason: StopReason;
  agents: string[];
  /** What each read-only request got: answered, error, or no answer within the bound. */
  requests: Array<{ agent: string; request: string; status: 'answered' | 'error' | 'no-answer'; ms?: number }>;
  roomCreatedAtMs?: number;
}

type ReadOnlyRequest = 'ping' | 'getFrameworkInfo' | 'getSessionState';
const REQUEST_NAMES: Record<ReadOnlyRequest, string> = { ping: 'ping', getFrameworkInfo: 'get_framework_info', getSessionState: 'get_session_state' };

function readOnlyRequest(kind: ReadOnlyRequest, requestId: string): Uint8Array {
  // Only these three cases can be built here: run_input / update_io are never sent.
  const S = AgentSession;
  const request =
    kind === 'ping'
      ? { case: 'ping' as const, value: new S.SessionRequest_Ping() }
      : kind === 'getFrameworkInfo'
        ? { case: 'getFrameworkInfo' as const, value: new S.SessionRequest_GetFrameworkInfo() }
        : { case: 'getSessionState' as const, value: new S.SessionRequest_GetSessionState() };
  return new S.AgentSessionMessage({ message: { case: 'request', value: new S.SessionRequest({ requestId, request }) } }).toBinary();
}

const bigMs = (v: bigint | number | undefined) => (v === undefined ? undefined : Number(v));

export async function runRoomTrace(o: RoomTraceOptions): Promise<RoomTraceRun> {
  let finished = false; // nothing is emitted once the run has returned (a late API answer, an SDK event)
  const emit = (e: TraceEvent) => {
    if (!finished) o.onEvent(e);
  };
  const ev = (kind: string, data: Record<string, unknown>, source: TraceEvent['source'] = 'server') => emit({ t: now(), source, kind, data });
  const clients = await serverClients(o.target);

  // ---- the room must exist: joining would create it (and dispatch agents) ----
  const rooms = await clients.rooms.listRooms([o.room]).catch((err: unknown) => {
    throw liveKitError(err, o.target, 'listing rooms');
  });
  const info = rooms.find((r) => r.name === o.room);
  if (!info) {
    throw usageError(`room ${JSON.stringify(o.room)} does not exist on ${o.target.httpUrl}`, 'trace room never creates a room (joining would create it and dispatch agents): start the session first, or check the name with `lk room list`.');
  }
  const roomCreatedAtMs = bigMs(info.creationTimeMs) || (bigMs(info.creationTime) ?? 0) * 1000 || undefined;
  o.onRoom?.({ ...(roomCreatedAtMs ? { createdAtMs: roomCreatedAtMs } : {}) });

  const dispatchState = async (when: 'start' | 'end') => {
    const list = await within(
      clients.dispatch.listDispatch(o.room).catch((err: unknown) => {
        ev('server.api.failed', apiFailure('listDispatch', when, err));
        return undefined;
      }),
      when === 'end' ? API_CHECK_TIMEOUT_MS * 2 : API_CHECK_TIMEOUT_MS * 4,
    );
    for (const d of list ?? []) {
      ev('server.dispatch.state', {
        when,
        id: d.id,
        agentName: d.agentName,
        jobs: (d.state?.jobs ?? []).map((j) => ({
          id: j.id,
          status: j.state?.status !== undefined ? jobStatus(j.state.status) : undefined,
          ...(j.state?.error ? { error: j.state.error } : {}),
          ...(j.state?.participantIdentity ? { participantIdentity: j.state.participantIdentity } : {}),
        })),
      });
    }
  };
  await dispatchState('start');

  // ---- join hidden, dependent, read-only ----
  const identity = `${OBSERVER_PREFIX}${randomBytes(4).toString('hex')}`;
  const token = await mintToken(o.target, { identity, room: o.room, hidden: true, agent: true, canPublish: false, canSubscribe: false, canPublishData: true, canManageAgentSession: true });
  const { Room, DisconnectReason } = await import('@livekit/rtc-node');
  const room: Room = new Room();
  let closed: string | undefined;
  let reconnectingSince: number | undefined;
  room.on('disconnected' as never, ((reason: number) => {
    closed = (DisconnectReason as unknown as Record<number, string>)[reason] ?? String(reason);
  }) as never);
  room.on('reconnecting' as never, (() => {
    reconnectingSince ??= now();
    ev('room.observer.reconnecting', {}, 'room');
  }) as never);
  room.on('reconnected' as never, (() => {
    const since = reconnectingSince;
    reconnectingSince = undefined;
    ev('room.observer.reconnected', since !== undefined ? { tookMs: Math.round(now() - since) } : {}, 'room');
  }) as never);
  try {
    await room.connect(o.target.wsUrl, token, { autoSubscribe: false, dynacast: false });
  } catch (err) {
    throw liveKitError(err, o.target, 'joining the room as a hidden observer');
  }
  ev('room.observer.joined', { url: o.target.wsUrl, room: o.room, identity, hidden: true }, 'room');

  // Requests we sent, by id: their answers get the request name (docs/events.md session.response).
  const pending = new Map<string, { request: string; agent: string; at: number; resolve: (ok: boolean | undefined) => void }>();
  const observer = observeRoom(
    room,
    (e) => {
      if (e.kind === 'session.response') {
        const p = pending.get(String(e.data['requestId'] ?? ''));
        if (!p) return; // someone else's request (broadcast by Python agents): not ours to report
        pending.delete(String(e.data['requestId']));
        const answered = { ...e, data: { ...e.data, request: p.request, agent: p.agent, ms: Math.round(now() - p.at) } };
        emit(answered);
        p.resolve(e.data['ok'] !== false);
        return;
      }
      emit(e);
    },
    { selfIdentity: identity, agentAudio: false },
  );
  const onUnpublished = (pub: { sid?: string }, p: { identity: string }) => ev('room.track.unpublished', { identity: p.identity, trackSid: pub.sid }, 'room');
  room.on('trackUnpublished' as never, onUnpublished as never);

  const requests: RoomTraceRun['requests'] = [];
  const asked = new Set<string>();
  const activeSince = new Map<string, number>();
  const requestTimeoutMs = o.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  let stopping = false;

  async function ask(agent: string, kind: ReadOnlyRequest): Promise<'answered' | 'error' | 'no-answer'> {
    const requestId = `lkdiag-${randomBytes(6).toString('hex')}`;
    const name = REQUEST_NAMES[kind];
    const at = now();
    const answered = new Promise<boolean | undefined>((resolve) => pending.set(requestId, { request: name, agent, at, resolve }));
    try {
      const w = await room.localParticipant!.streamBytes({ topic: AGENT_SESSION_TOPIC, name: `AS_${requestId}`, destinationIdentities: [agent] });
      await w.write(readOnlyRequest(kind, requestId));
      await w.close();
    } catch (err) {
      pending.delete(requestId);
      ev('room.observer.request-failed', { request: name, agent, message: (err as Error).message }, 'room');
      return 'error';
    }
    ev('room.observer.request', { request: name, agent, requestId }, 'room');
    const r = await within(answered, requestTimeoutMs);
    if (r === undefined) {
      pending.delete(requestId);
      if (!stopping) {
        ev('session.response', { request: name, agent, ok: false, answered: false, boundMs: requestTimeoutMs }, 'session');
      }
      return 'no-answer';
    }
    return r ? 'answered' : 'error';
  }

  /** Read-only questions for each agent whose session is up (it has set lk.agent.state). */
  async function interview(agent: string) {
    const t0 = now();
    const pong = await ask(agent, 'ping');
    requests.push({ agent, request: 'ping', status: pong, ...(pong === 'answered' ? { ms: Math.round(now() - t0) } : {}) });
    if (pong !== 'answered') {
      o.note?.(`the agent ${agent} did not answer a ping on ${AGENT_SESSION_TOPIC} within ${requestTimeoutMs} ms: an agents-js agent (it answers only its linked user) or Python < 1.5; its state comes from lk.agent.state and transcripts only`);
      return;
    }
    for (const kind of ['getFrameworkInfo', 'getSessionState'] as const) {
      if (stopping) return;
      const s0 = now();
      const r = await ask(agent, kind);
      requests.push({ agent, request: REQUEST_NAMES[kind], status: r, ...(r === 'answered' ? { ms: Math.round(now() - s0) } : {}) });
    }
  }
  const interviews: Promise<void>[] = [];

  /**
   * The observer lost the room: the server closed it (its reason says so, or the API confirms the
   * room is gone), someone removed the observer, or the connection to the server is lost.
   */
  async function disconnected(reason: string, reconnectingMs?: number): Promise<StopReason> {
    const afterMs = Math.round(now() - started);
    const base = { reason, afterMs, ...(reconnectingMs !== undefined ? { reconnectingMs } : {}) };
    if (ROOM_CLOSED_REASONS.has(reason)) {
      ev('room.observer.disconnected', { ...base, connectionLost: false, roomGone: true }, 'room');
      return 'room-closed';
    }
    if (REMOVED_REASONS.has(reason)) {
      ev('room.observer.disconnected', { ...base, connectionLost: false }, 'room');
      return 'removed';
    }
    // Any other reason (SERVER_SHUTDOWN, SIGNAL_CLOSE, UNKNOWN_REASON, a reconnect that does not end…):
    // ask the server whether the room is still there.
    const listed = await within(
      clients.rooms.listRooms([o.room]).then(
        (r) => r.some((x) => x.name === o.room),
        (err: unknown) => {
          ev('server.api.failed', apiFailure('listRooms', 'disconnected', err));
          return undefined;
        },
      ),
      API_CHECK_TIMEOUT_MS,
    );
    if (listed === false) {
      ev('room.observer.disconnected', { ...base, connectionLost: false, roomGone: true }, 'room');
      return 'room-closed';
    }
    ev('room.observer.disconnected', { ...base, connectionLost: true, api: listed === undefined ? 'unreachable' : 'room still listed' }, 'room');
    return 'connection-lost';
  }

  // ---- tail until the room closes, the users are gone, the duration is up, or Ctrl-C ----
  const started = now();
  const grace = o.usersGoneGraceMs ?? USERS_GONE_GRACE_MS;
  let sawUser = false;
  let usersGoneSince: number | undefined;
  let stopReason: StopReason = 'duration';
  for (;;) {
    if (o.signal.aborted) {
      stopReason = 'interrupted';
      break;
    }
    if (closed !== undefined || !room.isConnected) {
      stopReason = await disconnected(closed ?? 'UNKNOWN_REASON');
      break;
    }
    if (reconnectingSince !== undefined && now() - reconnectingSince >= RECONNECT_BOUND_MS) {
      stopReason = await disconnected('RECONNECTING', Math.round(now() - reconnectingSince));
      break;
    }
    if (o.durationMs !== undefined && now() - started >= o.durationMs) {
      stopReason = 'duration';
      break;
    }
    const remote = [...room.remoteParticipants.values()];
    const users = remote.filter((p) => {
      const k = kindName(p.kind);
      return (k === 'standard' || k === 'sip') && !p.identity.startsWith(OBSERVER_PREFIX);
    });
    if (users.length > 0) {
      sawUser = true;
      usersGoneSince = undefined;
    } else if (sawUser) {
      usersGoneSince ??= now();
      if (now() - usersGoneSince >= grace) {
        stopReason = 'users-left';
        break;
      }
    }
    for (const p of remote) {
      if (p.kind !== 4 || asked.has(p.identity) || PUBLISH_ON_BEHALF_ATTRIBUTE in p.attributes) continue;
      // The session host runs once the agent session started: RoomIO then sets lk.agent.state
      // (or, if the attribute never comes, 3 s after the agent became ACTIVE).
      if (p.info.state !== PARTICIPANT_STATE_ACTIVE) continue;
      if (!activeSince.has(p.identity)) activeSince.set(p.identity, now());
      if (p.attributes[AGENT_STATE_ATTRIBUTE] || now() - activeSince.get(p.identity)! > 3000) {
        asked.add(p.identity);
        interviews.push(interview(p.identity));
      }
    }
    await sleep(50, o.signal);
  }
  stopping = true;
  ev('room.observer.left', { reason: stopReason, afterMs: Math.round(now() - started) }, 'room');

  // ---- leave: dispatch state at the end, then disconnect (never delete: not our room) ----
  // Requests still in flight count as unanswered; their interviews then settle at once.
  for (const p of pending.values()) p.resolve(undefined);
  await within(Promise.all(interviews), 1000);
  observer.stop();
  room.off('trackUnpublished' as never, onUnpublished as never);
  // After a lost connection the server is not asked again: that answer is already in the timeline.
  if (stopReason !== 'connection-lost') await dispatchState('end');
  await within(room.disconnect().catch(() => undefined), 3000);
  finished = true;
  return { identity, stopReason, agents: observer.agentIdentities(), requests, ...(roomCreatedAtMs ? { roomCreatedAtMs } : {}) };
}

function jobStatus(s: number): string {
  return ['JS_PENDING', 'JS_RUNNING', 'JS_SUCCESS', 'JS_FAILED'][s] ?? `JS_${s}`;
}
