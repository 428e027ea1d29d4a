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
import type { Room } from '@livekit/rtc-node';
import { AgentSession } from '@livekit/protocol';
import type { DataOf, EventKind, EventSource, TraceEvent } from '../diagnose/types.js';
import { usageError } from '../errors.js';
import { AGENT_SESSION_TOPIC, AGENT_STATE_ATTRIBUTE, PARTICIPANT_STATE_ACTIVE, PUBLISH_ON_BEHALF_ATTRIBUTE } from '../protocol/preconnect.js';
import { now, within } from './clock.js';
import { jobStatus, kindName, liveKitError, mintToken, serverClients, type LiveKitTarget } from './livekit.js';
import { observeRoom } from './room-observer.js';
import { ofKind, Recorder } from './recorder.js';

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
function apiFailure(call: string, when: string, err: unknown): DataOf<'server.api.failed'> {
  const e = err as { status?: number; message?: string; cause?: { code?: string } };
  return {
    call,
    when,
    message: String(e.message ?? err).slice(0, 200),
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    ...(e.cause?.code ? { code: e.cause.code } : {}),
  };
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

/**
 * A participant's state changes that have no event of their own (rtc-node's `isConnected`) are looked
 * at again at least this often; everything else wakes the tail as its event arrives.
 */
const RECHECK_MS = 500;
/** An ACTIVE agent that never sets lk.agent.state is interviewed this long after it became ACTIVE. */
const NO_STATE_INTERVIEW_MS = 3000;

export async function runRoomTrace(o: RoomTraceOptions): Promise<RoomTraceRun> {
  const trace = new RoomTrace(o);
  return trace.run();
}

type Clients = Awaited<ReturnType<typeof serverClients>>;

class RoomTrace {
  /** Nothing is emitted once the run has returned (a late API answer, an SDK event): closed then. */
  private readonly rec: Recorder;
  private readonly identity = `${OBSERVER_PREFIX}${randomBytes(4).toString('hex')}`;
  private clients!: Clients;
  private room!: Room;
  private observer!: ReturnType<typeof observeRoom>;
  private roomCreatedAtMs: number | undefined;
  private closed: string | undefined;
  private reconnectingSince: number | undefined;
  private started = 0;
  /** Requests we sent, by id: their answers get the request name (docs/events.md session.response). */
  private readonly pending = new Map<string, { request: string; agent: string; at: number }>();
  private readonly requests: RoomTraceRun['requests'] = [];
  private readonly asked = new Set<string>();
  private readonly activeSince = new Map<string, number>();
  private readonly interviews: Promise<void>[] = [];
  /** Aborted when the tail ends: requests still in flight count as unanswered. */
  private readonly stopping = new AbortController();
  private readonly requestTimeoutMs: number;

  constructor(private readonly o: RoomTraceOptions) {
    this.rec = new Recorder({ source: 'server', onEvent: o.onEvent });
    this.requestTimeoutMs = o.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  private ev<K extends EventKind>(kind: K, data: DataOf<K>, source: EventSource = 'server') {
    this.rec.record(kind, data, source);
  }

  async run(): Promise<RoomTraceRun> {
    const { o } = this;
    this.clients = await serverClients(o.target);
    await this.checkRoom();
    await this.dispatchState('start');
    await this.join();
    this.observe();
    const stopReason = await this.tail();
    await this.leave(stopReason);
    const { identity, requests, roomCreatedAtMs } = this;
    return { identity, stopReason, agents: this.observer.agentIdentities(), requests, ...(roomCreatedAtMs ? { roomCreatedAtMs } : {}) };
  }

  // ---- the room must exist: joining would create it (and dispatch agents) ----
  private async checkRoom(): Promise<void> {
    const { o } = this;
    const rooms = await this.clients.rooms.listRooms([o.room]).catch((err: unknown) => {
      throw liveKitError(err, o.target, 'listing rooms');
    });
    const info = rooms.find((r) => r.name === o.room);
    if (!info) {
      throw usageError(
        `room ${JSON.stringify(o.room)} does not exist on ${o.target.httpUrl}`,
        'trace room never creates a room (joining would create it and dispatch agents): start the session first, or check the name with `lk room list`.',
      );
    }
    this.roomCreatedAtMs = bigMs(info.creationTimeMs) || (bigMs(info.creationTime) ?? 0) * 1000 || undefined;
    o.onRoom?.({ ...(this.roomCreatedAtMs ? { createdAtMs: this.roomCreatedAtMs } : {}) });
  }

  private async dispatchState(when: 'start' | 'end'): Promise<void> {
    const list = await within(
      this.clients.dispatch.listDispatch(this.o.room).catch((err: unknown) => {
        this.ev('server.api.failed', apiFailure('listDispatch', when, err));
        return undefined;
      }),
      when === 'end' ? API_CHECK_TIMEOUT_MS * 2 : API_CHECK_TIMEOUT_MS * 4,
    );
    for (const d of list ?? []) {
      this.ev('server.dispatch.state', {
        when,
        id: d.id,
        agentName: d.agentName,
        jobs: (d.state?.jobs ?? []).map((j) => ({
          id: j.id,
          ...(j.state?.status !== undefined ? { status: jobStatus(j.state.status) } : {}),
          ...(j.state?.error ? { error: j.state.error } : {}),
          ...(j.state?.participantIdentity ? { participantIdentity: j.state.participantIdentity } : {}),
        })),
      });
    }
  }

  // ---- join hidden, dependent, read-only ----
  private async join(): Promise<void> {
    const { o, identity } = this;
    const token = await mintToken(o.target, {
      identity,
      room: o.room,
      hidden: true,
      agent: true,
      canPublish: false,
      canSubscribe: false,
      canPublishData: true,
      canManageAgentSession: true,
    });
    const { Room, DisconnectReason } = await import('@livekit/rtc-node');
    const room: Room = new Room();
    this.room = room;
    room.on('disconnected', (reason) => {
      this.closed = DisconnectReason[reason] ?? String(reason);
    });
    room.on('reconnecting', () => {
      this.reconnectingSince ??= now();
      this.ev('room.observer.reconnecting', {}, 'room');
    });
    room.on('reconnected', () => {
      const since = this.reconnectingSince;
      this.reconnectingSince = undefined;
      this.ev('room.observer.reconnected', since !== undefined ? { tookMs: Math.round(now() - since) } : {}, 'room');
    });
    try {
      await room.connect(o.target.wsUrl, token, { autoSubscribe: false, dynacast: false });
    } catch (err) {
      throw liveKitError(err, o.target, 'joining the room as a hidden observer');
    }
    this.ev('room.observer.joined', { url: o.target.wsUrl, room: o.room, identity, hidden: true }, 'room');
  }

  private readonly onUnpublished = (pub: { sid?: string }, p: { identity: string }) =>
    this.ev('room.track.unpublished', { identity: p.identity, trackSid: pub.sid }, 'room');

  /** What the room shows, through the observer; answers to our requests get their request's name. */
  private observe() {
    this.observer = observeRoom(
      this.room,
      (e) => {
        if (e.kind !== 'session.response') return this.rec.emit(e);
        const requestId = e.data.requestId ?? '';
        const p = this.pending.get(requestId);
        if (!p) return; // someone else's request (broadcast by Python agents): not ours to report
        this.pending.delete(requestId);
        this.rec.emit({ ...e, data: { ...e.data, request: p.request, agent: p.agent, ms: Math.round(now() - p.at) } });
      },
      { selfIdentity: this.identity, agentAudio: false },
    );
    this.room.on('trackUnpublished', this.onUnpublished);
  }

  private async ask(agent: string, kind: ReadOnlyRequest): Promise<'answered' | 'error' | 'no-answer'> {
    const requestId = `lkdiag-${randomBytes(6).toString('hex')}`;
    const name = REQUEST_NAMES[kind];
    const at = now();
    this.pending.set(requestId, { request: name, agent, at });
    try {
      const w = await this.room.localParticipant!.streamBytes({ topic: AGENT_SESSION_TOPIC, name: `AS_${requestId}`, destinationIdentities: [agent] });
      await w.write(readOnlyRequest(kind, requestId));
      await w.close();
    } catch (err) {
      this.pending.delete(requestId);
      this.ev('room.observer.request-failed', { request: name, agent, message: (err as Error).message }, 'room');
      return 'error';
    }
    this.ev('room.observer.request', { request: name, agent, requestId }, 'room');
    const boundMs = this.requestTimeoutMs;
    const answer = await this.rec.waitFor(
      ofKind('session.response', (e) => e.data.requestId === requestId),
      boundMs,
      // Any time: an answer may be recorded before the request event, and its t is on the agent's clock.
      {
        signal: this.stopping.signal,
        timeout: { kind: 'session.response', source: 'session', data: { request: name, agent, ok: false, answered: false, boundMs } },
      },
    );
    if (!answer) {
      this.pending.delete(requestId);
      return 'no-answer';
    }
    return answer.data.ok !== false ? 'answered' : 'error';
  }

  /** Read-only questions for each agent whose session is up (it has set lk.agent.state). */
  private async interview(agent: string) {
    const t0 = now();
    const pong = await this.ask(agent, 'ping');
    this.requests.push({ agent, request: 'ping', status: pong, ...(pong === 'answered' ? { ms: Math.round(now() - t0) } : {}) });
    if (pong !== 'answered') {
      this.o.note?.(
        `the agent ${agent} did not answer a ping on ${AGENT_SESSION_TOPIC} within ${this.requestTimeoutMs} ms: an agents-js agent (it answers only its linked user) or Python < 1.5; its state comes from lk.agent.state and transcripts only`,
      );
      return;
    }
    for (const kind of ['getFrameworkInfo', 'getSessionState'] as const) {
      if (this.stopping.signal.aborted) return;
      const s0 = now();
      const r = await this.ask(agent, kind);
      this.requests.push({ agent, request: REQUEST_NAMES[kind], status: r, ...(r === 'answered' ? { ms: Math.round(now() - s0) } : {}) });
    }
  }

  /**
   * Starts the interview of each agent whose session host runs: RoomIO then sets lk.agent.state (or,
   * if the attribute never comes, NO_STATE_INTERVIEW_MS after the agent became ACTIVE). Returns when
   * the next agent without the attribute is due (epoch ms), if one is waiting.
   */
  private interviewReadyAgents(): number | undefined {
    let next: number | undefined;
    for (const p of this.room.remoteParticipants.values()) {
      if (p.kind !== 4 || this.asked.has(p.identity) || PUBLISH_ON_BEHALF_ATTRIBUTE in p.attributes) continue;
      if (p.info.state !== PARTICIPANT_STATE_ACTIVE) continue;
      if (!this.activeSince.has(p.identity)) this.activeSince.set(p.identity, now());
      const since = this.activeSince.get(p.identity)!;
      if (p.attributes[AGENT_STATE_ATTRIBUTE] || now() - since > NO_STATE_INTERVIEW_MS) {
        this.asked.add(p.identity);
        this.interviews.push(this.interview(p.identity));
      } else next = Math.min(next ?? Infinity, since + NO_STATE_INTERVIEW_MS + 1);
    }
    return next;
  }

  /**
   * The observer lost the room: the server closed it (its reason says so, or the API confirms the
   * room is gone), someone removed the observer, or the connection to the server is lost.
   */
  private async disconnected(reason: string, reconnectingMs?: number): Promise<StopReason> {
    const afterMs = Math.round(now() - this.started);
    const base = { reason, afterMs, ...(reconnectingMs !== undefined ? { reconnectingMs } : {}) };
    if (ROOM_CLOSED_REASONS.has(reason)) {
      this.ev('room.observer.disconnected', { ...base, connectionLost: false, roomGone: true }, 'room');
      return 'room-closed';
    }
    if (REMOVED_REASONS.has(reason)) {
      this.ev('room.observer.disconnected', { ...base, connectionLost: false }, 'room');
      return 'removed';
    }
    // Any other reason (SERVER_SHUTDOWN, SIGNAL_CLOSE, UNKNOWN_REASON, a reconnect that does not end…):
    // ask the server whether the room is still there.
    const listed = await within(
      this.clients.rooms.listRooms([this.o.room]).then(
        (r) => r.some((x) => x.name === this.o.room),
        (err: unknown) => {
          this.ev('server.api.failed', apiFailure('listRooms', 'disconnected', err));
          return undefined;
        },
      ),
      API_CHECK_TIMEOUT_MS,
    );
    if (listed === false) {
      this.ev('room.observer.disconnected', { ...base, connectionLost: false, roomGone: true }, 'room');
      return 'room-closed';
    }
    this.ev('room.observer.disconnected', { ...base, connectionLost: true, api: listed === undefined ? 'unreachable' : 'room still listed' }, 'room');
    return 'connection-lost';
  }

  /** Standard and SIP participants other than observers: the session's users. */
  private usersInRoom(): number {
    return [...this.room.remoteParticipants.values()].filter((p) => {
      const k = kindName(p.kind);
      return (k === 'standard' || k === 'sip') && !p.identity.startsWith(OBSERVER_PREFIX);
    }).length;
  }

  // ---- tail until the room closes, the users are gone, the duration is up, or Ctrl-C ----
  /** Looks at the room each time an event arrives (or a bound is due), until one of the stop reasons holds. */
  private async tail(): Promise<StopReason> {
    const { o } = this;
    this.started = now();
    const grace = o.usersGoneGraceMs ?? USERS_GONE_GRACE_MS;
    let sawUser = false;
    let usersGoneSince: number | undefined;
    for (;;) {
      if (o.signal.aborted) return 'interrupted';
      if (this.closed !== undefined || !this.room.isConnected) return this.disconnected(this.closed ?? 'UNKNOWN_REASON');
      const reconnecting = this.reconnectingSince;
      if (reconnecting !== undefined && now() - reconnecting >= RECONNECT_BOUND_MS) return this.disconnected('RECONNECTING', Math.round(now() - reconnecting));
      if (o.durationMs !== undefined && now() - this.started >= o.durationMs) return 'duration';
      if (this.usersInRoom() > 0) {
        sawUser = true;
        usersGoneSince = undefined;
      } else if (sawUser) {
        usersGoneSince ??= now();
        if (now() - usersGoneSince >= grace) return 'users-left';
      }
      const due = [
        this.interviewReadyAgents(),
        reconnecting !== undefined ? reconnecting + RECONNECT_BOUND_MS : undefined,
        o.durationMs !== undefined ? this.started + o.durationMs : undefined,
        usersGoneSince !== undefined ? usersGoneSince + grace : undefined,
      ];
      const wake = Math.min(now() + RECHECK_MS, ...due.filter((t): t is number => t !== undefined));
      await this.rec.waitFor(() => true, wake - now(), { futureOnly: true, signal: o.signal });
    }
  }

  // ---- leave: dispatch state at the end, then disconnect (never delete: not our room) ----
  private async leave(stopReason: StopReason): Promise<void> {
    this.ev('room.observer.left', { reason: stopReason, afterMs: Math.round(now() - this.started) }, 'room');
    // Requests still in flight count as unanswered; their interviews then settle at once.
    this.stopping.abort();
    await within(Promise.all(this.interviews), 1000);
    this.observer.stop();
    this.room.off('trackUnpublished', this.onUnpublished);
    // After a lost connection the server is not asked again: that answer is already in the timeline.
    if (stopReason !== 'connection-lost') await this.dispatchState('end');
    await within(
      this.room.disconnect().catch(() => undefined),
      3000,
    );
    this.rec.close();
  }
}
