import { describe, expect, it } from 'vitest';
import { metaFor } from '../../src/diagnose/catalogue.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { ALL_RULES } from '../../src/diagnose/rules/index.js';
import { LIVEKIT_RULES, reasonName } from '../../src/diagnose/rules/livekit/index.js';
import { traceEvent, type DataOf, type EventKind } from '../../src/events/index.js';
import type { EventSource, TraceEvent } from '../../src/diagnose/types.js';
import { exitCodeFor } from '../../src/report/report.js';

const T0 = 1_700_000_000_000;
const e = <K extends EventKind>(ms: number, source: EventSource, kind: K, data: DataOf<K>): TraceEvent => traceEvent(T0 + ms, source, kind, data);
const run = (events: TraceEvent[]) => diagnose(events, LIVEKIT_RULES, { command: 'trace room' });
const codes = (events: TraceEvent[]) =>
  run(events)
    .map((f) => `${f.severity}:${f.code}`)
    .sort();
const exit = (events: TraceEvent[]) => exitCodeFor(diagnose(events, ALL_RULES, { command: 'trace room' }), metaFor);

const USER = 'lkdiag-user-abc';
const AGENT = 'agent-AJ_1';

/** trace room's view of a session: a user, an agent that speaks. */
const session = (): TraceEvent[] => [
  e(0, 'room', 'room.observer.joined', { url: 'ws://127.0.0.1:7880', room: 'r1', identity: 'lkdiag-observer-1', hidden: true }),
  e(1000, 'room', 'room.participant.joined', { identity: USER, kind: 'standard' }),
  e(1300, 'room', 'room.participant.joined', { identity: AGENT, kind: 'agent' }),
  e(1400, 'room', 'agent.state', { identity: AGENT, to: 'listening' }),
  e(4000, 'room', 'agent.state', { identity: AGENT, to: 'speaking' }),
];

describe('livekit/server-connection-lost', () => {
  it('fires when the observer lost the connection (reconnecting in vain, API unreachable): exit 3', () => {
    const events = [
      ...session(),
      e(5000, 'room', 'room.observer.reconnecting', {}),
      e(10000, 'server', 'server.api.failed', { call: 'listRooms', when: 'disconnected', message: 'fetch failed', code: 'ECONNREFUSED' }),
      e(10001, 'room', 'room.observer.disconnected', {
        reason: 'RECONNECTING',
        afterMs: 10001,
        reconnectingMs: 5000,
        connectionLost: true,
        api: 'unreachable',
      }),
      e(10002, 'room', 'room.observer.left', { reason: 'connection-lost', afterMs: 10002 }),
    ];
    expect(codes(events)).toEqual(['error:livekit/server-connection-lost']);
    const f = run(events)[0]!;
    expect(f.detail).toContain('reconnecting for 5000 ms');
    expect(f.detail).toContain('ECONNREFUSED');
    expect(f.evidence.map((x) => x.kind)).toEqual(['room.observer.reconnecting', 'server.api.failed', 'room.observer.disconnected']);
    expect(exit(events)).toBe(3);
  });

  it('fires on a disconnect reason that does not close the room (SIGNAL_CLOSE)', () => {
    const events = [
      ...session(),
      e(6000, 'room', 'room.observer.disconnected', { reason: 'SIGNAL_CLOSE', afterMs: 6000, connectionLost: true, api: 'unreachable' }),
    ];
    expect(codes(events)).toEqual(['error:livekit/server-connection-lost']);
    expect(run(events)[0]!.detail).toContain('disconnected with SIGNAL_CLOSE');
  });

  it('fires on the synthetic user losing the server (client.disconnected SERVER_SHUTDOWN)', () => {
    const events = [
      e(0, 'client', 'client.connected', { url: 'ws://127.0.0.1:7880', room: 'r1', identity: USER }),
      e(3000, 'client', 'client.reconnecting', { afterMs: 3000 }),
      e(21000, 'client', 'client.disconnected', { reason: 'SERVER_SHUTDOWN', afterMs: 21000 }),
    ];
    expect(codes(events)).toEqual(['error:livekit/server-connection-lost']);
    expect(run(events)[0]!.detail).toContain('SERVER_SHUTDOWN; it had been reconnecting for 18000 ms');
    expect(exit(events)).toBe(3);
  });

  it('a send that failed on a dead connection (client.disconnected SEND_FAILED, before rtc-node said so) is the lost server too', () => {
    const events = [
      e(0, 'client', 'client.connected', { url: 'ws://127.0.0.1:7880', room: 'r1', identity: USER }),
      e(4000, 'client', 'client.disconnected', { reason: 'SEND_FAILED', afterMs: 4000, message: 'unable to send packet' }),
    ];
    expect(codes(events)).toEqual(['error:livekit/server-connection-lost']);
    expect(run(events)[0]!.detail).toContain('(SEND_FAILED)');
    expect(exit(events)).toBe(3);
  });

  it('a join that failed on the transport after the API answered (client.disconnected JOIN_FAILED): the lost server, named as such', () => {
    const events = [
      e(0, 'server', 'server.room.created', { room: 'r1' }),
      e(40, 'server', 'server.dispatch.created', { id: 'AD_1', agentName: 'a' }),
      e(90, 'client', 'client.disconnected', {
        reason: 'JOIN_FAILED',
        afterMs: 90,
        message: 'engine: signal failure: transport connection error: IO error: Connection refused (os error 111)',
      }),
    ];
    expect(codes(events)).toEqual(['error:livekit/server-connection-lost']);
    expect(run(events)[0]!.detail).toBe(
      "The LiveKit server answered this run's API calls (room, dispatch), then the synthetic user's join failed 0.1 s into the run (engine: signal failure: transport connection error: IO error: Connection refused (os error 111)): the server went away in between, or a proxy or load balancer on the way passes HTTP but not WebSocket upgrades. The run ends there.",
    );
    expect(exit(events)).toBe(3);
  });

  it('fires when only the API got no answer (dispatch state at the end of a trace)', () => {
    const events = [...session(), e(9000, 'server', 'server.api.failed', { call: 'listDispatch', when: 'end', message: 'fetch failed', code: 'ECONNREFUSED' })];
    expect(codes(events)).toEqual(['error:livekit/server-connection-lost']);
  });

  it('is silent for a room the server really closed, and for an API that answered with an HTTP error', () => {
    const closed = [
      ...session(),
      e(9000, 'room', 'room.closed', { reason: 5 }),
      e(9001, 'room', 'room.observer.disconnected', { reason: 'ROOM_DELETED', afterMs: 9001, connectionLost: false, roomGone: true }),
      e(9100, 'server', 'server.api.failed', { call: 'listDispatch', when: 'end', message: 'not found', status: 404 }),
    ];
    expect(codes(closed)).toEqual([]);
    expect(exit(closed)).toBe(0);
  });

  it('is silent for a normal end: the user leaves, the agent leaves after, the observer leaves', () => {
    const events = [
      ...session(),
      e(8000, 'room', 'agent.state', { identity: AGENT, to: 'listening' }),
      e(12000, 'room', 'room.participant.left', { identity: USER, reason: 1 }),
      e(12500, 'room', 'room.participant.left', { identity: AGENT, reason: 1 }),
      e(15000, 'room', 'room.observer.left', { reason: 'users-left', afterMs: 15000 }),
      e(15010, 'server', 'server.dispatch.state', { when: 'end', id: 'AD_1', jobs: [] }),
    ];
    expect(codes(events)).toEqual([]);
    expect(exit(events)).toBe(0);
  });

  it('client.disconnected with ROOM_DELETED is the room closed under the run (exit 1), CLIENT_INITIATED nothing', () => {
    const deleted = [
      e(0, 'client', 'client.connected', { url: 'ws://127.0.0.1:7880', room: 'r1', identity: USER }),
      e(5000, 'client', 'client.disconnected', { reason: 'ROOM_DELETED', afterMs: 5000 }),
    ];
    expect(codes(deleted)).toEqual(['error:livekit/room-closed-mid-run']);
    expect(exit(deleted)).toBe(1);
    expect(
      codes([
        e(0, 'client', 'client.connected', { url: 'ws://127.0.0.1:7880', room: 'r1', identity: USER }),
        e(5000, 'client', 'client.disconnected', { reason: 'CLIENT_INITIATED', afterMs: 5000 }),
      ]),
    ).toEqual([]);
  });
});

describe('livekit/agent-left', () => {
  it('fires when the agent leaves with a server-side reason while the user is still in (mid-reply): exit 1', () => {
    const events = [...session(), e(24000, 'room', 'room.participant.left', { identity: AGENT, reason: 14 })];
    expect(codes(events)).toEqual(['error:livekit/agent-left']);
    const f = run(events)[0]!;
    expect(f.detail).toContain('CONNECTION_TIMEOUT');
    expect(f.detail).toContain(`while ${USER} was still in the room`);
    expect(f.detail).toContain('It was speaking (lk.agent.state): the reply in progress was lost');
    expect(exit(events)).toBe(1);
  });

  it('fires in send-preconnect (the synthetic user is the user; the agent known from client.agent.*)', () => {
    const events = [
      e(0, 'client', 'client.connected', { url: 'ws://127.0.0.1:7880', room: 'r1', identity: USER }),
      e(1000, 'client', 'client.agent.joined', { identity: AGENT }),
      e(1200, 'client', 'client.agent.active', { identity: AGENT }),
      e(22000, 'room', 'room.participant.left', { identity: AGENT, reason: 'SIGNAL_CLOSE' }),
    ];
    expect(codes(events)).toEqual(['error:livekit/agent-left']);
  });

  it('is silent when the agent left on its own (CLIENT_INITIATED), after the user, or with the room', () => {
    expect(codes([...session(), e(9000, 'room', 'room.participant.left', { identity: AGENT, reason: 1 })])).toEqual([]);
    expect(
      codes([
        ...session(),
        e(9000, 'room', 'room.participant.left', { identity: USER, reason: 1 }),
        e(9500, 'room', 'room.participant.left', { identity: AGENT, reason: 14 }),
      ]),
    ).toEqual([]);
    expect(codes([...session(), e(9000, 'room', 'room.participant.left', { identity: AGENT, reason: 5 })])).toEqual([]);
    expect(
      codes([...session(), e(9000, 'room', 'room.participant.left', { identity: AGENT, reason: 0 }), e(9500, 'room', 'room.closed', { reason: 0 })]),
    ).toEqual([]);
  });

  it('a user that is not a participant kind standard (another agent, the observer) does not count', () => {
    const events = [
      e(0, 'room', 'room.participant.joined', { identity: 'lkdiag-observer-2', kind: 'standard' }),
      e(100, 'room', 'room.participant.joined', { identity: AGENT, kind: 'agent' }),
      e(9000, 'room', 'room.participant.left', { identity: AGENT, reason: 14 }),
    ];
    expect(codes(events)).toEqual([]);
  });
});

describe('reasonName', () => {
  it('names DisconnectReason numbers and passes names through', () => {
    expect(reasonName(3)).toBe('SERVER_SHUTDOWN');
    expect(reasonName(14)).toBe('CONNECTION_TIMEOUT');
    expect(reasonName('SIGNAL_CLOSE')).toBe('SIGNAL_CLOSE');
    expect(reasonName(undefined)).toBe('UNKNOWN_REASON');
    expect(reasonName(99)).toBe('REASON_99');
  });
});

describe('openai/connection-closed names the reply a dropped connection cut off (simulator drop-mid-response)', () => {
  it('the reply created before the drop, with what had arrived of it', async () => {
    const { realtimeTraceEvent } = await import('../../src/protocol/realtime-events.js');
    const s = (ms: number, event: Record<string, unknown>) => realtimeTraceEvent(T0 + ms, 'log', 'server', event);
    const events = [
      s(0, { type: 'session.created', session: {} }),
      s(500, { type: 'response.created', response: { id: 'resp_lost', status: 'in_progress' } }),
      s(700, { type: 'response.output_audio_transcript.delta', response_id: 'resp_lost', delta: 'Hello! ' }),
      e(1000, 'log', 'log.openai.connection-error', {
        level: 'warning',
        logger: 'livekit.plugins.openai',
        line: 1,
        message: 'OpenAI Realtime API connection failed, retrying in 0.1s',
      }),
      e(1001, 'log', 'log.openai.connection-error', {
        level: 'error',
        logger: 'livekit.plugins.openai',
        line: 2,
        message: "APIConnectionError('OpenAI Realtime API connection closed unexpectedly')",
      }),
      s(1125, { type: 'session.created', session: {} }),
    ];
    const f = diagnose(events, ALL_RULES, { command: 'trace room' }).find((x) => x.code === 'openai/connection-closed')!;
    expect(f.severity).toBe('warning');
    expect(f.detail).toContain('The reply in progress was lost: resp_lost');
    expect(f.detail).toContain('the words "Hello!"');
  });
});

describe('livekit/server-connection-lost while still reconnecting', () => {
  it('fires when the run ended reconnecting (no reconnected, no disconnected), is silent after a reconnect', () => {
    const base = [
      e(0, 'client', 'client.connected', { url: 'ws://127.0.0.1:7880', room: 'r1', identity: USER }),
      e(3000, 'client', 'client.reconnecting', { afterMs: 3000 }),
    ];
    expect(codes([...base, e(12000, 'client', 'client.timeout', { wait: 'agent-active', boundMs: 9000 })])).toEqual(['error:livekit/server-connection-lost']);
    expect(codes([...base, e(3500, 'client', 'client.reconnected', { afterMs: 3500 })])).toEqual([]);
  });
});
