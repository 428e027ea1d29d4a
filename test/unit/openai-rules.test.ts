import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { OPENAI_RULES, applyCheck } from '../../src/diagnose/rules/openai/index.js';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { traceEvent, type DataOf, type EventKind } from '../../src/events/index.js';
import { realtimeTraceEvent } from '../../src/protocol/realtime-events.js';
import { exitCodeFor } from '../../src/report/report.js';
import { metaFor } from '../../src/diagnose/catalogue.js';

const T0 = 1_700_000_000_000;
const c = (ms: number, event: Record<string, unknown>) => realtimeTraceEvent(T0 + ms, 'log', 'client', event);
const s = (ms: number, event: Record<string, unknown>) => realtimeTraceEvent(T0 + ms, 'log', 'server', event);
const p = <K extends EventKind>(ms: number, kind: K, data: DataOf<K>): TraceEvent => traceEvent(T0 + ms, 'probe', kind, data);
const run = (events: TraceEvent[], command = 'probe-openai') => diagnose(events, OPENAI_RULES, { command });
const codes = (events: TraceEvent[], command?: string) =>
  run(events, command)
    .map((f) => `${f.severity}:${f.code}`)
    .sort();

const create = (ms: number, id: string) => c(ms, { type: 'response.create', event_id: id, response: { metadata: { client_event_id: id } } });
const created = (ms: number, rid: string, meta: unknown) => s(ms, { type: 'response.created', response: { id: rid, status: 'in_progress', metadata: meta } });
const audio = (ms: number, rid: string) => s(ms, { type: 'response.output_audio.delta', response_id: rid, delta: 'AAAA' });
const done = (ms: number, rid: string, status = 'completed', status_details: unknown = null) =>
  s(ms, { type: 'response.done', response: { id: rid, status, status_details } });

const healthy = (): TraceEvent[] => [
  s(0, { type: 'session.created', session: { output_modalities: ['audio'] } }),
  c(5, { type: 'session.update', event_id: 'su1', session: { type: 'realtime' } }),
  s(20, { type: 'session.updated', session: { output_modalities: ['audio'] } }),
  create(30, 'rc1'),
  created(300, 'r1', { client_event_id: 'rc1' }),
  audio(500, 'r1'),
  done(900, 'r1'),
];

describe('OpenAI rules', () => {
  it('a healthy exchange has no findings', () => {
    expect(run(healthy())).toEqual([]);
  });

  it('response.created after 10 s → generate-reply-timeout-risk (error), with the timing in the detail', () => {
    const ev = [create(0, 'rc1'), created(11_200, 'r1', { client_event_id: 'rc1' }), audio(11_300, 'r1'), done(11_900, 'r1')];
    const f = run(ev);
    expect(f.map((x) => x.code)).toEqual(['openai/generate-reply-timeout-risk']);
    expect(f[0]!.severity).toBe('error');
    expect(f[0]!.detail).toContain('response.created took 11.2 s');
    expect(f[0]!.detail).toContain('10 s since livekit-agents 1.5, 5 s before');
  });

  it('between 5 and 10 s → the same code as a warning (older 5 s timeout)', () => {
    expect(codes([create(0, 'rc1'), created(6000, 'r1', { client_event_id: 'rc1' }), audio(6100, 'r1'), done(6200, 'r1')])).toEqual([
      'warning:openai/generate-reply-timeout-risk',
    ]);
  });

  it('metadata not echoed → error naming the sent id', () => {
    const f = run([create(0, 'rc1'), created(100, 'r1', null), audio(200, 'r1'), done(300, 'r1')]);
    expect(f.map((x) => x.code)).toEqual(['openai/metadata-not-echoed']);
    expect(f[0]!.detail).toContain('client_event_id=rc1');
  });

  it('a server-VAD response (metadata null, no response.create) is not a missing echo', () => {
    expect(run([s(0, { type: 'input_audio_buffer.committed' }), created(100, 'r1', null), audio(200, 'r1'), done(300, 'r1')])).toEqual([]);
  });

  it('active-response conflict carries the rejected request as evidence', () => {
    const ev = [
      ...healthy(),
      create(40, 'rc2'),
      s(45, {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          code: 'conversation_already_has_active_response',
          message: 'Conversation already has an active response in progress: r1.',
          event_id: 'rc2',
        },
      }),
    ];
    const f = run(ev);
    expect(f.map((x) => x.code)).toEqual(['openai/active-response-conflict']);
    expect(f[0]!.evidence.map((e) => e.kind)).toEqual(['openai.response.create', 'openai.error']);
  });

  it.each([
    ['model_not_found', 'openai/model-not-found'],
    ['insufficient_quota', 'openai/quota-exceeded'],
    ['rate_limit_exceeded', 'openai/rate-limited'],
    ['server_error', 'openai/response-failed'],
  ])('failed response %s → %s', (code, expected) => {
    expect(
      codes([
        create(0, 'rc1'),
        created(100, 'r1', { client_event_id: 'rc1' }),
        done(200, 'r1', 'failed', { type: 'failed', error: { type: 'invalid_request_error', code } }),
      ]),
    ).toEqual([`error:${expected}`]);
  });

  it('cancelled responses say turn_detected vs client_cancelled; a warning outside the probe', () => {
    const vad = [
      create(0, 'rc1'),
      created(100, 'r1', { client_event_id: 'rc1' }),
      audio(150, 'r1'),
      s(300, { type: 'input_audio_buffer.speech_started', audio_start_ms: 100 }),
      done(320, 'r1', 'cancelled', { type: 'cancelled', reason: 'turn_detected' }),
    ];
    const f = run(vad);
    expect(f.map((x) => `${x.severity}:${x.code}`)).toEqual(['error:openai/response-cancelled']);
    expect(f[0]!.detail).toMatch(/turn_detected.*speech_started 20 ms before/);
    expect(codes(vad, 'trace log')).toEqual(['warning:openai/response-cancelled']);
    const client = [
      create(0, 'rc1'),
      created(100, 'r1', { client_event_id: 'rc1' }),
      audio(150, 'r1'),
      c(300, { type: 'response.cancel' }),
      done(310, 'r1', 'cancelled', 'client_cancelled'),
    ];
    expect(run(client)[0]!.detail).toMatch(/client_cancelled.*response\.cancel 10 ms before/);
  });

  it('incomplete is a warning; completed without audio is no-audio-output', () => {
    expect(
      codes([
        create(0, 'rc1'),
        created(100, 'r1', { client_event_id: 'rc1' }),
        audio(150, 'r1'),
        done(200, 'r1', 'incomplete', { type: 'incomplete', reason: 'max_output_tokens' }),
      ]),
    ).toEqual(['warning:openai/response-incomplete']);
    expect(codes([...healthy().slice(0, 5), done(900, 'r1')])).toEqual(['error:openai/no-audio-output']);
  });

  it('text-only sessions expect no audio', () => {
    const ev = [
      c(0, { type: 'session.update', session: { type: 'realtime', output_modalities: ['text'] } }),
      create(10, 'rc1'),
      created(100, 'r1', { client_event_id: 'rc1' }),
      done(200, 'r1'),
    ];
    expect(run(ev)).toEqual([]);
  });

  it('truncate rejections are recognised by code or message (some captures have code null)', () => {
    const tr = c(0, { type: 'conversation.item.truncate', event_id: 'tr1', item_id: 'i1', content_index: 0, audio_end_ms: 0 });
    expect(
      codes([
        tr,
        s(5, { type: 'error', error: { code: 'unsupported_content_type', message: 'Only model output audio messages can be truncated', event_id: 'tr1' } }),
      ]),
    ).toEqual(['error:openai/truncate-rejected']);
    expect(codes([tr, s(5, { type: 'error', error: { code: null, message: 'Only model output audio messages can be truncated' } })])).toEqual([
      'error:openai/truncate-rejected',
    ]);
  });

  it('truncate at audio_end_ms=0 (no event id, as livekit-agents sends it): the barge-in-before-playback cause and the fixed versions', () => {
    const tr = c(0, { type: 'conversation.item.truncate', item_id: 'i1', content_index: 0, audio_end_ms: 0 });
    const f = run(
      [tr, s(6, { type: 'error', error: { code: 'unsupported_content_type', message: 'Only model output audio messages can be truncated', event_id: null } })],
      'trace log',
    );
    expect(f.map((x) => x.code)).toEqual(['openai/truncate-rejected']);
    expect(f[0]!.detail).toContain('truncated i1 at audio_end_ms=0');
    expect(f[0]!.fix).toContain('livekit-agents ≥ 1.6.5');
    expect(f[0]!.evidence.map((e) => e.kind)).toEqual(['openai.conversation.item.truncate', 'openai.error']);
    // A truncate long before the error (> 5 s) is not taken as the one it answers.
    const far = run(
      [tr, s(6_000, { type: 'error', error: { code: 'unsupported_content_type', message: 'Only model output audio messages can be truncated' } })],
      'trace log',
    );
    expect(far[0]!.detail).not.toContain('audio_end_ms=0');
  });

  it('truncate with audio_end_ms null (agents-js DataStream avatars before 1.4.7): invalid_type explained, the 1.4.7 fix', () => {
    const tr = c(0, { type: 'conversation.item.truncate', item_id: 'i1', content_index: 0, audio_end_ms: null });
    const err = s(6, {
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'invalid_type',
        message: "Invalid type for 'audio_end_ms': expected an integer, but got null instead.",
        param: 'audio_end_ms',
        event_id: null,
      },
    });
    const f = run([tr, err], 'trace log');
    expect(f.map((x) => x.code)).toEqual(['openai/truncate-rejected']);
    expect(f[0]!.detail).toContain('truncate for i1 with audio_end_ms null');
    expect(f[0]!.detail).toContain('playback_position');
    expect(f[0]!.fix).toContain('@livekit/agents-plugin-openai to ≥ 1.4.7');
    expect(f[0]!.fix).toContain('livekit/agents-js#1795');
    expect(f[0]!.evidence.map((e) => e.kind)).toEqual(['openai.conversation.item.truncate', 'openai.error']);
    // the error alone (INFO log, no truncate in the trace): the same cause, from the API's words
    const alone = run([err], 'trace log');
    expect(alone.map((x) => x.code)).toEqual(['openai/truncate-rejected']);
    expect(alone[0]!.detail).toContain('with audio_end_ms null');
    // a truncate at 0 is still the barge-in-before-playback case, not this one
    const zero = run(
      [
        c(0, { type: 'conversation.item.truncate', item_id: 'i1', content_index: 0, audio_end_ms: 0 }),
        s(6, { type: 'error', error: { code: 'unsupported_content_type', message: 'Only model output audio messages can be truncated' } }),
      ],
      'trace log',
    );
    expect(zero[0]!.detail).not.toContain('playback_position');
  });

  it('truncate of an item replayed after a reconnect: the reconnect cause, its evidence and a different fix', () => {
    const item = { id: 'item_a', type: 'message', role: 'assistant' };
    const ev = [
      s(0, { type: 'session.created', session: {} }),
      s(100, { type: 'response.output_item.added', response_id: 'r1', item }),
      s(3_000, { type: 'session.created', session: {} }),
      s(3_001, { type: 'conversation.item.added', previous_item_id: null, item }),
      c(4_500, { type: 'conversation.item.truncate', item_id: 'item_a', content_index: 0, audio_end_ms: 4743 }),
      s(4_507, {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          code: 'unsupported_content_type',
          message: 'Only model output audio messages can be truncated',
          event_id: null,
        },
      }),
    ];
    const f = run(ev, 'trace log');
    expect(f.map((x) => x.code)).toEqual(['openai/truncate-rejected']);
    expect(f[0]!.detail).toContain('truncated item_a at 4743 ms while it was still playing it');
    expect(f[0]!.detail).toContain('came back as a text item (conversation.item.added 1499 ms before the truncate)');
    expect(f[0]!.fix).toContain('@livekit/agents-plugin-openai ≥ 1.0.36');
    expect(f[0]!.evidence.map((e) => e.t - T0)).toEqual([100, 3_000, 3_001, 4_500, 4_507]);
    // Without the second session (the item was generated in this connection) it is not the reconnect case.
    const same = run([ev[0]!, ev[1]!, ev[4]!, ev[5]!], 'trace log');
    expect(same[0]!.detail).not.toContain('reconnect');
    expect(same[0]!.detail).toContain('truncated item_a at 4743 ms.');
    // One connection, the item created by the client as text: not a reconnect, its own explanation.
    const own = run(
      [
        ev[0]!,
        c(200, { type: 'conversation.item.create', event_id: 'cc1', item: { ...item, content: [{ type: 'output_text', text: 'Hi' }] } }),
        s(201, { type: 'conversation.item.added', item }),
        ev[4]!,
        ev[5]!,
      ],
      'trace log',
    );
    expect(own[0]!.detail).not.toContain('reconnect');
    expect(own[0]!.detail).toContain('it created that item itself (conversation.item.create) as a text item');
    expect(own[0]!.fix).toContain('audioCapableItemIds');
  });

  it('"already shorter than": audio_end_ms past the generated audio', () => {
    const f = run(
      [
        c(0, { type: 'conversation.item.truncate', event_id: 't1', item_id: 'i1', content_index: 0, audio_end_ms: 57340 }),
        s(5, { type: 'error', error: { code: 'invalid_value', message: 'Audio content of 9250ms is already shorter than 57340ms', event_id: 't1' } }),
      ],
      'trace log',
    );
    expect(f.map((x) => x.code)).toEqual(['openai/truncate-rejected']);
    expect(f[0]!.detail).toContain('at 57340 ms, past the audio the model generated');
    expect(f[0]!.fix).toContain('clamp audio_end_ms');
  });

  it('an agent-log reconnect (connection error, then a new session.created within 30 s) → connection-closed warning; none without a new session', () => {
    const err = (ms: number, message: string): TraceEvent =>
      traceEvent(T0 + ms, 'log', 'log.openai.connection-error', { level: 'error', logger: 'livekit.plugins.openai', message, line: 1 });
    const ev = [
      s(0, { type: 'session.created', session: {} }),
      err(
        1_000,
        'Error in _recv_task\nTraceback (most recent call last):\nlivekit.agents._exceptions.APIConnectionError: OpenAI Realtime API connection closed unexpectedly',
      ),
      err(1_030, 'OpenAI Realtime API connection failed, retrying in 0.1s\nTraceback ...'),
      s(1_168, { type: 'session.created', session: {} }),
    ];
    const f = run(ev, 'trace log');
    expect(f.map((x) => `${x.severity}:${x.code}`)).toEqual(['warning:openai/connection-closed']);
    expect(f[0]!.detail).toContain('"OpenAI Realtime API connection closed unexpectedly" and reconnected 168 ms later');
    expect(f[0]!.evidence.map((e) => e.t - T0)).toEqual([1_000, 1_030, 1_168]);
    expect(run(ev.slice(0, 3), 'trace log')).toEqual([]);
    // A session 31 s later is not this reconnect.
    expect(run([...ev.slice(0, 3), s(31_100, { type: 'session.created', session: {} })], 'trace log')).toEqual([]);
  });

  it('a rejected session.update is reported with what it means', () => {
    const ev = [
      c(0, { type: 'session.update', event_id: 'su1', session: { type: 'realtime', temperature: 0.8 } }),
      s(5, {
        type: 'error',
        error: { code: 'unknown_parameter', message: "Unknown parameter: 'session.temperature'.", param: 'session.temperature', event_id: 'su1' },
      }),
    ];
    const f = run(ev);
    expect(f.map((x) => x.code)).toEqual(['openai/session-update-rejected']);
    expect(f[0]!.detail).toContain('ignored as a whole');
  });

  it('beta temperature outside [0.6, 1.2] is flagged from the request alone', () => {
    expect(codes([c(0, { type: 'session.update', session: { temperature: 0.3, modalities: ['text', 'audio'] } })])).toEqual([
      'error:openai/temperature-out-of-range',
    ]);
    expect(codes([c(0, { type: 'session.update', session: { temperature: 0.8, modalities: ['text', 'audio'] } })])).toEqual([]);
  });

  it('connection facts map to exit 3, timeouts to exit 4', () => {
    const refused = run([p(0, 'probe.connect.error', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' })]);
    expect(refused.map((f) => f.code)).toEqual(['openai/connect-failed']);
    expect(exitCodeFor(refused, metaFor)).toBe(3);
    const unauthorized = run([p(0, 'probe.upgrade.response', { status: 401, body: '{}' })]);
    expect(unauthorized.map((f) => f.code)).toEqual(['openai/invalid-api-key']);
    const limited = run([p(0, 'probe.upgrade.response', { status: 429 })]);
    expect(limited.map((f) => f.code).sort()).toEqual(['openai/rate-limited', 'openai/upgrade-rejected']);
    expect(exitCodeFor(limited, metaFor)).toBe(3);
    const slow = run([create(0, 'rc1'), p(30_000, 'probe.timeout', { step: 'response.created', boundMs: 30_000 })]);
    expect(slow.map((f) => f.code).sort()).toEqual(['openai/generate-reply-timeout-risk', 'openai/step-timeout']);
    expect(exitCodeFor(slow, metaFor)).toBe(4);
    expect(exitCodeFor(run(healthy()), metaFor)).toBe(0);
    expect(exitCodeFor([], metaFor, true)).toBe(130);
  });

  it('close 1001 is a session expiry; an error explaining the close suppresses the generic close finding', () => {
    expect(codes([p(0, 'probe.close', { code: 1001, reason: 'Your session hit the maximum duration of 60 minutes.', by: 'server' })])).toEqual([
      'error:openai/session-expired',
    ]);
    const key = [
      s(0, { type: 'error', error: { code: 'invalid_api_key', message: 'Incorrect API key provided' } }),
      p(2, 'probe.close', { code: 3000, reason: 'invalid_request_error.invalid_api_key', by: 'server' }),
    ];
    expect(codes(key)).toEqual(['error:openai/invalid-api-key']);
    expect(codes([p(0, 'probe.close', { code: 4002, reason: 'weird', by: 'server' })])).toEqual(['error:openai/connection-closed']);
  });

  it('a --check turns the expected failure into an info proof, or warns when it did not happen', () => {
    const ev = [
      ...healthy(),
      create(40, 'rc2'),
      s(45, { type: 'error', error: { code: 'conversation_already_has_active_response', message: 'x', event_id: 'rc2' } }),
    ];
    const ctx = { command: 'probe-openai', check: 'double-response' };
    const proven = applyCheck(diagnose(ev, OPENAI_RULES, ctx), ctx, ev);
    expect(proven.map((f) => `${f.severity}:${f.code}`)).toEqual(['info:openai/active-response-conflict']);
    expect(proven[0]!.detail).toMatch(/^Proven:/);
    const missing = applyCheck(diagnose(healthy(), OPENAI_RULES, ctx), ctx, healthy());
    expect(missing.map((f) => `${f.severity}:${f.code}`)).toEqual(['warning:openai/check-not-reproduced']);
  });
});
