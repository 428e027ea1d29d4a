import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { ALL_RULES } from '../../src/diagnose/rules/index.js';
import { PRECONNECT_RULES } from '../../src/diagnose/rules/preconnect/index.js';
import { traceEvent, type DataOf, type EventKind, type LogLineFields } from '../../src/events/index.js';
import type { EventSource, Finding, RuleContext, TraceEvent } from '../../src/diagnose/types.js';

const T0 = 1_757_805_908_039;
const ev = <K extends EventKind>(ms: number, source: EventSource, kind: K, data: DataOf<K>): TraceEvent => traceEvent(T0 + ms, source, kind, data);
const oa = (ms: number, direction: 'client' | 'server', event: { type: string; [field: string]: unknown }): TraceEvent =>
  ev(ms, 'log', `openai.${event.type}`, { direction, event });
const L = (message: string, level: LogLineFields['level'] = 'debug', ms = 0): LogLineFields => ({
  level,
  logger: 'livekit.agents',
  message,
  line: Math.round(ms),
});

const codes = (fs: Finding[]) => fs.map((f) => `${f.code}:${f.severity}`).sort();
const run = (events: TraceEvent[], ctx: Partial<RuleContext> = {}, rules = ALL_RULES) => diagnose(events, rules, { command: 'send-preconnect', ...ctx });

// The synthetic user's side of a normal run.
const client = {
  recording: ev(0, 'client', 'client.recording.started', { sampleRate: 24000, channels: 1, audioMs: 0, live: 'fixtures/audio/two-part.wav' }),
  connected: ev(300, 'client', 'client.connected', { url: 'ws://127.0.0.1:7880', room: 'r1', identity: 'lkdiag-user' }),
  published: (flag = true) =>
    ev(400, 'client', 'client.track.published', { trackSid: 'TR_mic', features: flag ? ['TF_PRECONNECT_BUFFER'] : [], preconnectFlag: flag, requested: flag }),
  joined: ev(1_200, 'client', 'client.agent.joined', { identity: 'agent-AJ_1' }),
  active: ev(1_500, 'client', 'client.agent.active', { identity: 'agent-AJ_1' }),
  opened: (trackId: string | undefined = 'TR_mic') =>
    ev(1_510, 'client', 'client.preconnect.opened', {
      streamId: 's1',
      trackId: trackId ?? null,
      sampleRate: '24000',
      channels: '1',
      destination: 'agent-AJ_1',
      mimeType: 'application/octet-stream',
      pendingMs: 0,
    }),
  closed: (at = 1_900, reason = 'subscribed') => ev(at, 'client', 'client.preconnect.closed', { bytes: 72_000, audioMs: 1_500, speechMs: 1_200, reason }),
  live: ev(1_910, 'client', 'client.live.started', { offsetMs: 1_500 }),
};
const received = (ms = 1_950) =>
  ev(ms, 'log', 'log.preconnect.received', {
    ...L('pre-connect audio received', 'debug', ms),
    ...{ duration: 1.5, trackId: 'TR_mic', participant: 'lkdiag-user' },
  });
const pushed = (ms = 2_000) =>
  ev(ms, 'log', 'log.preconnect.pushed', { ...L('pre-connect audio buffer pushed', 'debug', ms), ...{ duration: 1.5, trackId: 'TR_mic' } });
const created = (ms: number, rid: string) => oa(ms, 'server', { type: 'response.created', response: { id: rid, status: 'in_progress', metadata: null } });
const delta = (ms: number, rid: string) => oa(ms, 'server', { type: 'response.output_audio.delta', response_id: rid, delta: '<4800 bytes>' });
const done = (ms: number, rid: string, status: string, details: Record<string, unknown> | null = null) =>
  oa(ms, 'server', { type: 'response.done', response: { id: rid, status, status_details: details } });

const healthyClient = [client.recording, client.connected, client.published(), client.joined, client.active, client.opened(), client.closed(), client.live];

describe('preconnect: healthy', () => {
  it('buffer received + pushed, reply completed with audio: only preconnect/consumed (info)', () => {
    const fs = run([
      ...healthyClient,
      received(),
      pushed(),
      ev(2_010, 'log', 'agent.start-reading', { ...L('start reading stream', 'debug', 2_010) }),
      oa(2_200, 'server', { type: 'input_audio_buffer.speech_started' }),
      oa(3_900, 'server', { type: 'input_audio_buffer.committed' }),
      created(4_000, 'resp_1'),
      delta(4_300, 'resp_1'),
      ev(4_400, 'room', 'agent.state', { identity: 'agent-AJ_1', to: 'speaking' }),
      done(6_000, 'resp_1', 'completed'),
    ]);
    expect(codes(fs)).toEqual(['preconnect/consumed:info']);
    expect(fs[0]!.detail).toContain('1.50 s of audio');
  });

  it('no pre-connect anywhere in the trace: the pre-connect rules stay silent', () => {
    const fs = run(
      [
        ev(0, 'room', 'room.track.published', { identity: 'u', trackSid: 'TR_1', source: 'microphone', features: [] }),
        ev(100, 'room', 'agent.state', { identity: 'a', to: 'listening' }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual([]);
  });

  it('consumption confirmed by the transcript match the command hands over', () => {
    const fs = run(healthyClient, { preconnect: { transcriptMatched: true } }, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/consumed:info']);
    expect(fs[0]!.detail).toContain('--agent-log');
  });
});

describe('preconnect: outcome without an agent log', () => {
  it('buffer sent, nothing known: not-consumed warning saying how to confirm', () => {
    const fs = run(healthyClient, {}, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/not-consumed:warning']);
    expect(fs[0]!.detail).toContain('--agent-log FILE');
    expect(fs[0]!.detail).toContain('DEBUG');
  });

  it('transcript lacks the buffered words: not-consumed error', () => {
    const fs = run(healthyClient, { preconnect: { transcriptMatched: false } }, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/not-consumed:error']);
  });

  it('a DEBUG-level agent log that never shows the buffer arriving: not-consumed error', () => {
    const fs = run([...healthyClient, ev(2_010, 'log', 'agent.start-reading', { ...L('start reading stream', 'debug', 2_010) })], {}, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/not-consumed:error']);
  });

  it('an INFO-level log has no pre-connect lines: warning asking for DEBUG', () => {
    const fs = run([...healthyClient, ev(2_000, 'log', 'log.job.received', { ...L('received job request', 'info', 2_000) })], {}, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/not-consumed:warning']);
    expect(fs[0]!.detail).toContain('DEBUG level');
  });
});

describe('preconnect: agent presence (exit 4 codes)', () => {
  it('agent joined, never ACTIVE before the client timeout', () => {
    const fs = run(
      [
        client.recording,
        client.connected,
        client.published(),
        client.joined,
        ev(10_400, 'client', 'client.timeout', { wait: 'agent-active', boundMs: 10_000 }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/agent-not-active:error']);
  });

  it('no agent joined: no-agent-dispatched with the dispatch job error', () => {
    const fs = run(
      [
        client.recording,
        client.connected,
        ev(320, 'server', 'server.dispatch.created', { id: 'AD_1', agentName: 'my-agent' }),
        client.published(),
        ev(10_300, 'server', 'server.dispatch.state', { id: 'AD_1', agentName: 'my-agent', jobs: [{ status: 'JS_FAILED', error: 'worker crashed' }] }),
        ev(10_400, 'client', 'client.timeout', { wait: 'agent-active', boundMs: 10_000 }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/no-agent-dispatched:error']);
    expect(fs[0]!.detail).toContain('worker crashed');
  });

  it('dispatch without any job: no worker under that name', () => {
    const fs = run(
      [
        client.connected,
        ev(10_300, 'server', 'server.dispatch.state', { id: 'AD_2', agentName: 'nobody', jobs: [] }),
        ev(10_400, 'client', 'client.timeout', { wait: 'agent-active', boundMs: 10_000 }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/no-agent-dispatched:error']);
    expect(fs[0]!.detail).toContain('no worker registered');
  });
});

describe('preconnect: client-side faults', () => {
  it('flag missing: confirmed by the log (received, never pushed)', () => {
    const fs = run(
      [
        client.recording,
        client.connected,
        ev(390, 'client', 'client.fault', { name: 'no-preconnect-flag' }),
        client.published(false),
        client.joined,
        client.active,
        client.opened(),
        client.closed(),
        received(),
        ev(2_010, 'log', 'agent.start-reading', { ...L('start reading stream', 'debug', 2_010) }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/flag-missing:error', 'preconnect/not-consumed:error']);
    expect(fs.find((f) => f.code === 'preconnect/flag-missing')!.detail).toContain('received but never pushed');
  });

  it('missing trackId: the injected fault + the agent warning + the 3 s timeout', () => {
    const fs = run(
      [
        client.recording,
        client.connected,
        client.published(),
        client.joined,
        client.active,
        ev(1_505, 'client', 'client.fault', { name: 'omit-track-id' }),
        client.opened(undefined),
        client.closed(),
        ev(1_960, 'log', 'log.preconnect.no-track-id', { ...L('pre-connect audio received but no trackId', 'warning', 1_960) }),
        ev(5_000, 'log', 'log.preconnect.timeout', { ...L('timeout waiting for pre-connect audio buffer', 'warning', 5_000) }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/missing-track-id:error', 'preconnect/not-consumed:error', 'preconnect/timeout-waiting:error']);
    expect(fs.find((f) => f.code === 'preconnect/timeout-waiting')!.detail).toContain('no trackId');
  });

  it('missing trackId seen by the client only: says the log would confirm', () => {
    const fs = run([client.connected, client.published(), client.active, client.opened(''), client.closed()], {}, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/missing-track-id:error', 'preconnect/not-consumed:warning']);
    expect(fs.find((f) => f.code === 'preconnect/missing-track-id')!.detail).toContain('--agent-log FILE');
  });

  it('stream held open past 3 s: not-completed-in-time from the log, and from the client alone', () => {
    const withLog = run(
      [
        ...healthyClient.filter((e) => e.kind !== 'client.preconnect.closed'),
        client.closed(6_000, 'hold'),
        ev(4_600, 'log', 'log.preconnect.not-completed', {
          ...L('pre-connect audio received but not completed in time', 'warning', 4_600),
          ...{ participant: 'lkdiag-user' },
        }),
        ev(7_600, 'log', 'log.preconnect.timeout', { ...L('timeout waiting for pre-connect audio buffer', 'warning', 7_600) }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(withLog)).toEqual(['preconnect/not-completed-in-time:error', 'preconnect/not-consumed:error', 'preconnect/timeout-waiting:error']);
    const clientOnly = run([...healthyClient.filter((e) => e.kind !== 'client.preconnect.closed'), client.closed(6_000, 'hold')], {}, PRECONNECT_RULES);
    expect(codes(clientOnly)).toEqual(['preconnect/not-completed-in-time:error', 'preconnect/not-consumed:warning']);
    expect(clientOnly.find((f) => f.code === 'preconnect/not-completed-in-time')!.detail).toContain('4.5 s');
  });
});

describe('preconnect: agent-side log strings', () => {
  it('handler registered late, buffer dropped: error', () => {
    const fs = run(
      [
        ...healthyClient,
        ev(1_600, 'log', 'log.preconnect.ignored', {
          ...L("ignoring byte stream with topic 'lk.agent.pre-connect-audio-buffer', no callback attached", 'info', 1_600),
          ...{ topic: 'lk.agent.pre-connect-audio-buffer', framework: 'python' },
        }),
        ev(2_500, 'log', 'log.preconnect.registered-late', {
          ...L(
            'pre-connect audio handler registered after room connection, start RoomIO before ctx.connect() to ensure seamless audio buffer.',
            'warning',
            2_500,
          ),
        }),
        ev(5_500, 'log', 'log.preconnect.timeout', { ...L('timeout waiting for pre-connect audio buffer', 'warning', 5_500) }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/handler-registered-late:error', 'preconnect/not-consumed:error', 'preconnect/timeout-waiting:error']);
  });

  it("handler registered late but this run's buffer was consumed: warning", () => {
    const fs = run(
      [
        ...healthyClient,
        received(),
        ev(1_990, 'log', 'log.preconnect.registered-late', {
          ...L(
            'pre-connect audio handler registered after room connection, start RoomIO before ctx.connect() to ensure seamless audio buffer.',
            'warning',
            1_990,
          ),
        }),
        pushed(),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/consumed:info', 'preconnect/handler-registered-late:warning']);
    expect(fs.find((f) => f.code === 'preconnect/handler-registered-late')!.detail).toContain('won it');
  });

  it('no handler (Python, pre_connect_audio off)', () => {
    const fs = run(
      [
        ...healthyClient,
        ev(1_600, 'log', 'log.preconnect.ignored', {
          ...L("ignoring byte stream with topic 'lk.agent.pre-connect-audio-buffer', no callback attached", 'info', 1_600),
          ...{ topic: 'lk.agent.pre-connect-audio-buffer', framework: 'python' },
        }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/no-handler:error', 'preconnect/not-consumed:error']);
  });

  it('Node agent: agent-unsupported (not a generic failure)', () => {
    const fs = run(
      [
        ...healthyClient,
        ev(200, 'log', 'log.framework', { level: 'info', logger: 'agents', message: 'starting worker', line: 1, framework: 'node', version: '1.9.0' }),
        ev(1_600, 'log', 'log.preconnect.ignored', {
          ...L('ignoring incoming byte stream due to no handler for topic: lk.agent.pre-connect-audio-buffer', 'debug', 1_600),
          ...{ topic: 'lk.agent.pre-connect-audio-buffer', framework: 'node' },
        }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/agent-unsupported:error', 'preconnect/not-consumed:error']);
  });

  it('Node agent identified by get_framework_info, no log', () => {
    const fs = run(
      [
        ...healthyClient,
        ev(1_700, 'session', 'session.response', { request: 'get_framework_info', ok: true, payload: { sdk: 'agents-js', version: '1.9.0' } }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/agent-unsupported:error', 'preconnect/not-consumed:warning']);
  });

  it('buffer too old (snapshot sender)', () => {
    const fs = run(
      [
        ...healthyClient.filter((e) => e.kind !== 'client.preconnect.closed'),
        client.closed(1_520, 'snapshot'),
        received(1_530),
        ev(3_000, 'log', 'log.preconnect.too-old', {
          ...L('pre-connect audio buffer is too old', 'warning', 3_000),
          ...{ trackId: 'TR_mic', deltaTime: 1.47 },
        }),
      ],
      {},
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/buffer-too-old:error', 'preconnect/not-consumed:error']);
    expect(fs.find((f) => f.code === 'preconnect/buffer-too-old')!.detail).toContain('1.47 s');
  });

  it('trace log alone: timeout waiting with no buffer at all', () => {
    const fs = run(
      [
        ev(0, 'log', 'log.job.received', { ...L('received job request', 'info', 0) }),
        ev(3_000, 'log', 'log.preconnect.timeout', { ...L('timeout waiting for pre-connect audio buffer', 'warning', 3_000) }),
        ev(3_001, 'log', 'agent.start-reading', { ...L('start reading stream', 'debug', 3_001) }),
      ],
      { command: 'trace' },
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/timeout-waiting:error']);
    expect(fs[0]!.detail).toContain('no buffer arrived');
  });
});

describe('preconnect/interrupted-by-live-audio (issue 4 example)', () => {
  // 2025-09-13 23:25:08,039 INFO events - User state changed from: listening to speaking
  // 2025-09-13 23:25:08,039 DEBUG livekit.plugins.openai - >>> {'type': 'response.cancel'}
  it('agent log only: buffer received+pushed, response created, user speaking and response.cancel in the same ms', () => {
    const fs = run(
      [
        ev(-2_400, 'log', 'log.preconnect.received', { ...L('pre-connect audio received', 'debug', -2_400), ...{ duration: 2.1, trackId: 'TR_mic' } }),
        ev(-2_390, 'log', 'log.preconnect.pushed', { ...L('pre-connect audio buffer pushed', 'debug', -2_390), ...{ duration: 2.1, trackId: 'TR_mic' } }),
        oa(-2_000, 'server', { type: 'input_audio_buffer.speech_started' }),
        oa(-600, 'server', { type: 'input_audio_buffer.committed' }),
        created(-500, 'resp_pc'),
        ev(0, 'log', 'user.state', {
          level: 'info',
          logger: 'events',
          message: 'User state changed from: listening to speaking',
          line: 40,
          from: 'listening',
          to: 'speaking',
        }),
        oa(0, 'client', { type: 'response.cancel' }),
        done(80, 'resp_pc', 'cancelled', { type: 'cancelled', reason: 'client_cancelled' }),
      ],
      { command: 'trace' },
    );
    expect(codes(fs)).toEqual([
      'agent/response-cancelled-by-user-speech:warning',
      'openai/response-cancelled:warning',
      'preconnect/consumed:info',
      'preconnect/interrupted-by-live-audio:error',
    ]);
    const f = fs.find((x) => x.code === 'preconnect/interrupted-by-live-audio')!;
    expect(f.detail).toContain('cancelled 0 ms later');
    expect(f.evidence.map((e) => e.kind)).toEqual([
      'log.preconnect.pushed',
      'openai.response.created',
      'user.state',
      'openai.response.cancel',
      'openai.response.done',
    ]);
  });

  it('server VAD turn_detected with the client and session events (no agent log)', () => {
    const fs = run(
      [
        ...healthyClient,
        ev(3_000, 'session', 'agent.state', { from: 'listening', to: 'thinking' }),
        ev(3_600, 'session', 'user.state', { from: 'listening', to: 'speaking' }),
        ev(3_900, 'session', 'conversation.item', { role: 'assistant', text: '', interrupted: true }),
      ],
      { command: 'send-preconnect', preconnect: { transcriptMatched: true } },
    );
    expect(codes(fs)).toEqual(['agent/response-cancelled-by-user-speech:warning', 'preconnect/consumed:info', 'preconnect/interrupted-by-live-audio:error']);
  });

  it('a later barge-in after the reply to the buffer was spoken is not this finding', () => {
    const fs = run(
      [
        received(),
        pushed(),
        created(3_000, 'resp_1'),
        delta(3_200, 'resp_1'),
        done(5_000, 'resp_1', 'completed'),
        created(8_000, 'resp_2'),
        delta(8_200, 'resp_2'),
        oa(9_000, 'server', { type: 'input_audio_buffer.speech_started' }),
        done(9_050, 'resp_2', 'cancelled', { type: 'cancelled', reason: 'turn_detected' }),
      ],
      { command: 'trace' },
    );
    expect(codes(fs)).toEqual(['agent/response-cancelled-by-user-speech:info', 'openai/response-cancelled:warning', 'preconnect/consumed:info']);
  });
});

describe('preconnect: sent before the agent was ACTIVE', () => {
  it('the not-consumed detail names the early send', () => {
    const fs = run(
      [
        client.connected,
        client.published(),
        ev(450, 'client', 'client.fault', { name: 'send-before-active' }),
        ev(460, 'client', 'client.preconnect.opened', {
          streamId: 's',
          trackId: 'TR_mic',
          sampleRate: '24000',
          channels: '1',
          destination: 'agent-AJ_1',
          mimeType: 'application/octet-stream',
          pendingMs: 0,
        }),
        client.closed(900),
        client.joined,
        client.active,
      ],
      { preconnect: { transcriptMatched: false } },
      PRECONNECT_RULES,
    );
    expect(codes(fs)).toEqual(['preconnect/not-consumed:error']);
    expect(fs[0]!.detail).toContain('before the agent was ACTIVE (--send-before-active)');
  });
});

describe('flag-missing looks only at the user microphone', () => {
  it('an agent publishing its own audio as a microphone without the flag is not flag-missing (regression from a live run)', () => {
    const agentJoined = ev(1_100, 'room', 'room.participant.joined', { identity: 'agent-AJ_1', kind: 'agent' });
    const agentMic = ev(1_400, 'room', 'room.track.published', { identity: 'agent-AJ_1', trackSid: 'TR_agent', source: 'microphone', features: [] });
    const fs = run([
      client.recording,
      client.connected,
      client.published(true),
      agentJoined,
      client.joined,
      agentMic,
      client.active,
      client.opened(),
      client.closed(),
      client.live,
      received(),
      pushed(),
    ]);
    expect(codes(fs)).toEqual(['preconnect/consumed:info']);
  });

  it('without our own publication (trace room), the microphone the buffer names decides', () => {
    const userMic = ev(400, 'room', 'room.track.published', { identity: 'u', trackSid: 'TR_mic', source: 'microphone', features: [] });
    const agentMic = ev(1_400, 'room', 'room.track.published', { identity: 'agent-AJ_1', trackSid: 'TR_agent', source: 'microphone', features: [] });
    const agentJoined = ev(1_100, 'room', 'room.participant.joined', { identity: 'agent-AJ_1', kind: 'agent' });
    const fs = run([userMic, agentJoined, agentMic, received()], { command: 'trace room' });
    expect(codes(fs)).toContain('preconnect/flag-missing:error');
    expect(fs.find((f) => f.code === 'preconnect/flag-missing')!.detail).toContain('TR_mic');
  });
});

describe('preconnect: evidence that cannot settle the verdict is unconfirmed, never an error (issue #10)', () => {
  it('a buffer with fewer words than a transcript can confirm: a warning saying what evidence to add', () => {
    const fs = run(healthyClient, { preconnect: { unsettled: 'short-buffer', bufferedMs: 430 } }, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/not-consumed:warning']);
    expect(fs[0]!.detail).toContain("The buffer held 0.4 s of the user's speech, fewer words than a transcript can confirm");
    expect(fs[0]!.detail).toContain('--agent-log FILE (DEBUG level)');
  });

  it('an unrecognised transcript: a warning, not an error', () => {
    const fs = run(healthyClient, { preconnect: { unsettled: 'unrecognised' } }, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/not-consumed:warning']);
    expect(fs[0]!.detail).toContain('unrecognised transcript');
  });

  it('the agent log says it pushed the buffer: consumed, whatever an unsettled transcript says', () => {
    const fs = run([...healthyClient, received(), pushed()], { preconnect: { unsettled: 'unrecognised' } }, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/consumed:info']);
  });

  it('pushed, but the format evidence proves it misread (stereo attributes): an error even with an unsettled transcript', () => {
    const stereo = ev(1_510, 'client', 'client.preconnect.opened', {
      streamId: 's1',
      trackId: 'TR_mic',
      sampleRate: '24000',
      channels: '2',
      destination: 'agent-AJ_1',
      mimeType: 'application/octet-stream',
      pendingMs: 0,
    });
    const events = [...healthyClient.filter((e) => e.kind !== 'client.preconnect.opened'), stereo, received(), pushed()];
    const fs = run(events, { preconnect: { unsettled: 'unrecognised' } }, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/not-consumed:error']);
    expect(fs[0]!.detail).toMatch(/pushed the buffer .* but the buffered words are missing/);
    expect(fs[0]!.detail).toContain('the transcript alone could not settle it');
    expect(fs[0]!.detail).toContain('stereo (channels=2)');
  });

  it('pushed with a decoded duration that does not match what was sent (sampleRate lie): error', () => {
    const lie = ev(2_000, 'log', 'log.preconnect.pushed', {
      ...L('pre-connect audio buffer pushed', 'debug', 2_000),
      ...{ duration: 2.25, trackId: 'TR_mic' },
    });
    const fs = run([...healthyClient, received(), lie], { preconnect: { unsettled: 'unrecognised' } }, PRECONNECT_RULES);
    expect(codes(fs)).toEqual(['preconnect/not-consumed:error']);
    expect(fs[0]!.detail).toContain('the agent decoded 2.25 s from 1.50 s of recorded audio');
  });
});
