import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { ALL_RULES } from '../../src/diagnose/rules/index.js';
import { AGENT_RULES } from '../../src/diagnose/rules/agent/index.js';
import { traceEvent, type DataOf, type EventKind, type LogLineFields } from '../../src/events/index.js';
import type { EventSource, Finding, TraceEvent } from '../../src/diagnose/types.js';

const T0 = 1_757_800_000_000;
const ev = <K extends EventKind>(ms: number, source: EventSource, kind: K, data: DataOf<K>): TraceEvent => traceEvent(T0 + ms, source, kind, data);
const oa = (ms: number, direction: 'client' | 'server', event: { type: string; [field: string]: unknown }, source: EventSource = 'log'): TraceEvent =>
  ev(ms, source, `openai.${event.type}`, { direction, event });
const L = (message: string, level: LogLineFields['level'] = 'debug', ms = 0): LogLineFields => ({
  level,
  logger: 'livekit.agents',
  message,
  line: Math.round(ms),
});

const codes = (fs: Finding[]) => fs.map((f) => `${f.code}:${f.severity}`).sort();
const run = (events: TraceEvent[], rules = ALL_RULES) => diagnose(events, rules, { command: 'trace' });

const create = (ms: number, id: string) => oa(ms, 'client', { type: 'response.create', event_id: id, response: { metadata: { client_event_id: id } } });
const created = (ms: number, rid: string, metadata: Record<string, unknown> | null) =>
  oa(ms, 'server', { type: 'response.created', response: { id: rid, status: 'in_progress', metadata } });
const delta = (ms: number, rid: string) => oa(ms, 'server', { type: 'response.output_audio.delta', response_id: rid, delta: '<4800 bytes>' });
const done = (ms: number, rid: string, status: string, details: Record<string, unknown> | null = null) =>
  oa(ms, 'server', { type: 'response.done', response: { id: rid, status, status_details: details, output: [] } });
const timedOut = (ms: number) =>
  ev(ms, 'log', 'agent.generate-reply-failed', {
    ...L('failed to generate a reply: generate_reply timed out.', 'error', ms),
    ...{ inner: 'generate_reply timed out.', timeout: true },
  });

/** A healthy turn: the user speaks, the server commits, the agent answers with audio. */
function healthyTurn(at: number, rid: string): TraceEvent[] {
  return [
    oa(at, 'server', { type: 'input_audio_buffer.speech_started', audio_start_ms: 100 }),
    ev(at + 5, 'log', 'user.state', { ...L('User state changed from: listening to speaking', 'info', at + 5), ...{ from: 'listening', to: 'speaking' } }),
    oa(at + 1500, 'server', { type: 'input_audio_buffer.speech_stopped' }),
    oa(at + 1510, 'server', { type: 'input_audio_buffer.committed', item_id: `item_${rid}` }),
    created(at + 1600, rid, null),
    delta(at + 1900, rid),
    ev(at + 2000, 'session', 'agent.state', { from: 'thinking', to: 'speaking' }),
    done(at + 4000, rid, 'completed'),
    ev(at + 4100, 'session', 'conversation.item', {
      role: 'assistant',
      text: 'Hi!',
      interrupted: false,
      metrics: { e2eLatency: 0.8, ttft: 0.3, endOfTurnDelay: 0.5 },
    }),
  ];
}

describe('agent rules: healthy sessions', () => {
  it('a healthy conversation yields no error or warning, only the latency summary', () => {
    const fs = run([
      ...healthyTurn(0, 'resp_1'),
      ...healthyTurn(10_000, 'resp_2'),
      ev(20_000, 'log', 'agent.session-closed', { level: 'info', logger: 'livekit.agents', line: 1, message: 'session closed' }),
    ]);
    expect(codes(fs)).toEqual(['agent/latency-summary:info']);
    expect(fs[0]!.detail).toContain('end-to-end: median 800 ms');
    expect(fs[0]!.detail).toContain('time to first token: median 300 ms');
  });

  it('a generate_reply answered in time with the metadata echo is not a timeout', () => {
    const fs = run([
      create(0, 'response_create_a'),
      created(800, 'resp_a', { client_event_id: 'response_create_a' }),
      delta(1000, 'resp_a'),
      done(3000, 'resp_a', 'completed'),
      ev(20_000, 'room', 'room.closed', {}),
    ]);
    expect(codes(fs)).toEqual([]);
  });
});

describe('agent rules: healthy room/session-only trace (trace room without a log)', () => {
  it('turns answered, one ordinary barge-in, flagged mic without buffer evidence: no error or warning', () => {
    const st = (ms: number, to: string, from: string) => ev(ms, 'session', 'agent.state', { from, to });
    const fs = run([
      ev(0, 'room', 'room.participant.joined', { identity: 'agent-1', sid: 'PA_1', kind: 'agent' }),
      ev(100, 'room', 'room.track.published', { identity: 'user', trackSid: 'TR_1', source: 'microphone', features: ['TF_PRECONNECT_BUFFER'] }),
      ev(1_000, 'session', 'user.state', { from: 'listening', to: 'speaking' }),
      ev(2_000, 'session', 'user.state', { from: 'speaking', to: 'listening' }),
      ev(2_400, 'session', 'conversation.item', { role: 'user', text: 'hello', interrupted: false }),
      st(2_450, 'thinking', 'listening'),
      st(3_000, 'speaking', 'thinking'),
      ev(3_000, 'room', 'agent.state', { identity: 'agent-1', to: 'speaking' }),
      ev(4_000, 'session', 'user.state', { from: 'listening', to: 'speaking' }),
      ev(4_300, 'session', 'conversation.item', { role: 'assistant', text: 'Hi there, how', interrupted: true }),
      st(4_310, 'listening', 'speaking'),
      ev(5_000, 'session', 'user.state', { from: 'speaking', to: 'listening' }),
      ev(5_300, 'session', 'conversation.item', { role: 'user', text: 'what time is it', interrupted: false }),
      st(5_350, 'thinking', 'listening'),
      st(6_000, 'speaking', 'thinking'),
      ev(8_000, 'session', 'conversation.item', { role: 'assistant', text: 'Noon.', interrupted: false, metrics: { e2eLatency: 0.7 } }),
      st(8_010, 'listening', 'speaking'),
      ev(30_000, 'room', 'room.closed', {}),
    ]);
    expect(codes(fs)).toEqual(['agent/latency-summary:info', 'agent/response-cancelled-by-user-speech:info']);
  });
});

describe('agent/generate-reply-timeout', () => {
  it('log line only: error, and says which evidence is missing and how to get it', () => {
    const fs = run([timedOut(10_000)], AGENT_RULES);
    expect(codes(fs)).toEqual(['agent/generate-reply-timeout:error']);
    expect(fs[0]!.detail).toContain('LK_OPENAI_DEBUG=1');
    expect(fs[0]!.detail).toContain('DEBUG');
  });

  it('socket not up: connection errors and reconnects around the request', () => {
    const fs = run([
      ev(0, 'log', 'log.openai.connecting', { ...L('connecting to Realtime API: wss://api.openai.com/v1/realtime', 'debug', 0), ...{ url: 'wss://x' } }),
      ev(500, 'log', 'log.openai.connection-error', {
        ...L('OpenAI Realtime API connection closed unexpectedly', 'warning', 500),
        ...{ message: 'OpenAI Realtime API connection closed unexpectedly' },
      }),
      ev(600, 'log', 'log.openai.connecting', { ...L('connecting to Realtime API: wss://api.openai.com/v1/realtime', 'debug', 600), ...{ url: 'wss://x' } }),
      create(1_000, 'response_create_b'),
      timedOut(11_000),
    ]);
    expect(codes(fs)).toEqual(['agent/generate-reply-timeout:error']);
    expect(fs[0]!.detail).toMatch(/not up or was reconnecting/);
    expect(fs[0]!.evidence.map((e) => e.kind)).toContain('log.openai.connection-error');
  });

  it('active-response race: response.create rejected; openai/active-response-conflict is reported too', () => {
    const fs = run([
      oa(0, 'server', { type: 'input_audio_buffer.committed', item_id: 'i1' }),
      created(100, 'resp_auto', null),
      delta(300, 'resp_auto'),
      create(200, 'response_create_c'),
      oa(210, 'server', {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          code: 'conversation_already_has_active_response',
          message: 'Conversation already has an active response',
          event_id: 'response_create_c',
        },
      }),
      done(2_000, 'resp_auto', 'completed'),
      timedOut(10_200),
    ]);
    expect(codes(fs)).toEqual(['agent/generate-reply-timeout:error', 'openai/active-response-conflict:error']);
    const f = fs.find((x) => x.code === 'agent/generate-reply-timeout')!;
    expect(f.detail).toContain('conversation_already_has_active_response');
    expect(f.detail).toContain('server-VAD auto-response resp_auto');
  });

  it('no metadata echo: response.created came in time without client_event_id', () => {
    const fs = run([create(0, 'response_create_d'), created(400, 'resp_d', null), delta(600, 'resp_d'), done(3000, 'resp_d', 'completed'), timedOut(10_000)]);
    expect(codes(fs)).toEqual(['agent/generate-reply-timeout:error', 'openai/metadata-not-echoed:error']);
    expect(fs.find((x) => x.code === 'agent/generate-reply-timeout')!.detail).toMatch(/without the metadata echo/);
  });

  it('slow server: the matching response.created came after 10 s', () => {
    const fs = run([
      create(0, 'response_create_e'),
      timedOut(10_000),
      created(12_500, 'resp_e', { client_event_id: 'response_create_e' }),
      ev(12_501, 'log', 'log.openai.late-response', { ...L('discarding response that arrived after it was timed out or interrupted', 'warning', 12_501) }),
    ]);
    expect(codes(fs)).toEqual(['agent/generate-reply-timeout:error', 'openai/generate-reply-timeout-risk:error']);
    const f = fs.find((x) => x.code === 'agent/generate-reply-timeout')!;
    expect(f.detail).toMatch(/server was slow: the matching response.created came 12.5 s/);
  });

  it('old 5 s timeout', () => {
    const fs = run([create(0, 'response_create_f'), timedOut(5_000)], AGENT_RULES);
    expect(codes(fs)).toEqual(['agent/generate-reply-timeout:error']);
    expect(fs[0]!.detail).toMatch(/5 s timeout of livekit-agents ≤ 1.4.x/);
  });

  it('inferred from Realtime events alone when the log line is absent', () => {
    const fs = run([create(0, 'response_create_g'), oa(12_000, 'server', { type: 'input_audio_buffer.speech_started' })], AGENT_RULES);
    expect(codes(fs)).toEqual(['agent/generate-reply-timeout:error']);
    expect(fs[0]!.detail).toContain('inferred');
  });

  it('room/session only: thinking → listening 10 s later with nothing spoken', () => {
    const fs = run([
      ev(0, 'session', 'conversation.item', { role: 'user', text: 'hello', interrupted: false }),
      ev(100, 'session', 'agent.state', { from: 'listening', to: 'thinking' }),
      ev(10_150, 'session', 'agent.state', { from: 'thinking', to: 'listening' }),
      ev(20_000, 'room', 'room.closed', {}),
    ]);
    expect(codes(fs)).toEqual(['agent/generate-reply-timeout:error', 'agent/reply-never-spoken:error']);
    expect(fs.find((f) => f.code === 'agent/generate-reply-timeout')!.detail).toContain('--agent-log');
  });
});

describe('agent/response-cancelled-by-user-speech', () => {
  it('client response.cancel 120 ms after speech_started, before any audio: warning with the gap', () => {
    const fs = run([
      oa(0, 'server', { type: 'input_audio_buffer.committed' }),
      created(300, 'resp_x', null),
      oa(900, 'server', { type: 'input_audio_buffer.speech_started' }),
      oa(1_020, 'client', { type: 'response.cancel' }),
      done(1_100, 'resp_x', 'cancelled', { type: 'cancelled', reason: 'client_cancelled' }),
    ]);
    expect(codes(fs)).toEqual(['agent/response-cancelled-by-user-speech:warning', 'openai/response-cancelled:warning']);
    const f = fs.find((x) => x.code === 'agent/response-cancelled-by-user-speech')!;
    expect(f.detail).toContain('120 ms after the user started speaking');
    expect(f.detail).toContain('heard nothing');
  });

  it('server VAD turn_detected cancel of a reply already playing: info (ordinary barge-in)', () => {
    const fs = run([
      created(0, 'resp_y', null),
      delta(200, 'resp_y'),
      oa(2_000, 'server', { type: 'input_audio_buffer.speech_started' }),
      done(2_050, 'resp_y', 'cancelled', { type: 'cancelled', reason: 'turn_detected' }),
    ]);
    expect(codes(fs)).toEqual(['agent/response-cancelled-by-user-speech:info', 'openai/response-cancelled:warning']);
    expect(fs.find((x) => x.code === 'agent/response-cancelled-by-user-speech')!.detail).toContain('50 ms');
  });

  it('user-state line in the log + response.cancel in the same millisecond', () => {
    const fs = run(
      [
        ev(0, 'log', 'user.state', { ...L('User state changed from: listening to speaking', 'info', 0), ...{ from: 'listening', to: 'speaking' } }),
        oa(0, 'client', { type: 'response.cancel' }),
      ],
      AGENT_RULES,
    );
    expect(codes(fs)).toEqual(['agent/response-cancelled-by-user-speech:warning']);
    expect(fs[0]!.detail).toContain('0 ms after');
  });

  it('a cancel long after the speech started is not attributed to it', () => {
    const fs = run([oa(0, 'server', { type: 'input_audio_buffer.speech_started' }), oa(5_000, 'client', { type: 'response.cancel' })], AGENT_RULES);
    expect(codes(fs)).toEqual([]);
  });

  it("a cancel that discards a late response is not the user's doing", () => {
    const fs = run(
      [
        oa(0, 'server', { type: 'input_audio_buffer.speech_started' }),
        ev(500, 'log', 'log.openai.late-response', { ...L('discarding response that arrived after it was timed out or interrupted', 'warning', 500) }),
        oa(510, 'client', { type: 'response.cancel', response_id: 'resp_late' }),
      ],
      AGENT_RULES,
    );
    expect(codes(fs)).toEqual([]);
  });
});

describe('agent/reply-never-spoken', () => {
  it('committed turn, nothing for 15 s: error', () => {
    const fs = run(
      [
        ev(0, 'log', 'agent.turn-committed', { ...L('user turn committed', 'debug', 0) }),
        ev(16_000, 'room', 'agent.state', { identity: 'agent-1', to: 'listening' }),
      ],
      AGENT_RULES,
    );
    expect(codes(fs)).toEqual(['agent/reply-never-spoken:error']);
  });

  it('the session closes right after the committed turn: error', () => {
    const fs = run(
      [
        oa(0, 'server', { type: 'input_audio_buffer.committed' }),
        ev(4_000, 'log', 'agent.session-closed', { ...L('session closed', 'info', 4_000), ...{ reason: 'participant_disconnected' } }),
      ],
      AGENT_RULES,
    );
    expect(codes(fs)).toEqual(['agent/reply-never-spoken:error']);
  });

  it('the session closes at the moment of the commit (the user hung up as the turn ended): no basis, no finding', () => {
    // Seen in a fresh-clone CI run (send-preconnect vad-interrupt e2e): the last words committed 0.0 s before the session closed.
    const closeAt = (at: number) => [
      oa(0, 'server', { type: 'input_audio_buffer.committed' }),
      ev(at, 'log', 'agent.session-closed', { ...L('session closed', 'info', at), ...{ reason: 'participant_disconnected' } }),
    ];
    expect(codes(run(closeAt(5), AGENT_RULES))).toEqual([]);
    expect(codes(run(closeAt(2_900), AGENT_RULES))).toEqual([]);
    expect(codes(run(closeAt(3_000), AGENT_RULES))).toEqual(['agent/reply-never-spoken:error']);
  });

  it('trace cut short a few seconds after the turn: warning', () => {
    const fs = run(
      [
        ev(0, 'session', 'conversation.item', { role: 'user', text: 'hi', interrupted: false }),
        ev(5_000, 'session', 'user.state', { from: 'listening', to: 'away' }),
      ],
      AGENT_RULES,
    );
    expect(codes(fs)).toEqual(['agent/reply-never-spoken:warning']);
  });

  it('a reply (agent speaking) within the bound: nothing; several signals of one turn are one turn', () => {
    const fs = run(
      [
        oa(0, 'server', { type: 'input_audio_buffer.committed' }),
        ev(20, 'log', 'agent.turn-committed', { ...L('user turn committed', 'debug', 20) }),
        ev(900, 'session', 'conversation.item', { role: 'user', text: 'hi', interrupted: false }),
        ev(2_500, 'room', 'agent.state', { identity: 'agent-1', to: 'speaking' }),
        ev(30_000, 'room', 'room.closed', {}),
      ],
      AGENT_RULES,
    );
    expect(codes(fs)).toEqual([]);
  });
});

describe('agent/false-interruption, agent/fatal-error, agent/latency-summary', () => {
  it('false interruptions: one warning counting both log and session events once', () => {
    const fs = run(
      [
        ev(0, 'log', 'agent.false-interruption', { ...L('resumed false interrupted speech', 'debug', 0) }),
        ev(10, 'session', 'agent.false-interruption', { resumed: true }),
        ev(5_000, 'session', 'agent.false-interruption', { resumed: false }),
      ],
      AGENT_RULES,
    );
    expect(codes(fs)).toEqual(['agent/false-interruption:warning']);
    expect(fs[0]!.detail).toContain('2 false interruption(s)');
    expect(fs[0]!.detail).toContain('1 not resumed');
  });

  it('fatal error from the log and from a non-recoverable session error; recoverable errors are not fatal', () => {
    const fs = run(
      [
        ev(0, 'log', 'agent.fatal', { ...L('AgentSession is closing due to unrecoverable error', 'error', 0), ...{ error: 'insufficient_quota' } }),
        ev(10, 'session', 'agent.error', { message: 'realtime failed', recoverable: false }),
        ev(20, 'session', 'agent.error', { message: 'stt retry', recoverable: true }),
      ],
      AGENT_RULES,
    );
    expect(codes(fs)).toEqual(['agent/fatal-error:error', 'agent/fatal-error:error']);
    expect(fs.map((f) => f.detail).join('\n')).toContain('insufficient_quota');
  });

  it('latency summary from session.item metrics (seconds, llmNodeTtft alias)', () => {
    const item = (ms: number, m: Record<string, number>) => ev(ms, 'session', 'conversation.item', { role: 'assistant', interrupted: false, metrics: m });
    const fs = run(
      [
        item(0, { e2eLatency: 1.2, llmNodeTtft: 0.4 }),
        item(5_000, { e2eLatency: 2.0, llmNodeTtft: 0.6, endOfTurnDelay: 0.7 }),
        item(9_000, { e2eLatency: 0.9 }),
      ],
      AGENT_RULES,
    );
    expect(codes(fs)).toEqual(['agent/latency-summary:info']);
    expect(fs[0]!.detail).toBe(
      [
        'end-of-turn delay: median 700 ms, max 700 ms (1 turn)',
        'time to first token: median 400 ms, max 600 ms (2 turns)',
        'end-to-end: median 1200 ms, max 2000 ms (3 turns)',
      ].join('\n'),
    );
  });
});
