/**
 * runRoomTrace's tail against a stand-in rtc-node Room (an EventEmitter with the participants map) and
 * stand-in server clients: why it stops, when, and that it looks at the room as events arrive.
 */
import type { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TraceEvent } from '../../src/diagnose/types.js';

interface FakeParticipant {
  identity: string;
  sid: string;
  name: string;
  kind: number;
  attributes: Record<string, string>;
  info: { state: number };
  trackPublications: Map<string, unknown>;
  disconnectReason?: number;
}

const REASONS = { UNKNOWN_REASON: 0, CLIENT_INITIATED: 1, ROOM_DELETED: 5, SERVER_SHUTDOWN: 2 } as const;
const state = vi.hoisted(() => ({ room: undefined as unknown, listRooms: 0, streamed: [] as string[] }));

vi.mock('@livekit/rtc-node', async () => {
  const { EventEmitter } = await import('node:events');
  class Room extends EventEmitter {
    remoteParticipants = new Map<string, FakeParticipant>();
    isConnected = false;
    localParticipant = {
      streamBytes: async (o: { destinationIdentities: string[] }) => ({
        write: async () => state.streamed.push(o.destinationIdentities[0] ?? ''),
        close: async () => undefined,
      }),
    };
    constructor() {
      super();
      state.room = this;
    }
    async connect() {
      this.isConnected = true;
    }
    async disconnect() {
      this.isConnected = false;
    }
    registerTextStreamHandler() {}
    unregisterTextStreamHandler() {}
    registerByteStreamHandler() {}
    unregisterByteStreamHandler() {}
  }
  const DisconnectReason: Record<string | number, string | number> = {};
  for (const [k, v] of Object.entries({ UNKNOWN_REASON: 0, CLIENT_INITIATED: 1, ROOM_DELETED: 5, SERVER_SHUTDOWN: 2 })) {
    DisconnectReason[k] = v;
    DisconnectReason[v] = k;
  }
  return { Room, DisconnectReason };
});

vi.mock('../../src/sources/livekit.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/sources/livekit.js')>()),
  mintToken: async () => 'token',
  serverClients: async () => ({
    rooms: {
      listRooms: async (names: string[]) => {
        state.listRooms++;
        return names.map((name) => ({ name, creationTime: 1n, creationTimeMs: 1000n }));
      },
    },
    dispatch: { listDispatch: async () => [] },
  }),
}));

const { runRoomTrace } = await import('../../src/sources/room-trace.js');

const target = { wsUrl: 'ws://127.0.0.1:7880', httpUrl: 'http://127.0.0.1:7880', apiKey: 'k', apiSecret: 's', notice: '' };
type Room = EventEmitter & { remoteParticipants: Map<string, FakeParticipant>; isConnected: boolean };
const room = () => state.room as Room;
const participant = (identity: string, kind: number, attributes: Record<string, string> = {}, active = true): FakeParticipant => ({
  identity,
  sid: `PA_${identity}`,
  name: identity,
  kind,
  attributes,
  info: { state: active ? 2 : 0 },
  trackPublications: new Map(),
});
const STANDARD = 0;
const AGENT = 4;

function start(o: { durationMs?: number; usersGoneGraceMs?: number; requestTimeoutMs?: number; signal?: AbortSignal } = {}) {
  const events: TraceEvent[] = [];
  const notes: string[] = [];
  const started = Date.now();
  const run = runRoomTrace({
    target,
    room: 'r',
    signal: o.signal ?? new AbortController().signal,
    onEvent: (e) => events.push(e),
    note: (m) => notes.push(m),
    ...o,
  });
  const joined = async () => {
    while (!events.some((e) => e.kind === 'room.observer.joined')) await new Promise((r) => setTimeout(r, 5));
  };
  return { run, events, notes, started, joined };
}

beforeEach(() => {
  state.listRooms = 0;
  state.streamed = [];
});
afterEach(() => {
  room()?.removeAllListeners();
});

describe('runRoomTrace: the tail ends for the first reason that holds, as its event arrives', () => {
  it('the users leave: users-left once the grace passed after the last one left', async () => {
    const t = start({ usersGoneGraceMs: 150 });
    await t.joined();
    const user = participant('user-1', STANDARD);
    room().remoteParticipants.set(user.identity, user);
    room().emit('participantConnected', user);
    await new Promise((r) => setTimeout(r, 100));
    const leftAt = Date.now();
    room().remoteParticipants.delete(user.identity);
    room().emit('participantDisconnected', user);
    const run = await t.run;
    expect(run.stopReason).toBe('users-left');
    const elapsed = Date.now() - leftAt;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(600);
    expect(t.events.find((e) => e.kind === 'room.observer.left')?.data).toMatchObject({ reason: 'users-left' });
  });
  it('the duration is up: duration, at the duration', async () => {
    const t = start({ durationMs: 300 });
    const run = await t.run;
    expect(run.stopReason).toBe('duration');
    expect(Date.now() - t.started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t.started).toBeLessThan(1500);
    expect(run.roomCreatedAtMs).toBe(1000);
  });
  it('the server deletes the room: room-closed at once, roomGone, and the API is not asked', async () => {
    const t = start({ durationMs: 20_000 });
    await t.joined();
    const asked = state.listRooms;
    const at = Date.now();
    room().isConnected = false;
    room().emit('disconnected', REASONS.ROOM_DELETED);
    const run = await t.run;
    expect(run.stopReason).toBe('room-closed');
    expect(Date.now() - at).toBeLessThan(500);
    expect(state.listRooms).toBe(asked);
    expect(t.events.find((e) => e.kind === 'room.observer.disconnected')?.data).toMatchObject({
      reason: 'ROOM_DELETED',
      connectionLost: false,
      roomGone: true,
    });
  });
  it('another disconnect reason: the API says whether the room is still there (here it is: connection-lost)', async () => {
    const t = start({ durationMs: 20_000 });
    await t.joined();
    room().isConnected = false;
    room().emit('disconnected', REASONS.SERVER_SHUTDOWN);
    const run = await t.run;
    expect(run.stopReason).toBe('connection-lost');
    expect(t.events.find((e) => e.kind === 'room.observer.disconnected')?.data).toMatchObject({
      reason: 'SERVER_SHUTDOWN',
      connectionLost: true,
      api: 'room still listed',
    });
  });
  it('Ctrl-C: interrupted at once', async () => {
    const ac = new AbortController();
    const t = start({ signal: ac.signal });
    await t.joined();
    const at = Date.now();
    ac.abort();
    const run = await t.run;
    expect(run.stopReason).toBe('interrupted');
    expect(Date.now() - at).toBeLessThan(500);
  });
  it('an agent whose session is up is pinged; no answer within the bound is session.response {answered: false, boundMs}', async () => {
    const t = start({ durationMs: 1500, requestTimeoutMs: 200 });
    await t.joined();
    const agent = participant('agent-1', AGENT, { 'lk.agent.state': 'listening' });
    room().remoteParticipants.set(agent.identity, agent);
    room().emit('participantConnected', agent);
    const run = await t.run;
    expect(state.streamed).toEqual(['agent-1']);
    expect(run.requests).toEqual([{ agent: 'agent-1', request: 'ping', status: 'no-answer' }]);
    const noAnswer = t.events.filter((e) => e.kind === 'session.response');
    expect(noAnswer.map((e) => [e.source, e.data])).toEqual([['session', { request: 'ping', agent: 'agent-1', ok: false, answered: false, boundMs: 200 }]]);
    expect(t.notes.join('\n')).toMatch(/did not answer a ping/);
    expect(t.events.map((e) => e.kind)).toContain('agent.state');
  });
  it('nothing is emitted after the run returned', async () => {
    const t = start({ durationMs: 100 });
    await t.run;
    const n = t.events.length;
    room().emit('participantConnected', participant('late', STANDARD));
    expect(t.events.length).toBe(n);
  });
});
