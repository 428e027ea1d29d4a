import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClient } from '../../src/simulator/client.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/index.js';
import type { RealtimeEvent } from '../../src/protocol/realtime.js';

let sim: Simulator;
const open: SimClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ audioPace: 20 });
});
afterAll(async () => {
  for (const c of open) c.close();
  await sim.close();
});

async function connect(path = '/v1/realtime?model=gpt-realtime'): Promise<SimClient> {
  const c = await SimClient.connect(`ws://127.0.0.1:${sim.port}${path}`);
  open.push(c);
  await c.waitFor('session.created');
  return c;
}

const GA_ORDER = [
  'response.created',
  'response.output_item.added',
  'conversation.item.added',
  'response.content_part.added',
  'response.output_audio_transcript.delta',
  'response.output_audio.delta',
  'response.output_audio.done',
  'response.output_audio_transcript.done',
  'response.content_part.done',
  'conversation.item.done',
  'response.output_item.done',
  'response.done',
];

function collapse(types: string[]): string[] {
  // transcript and audio deltas interleave; collapse each run of deltas to one of each, in first-seen order
  const out: string[] = [];
  for (const t of types) {
    if (t.endsWith('.delta') && out.includes(t) && out.slice(out.indexOf(t)).every((x) => x.endsWith('.delta'))) continue;
    out.push(t);
  }
  return out;
}

describe('simulator: session', () => {
  it('sends a GA session.created first, with the model from the query', async () => {
    const c = await connect('/v1/realtime?model=gpt-realtime-mini');
    const e = c.events[0]!;
    expect(e.type).toBe('session.created');
    expect(e.event_id).toMatch(/^event_/);
    const s = e.session as Record<string, any>;
    expect(s.id).toMatch(/^sess_/);
    expect(s).toMatchObject({ type: 'realtime', object: 'realtime.session', model: 'gpt-realtime-mini', output_modalities: ['audio'] });
    expect(s.audio.input.turn_detection).toMatchObject({ type: 'server_vad', create_response: true, interrupt_response: true });
    expect(s.audio.input.format).toEqual({ type: 'audio/pcm', rate: 24000 });
  });

  it('merges a LiveKit-shaped session.update and echoes the full session', async () => {
    const c = await connect();
    c.send({
      type: 'session.update',
      event_id: 'session_update_abc',
      session: {
        type: 'realtime',
        model: 'gpt-realtime',
        output_modalities: ['audio'],
        max_output_tokens: 'inf',
        tool_choice: 'auto',
        tracing: null,
        audio: {
          input: {
            format: { rate: 24000, type: 'audio/pcm' },
            noise_reduction: null,
            transcription: { model: 'gpt-4o-mini-transcribe' },
            turn_detection: { type: 'semantic_vad', create_response: true, eagerness: 'medium', interrupt_response: true },
          },
          output: { format: { rate: 24000, type: 'audio/pcm' }, speed: 1.0, voice: 'marin' },
        },
      },
    });
    const u = await c.waitFor('session.updated');
    const s = u.session as Record<string, any>;
    expect(s.audio.output.voice).toBe('marin');
    expect(s.audio.input.turn_detection).toEqual({ type: 'semantic_vad', eagerness: 'medium', create_response: true, interrupt_response: true });
    expect(s.audio.input.transcription).toEqual({ model: 'gpt-4o-mini-transcribe' });
    expect(s.instructions).toBeTypeOf('string');
    expect(s.id).toBe((c.events[0]!.session as any).id);
    c.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Be brief.' } });
    const u2 = await c.waitFor('session.updated', 2000, c.events.indexOf(u) + 1);
    expect((u2.session as any).instructions).toBe('Be brief.');
    expect((u2.session as any).audio.output.voice).toBe('marin');
    c.send({ type: 'session.update', session: { type: 'realtime', instructions: null } });
    await c.waitFor('session.updated', 2000, c.events.indexOf(u2) + 1);
    expect(c.of('error')).toHaveLength(0);
  });

  it('rejects beta-shaped updates wholesale', async () => {
    const c = await connect();
    c.send({ type: 'session.update', event_id: 'ev_beta', session: { voice: 'alloy', modalities: ['text', 'audio'] } });
    const e1 = await c.waitFor('error');
    expect(e1.error).toEqual({
      type: 'invalid_request_error',
      code: 'missing_required_parameter',
      message: "Missing required parameter: 'session.type'.",
      param: 'session.type',
      event_id: 'ev_beta',
    });
    const m = c.mark();
    c.send({ type: 'session.update', event_id: 'ev_temp', session: { type: 'realtime', instructions: 'X', temperature: 0.8 } });
    const e2 = await c.waitFor('error', 2000, m);
    expect(e2.error).toMatchObject({
      code: 'unknown_parameter',
      message: "Unknown parameter: 'session.temperature'.",
      param: 'session.temperature',
      event_id: 'ev_temp',
    });
    for (const [k, v] of Object.entries({ voice: 'x', input_audio_format: 'pcm16', turn_detection: null, max_response_output_tokens: 5 })) {
      const m2 = c.mark();
      c.send({ type: 'session.update', session: { type: 'realtime', [k]: v } });
      expect((await c.waitFor('error', 2000, m2)).error).toMatchObject({ code: 'unknown_parameter', param: `session.${k}` });
    }
    // nothing changed: the next valid update still shows the default instructions
    const m3 = c.mark();
    c.send({ type: 'session.update', session: { type: 'realtime' } });
    const u = await c.waitFor('session.updated', 2000, m3);
    expect((u.session as any).instructions).not.toBe('X');
    expect(c.of('session.updated')).toHaveLength(1);
  });

  it('answers an unknown event type with invalid_value on param type', async () => {
    const c = await connect();
    c.send({ type: 'response.audio.create', event_id: 'ev_x' });
    const e = await c.waitFor('error');
    expect(e.error).toMatchObject({ code: 'invalid_value', param: 'type', event_id: 'ev_x' });
    expect((e.error as any).message).toMatch(/^Invalid value: 'response.audio.create'. Supported values are: 'session.update'/);
  });
});

describe('simulator: responses', () => {
  it('streams a spoken reply in the GA order, echoing metadata, then rate_limits.updated', async () => {
    const c = await connect();
    const md = { client_event_id: 'response_create_ab12cd34ef56' };
    c.send({ type: 'response.create', event_id: 'response_create_ab12cd34ef56', response: { instructions: null, metadata: md } });
    await c.waitFor('rate_limits.updated', 5000);
    const types = c.types(1);
    expect(collapse(types)).toEqual([...GA_ORDER, 'rate_limits.updated']);
    const created = c.of('response.created')[0]!.response as any;
    const done = c.of('response.done')[0]!.response as any;
    expect(created).toMatchObject({ object: 'realtime.response', status: 'in_progress', metadata: md, output: [] });
    expect(created.id).toMatch(/^resp_/);
    expect(done).toMatchObject({ id: created.id, status: 'completed', status_details: null, metadata: md });
    expect(done.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_audio' }] });
    expect(done.usage.output_token_details.audio_tokens).toBeGreaterThan(0);
    expect(done.usage.input_token_details.cached_tokens_details).toBeDefined();
    const audioBytes = c.of('response.output_audio.delta').reduce((n, e) => n + Buffer.from(e.delta as string, 'base64').length, 0);
    const ms = audioBytes / 48;
    expect(ms).toBeGreaterThanOrEqual(1500);
    expect(ms).toBeLessThanOrEqual(2500);
    const transcript = c
      .of('response.output_audio_transcript.delta')
      .map((e) => e.delta)
      .join('');
    expect(c.of('response.output_audio_transcript.done')[0]!.transcript).toBe(transcript);
    expect(transcript.length).toBeGreaterThan(5);
    const itemIds = new Set(c.events.filter((e) => e.type.startsWith('response.output_audio')).map((e) => e.item_id));
    expect(itemIds).toEqual(new Set([done.output[0].id]));
    for (const e of c.events) expect(e.event_id).toMatch(/^event_/);
  });

  it('enforces one active response with the client event id', async () => {
    const c = await connect();
    c.send({ type: 'response.create', event_id: 'rc_1' });
    c.send({ type: 'response.create', event_id: 'rc_2' });
    const err = await c.waitFor('error');
    const created = await c.waitFor('response.created');
    expect(err.error).toEqual({
      type: 'invalid_request_error',
      code: 'conversation_already_has_active_response',
      message: `Conversation already has an active response in progress: ${(created.response as any).id}. Wait until the response is finished before creating a new one.`,
      param: null,
      event_id: 'rc_2',
    });
    await c.waitFor('response.done', 5000);
    expect(c.of('response.created')).toHaveLength(1);
  });

  it('cancel → response.done cancelled client_cancelled; cancel with nothing active → response_cancel_not_active', async () => {
    const c = await connect();
    c.send({ type: 'response.create' });
    await c.waitFor('response.output_audio.delta', 5000);
    c.send({ type: 'response.cancel' });
    const done = await c.waitFor('response.done', 2000);
    expect((done.response as any).status).toBe('cancelled');
    expect((done.response as any).status_details).toEqual({ type: 'cancelled', reason: 'client_cancelled' });
    const m = c.mark();
    c.send({ type: 'response.cancel', event_id: 'cancel_2' });
    const err = await c.waitFor('error', 2000, m);
    expect(err.error).toMatchObject({ code: 'response_cancel_not_active', message: 'Cancellation failed: no active response found', event_id: 'cancel_2' });
    // a cancel by response_id of the active response also works
    const m2 = c.mark();
    c.send({ type: 'response.create' });
    const created = await c.waitFor('response.created', 2000, m2);
    c.send({ type: 'response.cancel', response_id: (created.response as any).id });
    const done2 = await c.waitFor('response.done', 2000, m2);
    expect((done2.response as any).status_details.reason).toBe('client_cancelled');
  });

  it('respects output_modalities ["text"]', async () => {
    const c = await connect();
    c.send({ type: 'response.create', response: { output_modalities: ['text'] } });
    await c.waitFor('response.done', 5000);
    expect(c.of('response.output_audio.delta')).toHaveLength(0);
    const part = c.of('response.content_part.added')[0]!.part as any;
    expect(part.type).toBe('text');
    const text = c
      .of('response.output_text.delta')
      .map((e) => e.delta)
      .join('');
    expect(c.of('response.output_text.done')[0]!.text).toBe(text);
    expect((c.of('response.done')[0]!.response as any).output[0].content[0]).toEqual({ type: 'output_text', text });
  });

  it('replies to the last user text', async () => {
    const c = await connect();
    c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Where is my order?' }] } });
    c.send({ type: 'response.create', response: { output_modalities: ['text'] } });
    const done = await c.waitFor('response.output_text.done', 5000);
    expect(done.text).toContain('Where is my order?');
  });
});

describe('simulator: conversation items', () => {
  it('echoes the client item id in added then done; root and generated ids', async () => {
    const c = await connect();
    c.send({
      type: 'conversation.item.create',
      event_id: 'chat_ctx_create_x',
      previous_item_id: 'root',
      item: { id: 'item_1a2b', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    });
    const added = await c.waitFor('conversation.item.added');
    const done = await c.waitFor('conversation.item.done');
    const expected = {
      id: 'item_1a2b',
      object: 'realtime.item',
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_text', text: 'hi' }],
    };
    expect(added.item).toEqual(expected);
    expect(done.item).toEqual(expected);
    expect(added.previous_item_id).toBeNull();
    expect(c.events.indexOf(added)).toBeLessThan(c.events.indexOf(done));
    const m = c.mark();
    c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'yo' }] } });
    const a2 = await c.waitFor('conversation.item.added', 2000, m);
    expect((a2.item as any).id).toMatch(/^item_/);
    expect(a2.previous_item_id).toBe('item_1a2b');
    const m2 = c.mark();
    c.send({ type: 'conversation.item.delete', item_id: 'item_1a2b' });
    expect((await c.waitFor('conversation.item.deleted', 2000, m2)).item_id).toBe('item_1a2b');
  });

  it('truncate: rejects 0 before audio, past-the-end, non-audio items; accepts a valid one', async () => {
    const c = await connect();
    // 1) created assistant item (text content) → unsupported_content_type
    c.send({
      type: 'conversation.item.create',
      item: { id: 'item_txt', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'replayed' }] },
    });
    await c.waitFor('conversation.item.done');
    let m = c.mark();
    c.send({ type: 'conversation.item.truncate', event_id: 'tr_1', item_id: 'item_txt', content_index: 0, audio_end_ms: 500 });
    const e1 = await c.waitFor('error', 2000, m);
    expect(e1.error).toEqual({
      type: 'invalid_request_error',
      code: 'unsupported_content_type',
      message: 'Only model output audio messages can be truncated',
      param: null,
      event_id: 'tr_1',
    });
    // 2) assistant audio item before its first delta, audio_end_ms 0 → same error
    const slow = await startSimulator({ audioPace: 1 }); // 600 ms to first audio
    const c2 = await SimClient.connect(`${slow.baseUrl}/realtime?model=gpt-realtime`);
    try {
      c2.send({ type: 'response.create' });
      const part = await c2.waitFor('response.content_part.added', 3000);
      c2.send({ type: 'conversation.item.truncate', event_id: 'tr_0', item_id: part.item_id, content_index: 0, audio_end_ms: 0 });
      const e0 = await c2.waitFor('error', 2000);
      expect(c2.of('response.output_audio.delta')).toHaveLength(0);
      expect(e0.error).toMatchObject({ code: 'unsupported_content_type', message: 'Only model output audio messages can be truncated', event_id: 'tr_0' });
    } finally {
      c2.close();
      await slow.close();
    }
    // 3) a finished audio reply: past the end → "Audio content of Xms is already shorter than Yms"; valid → truncated
    m = c.mark();
    c.send({ type: 'response.create' });
    const done = await c.waitFor('response.done', 5000, m);
    const item = (done.response as any).output[0];
    const bytes = c.events
      .slice(m)
      .filter((e) => e.type === 'response.output_audio.delta')
      .reduce((n, e) => n + Buffer.from(e.delta as string, 'base64').length, 0);
    const ms = Math.round(bytes / 48);
    m = c.mark();
    c.send({ type: 'conversation.item.truncate', event_id: 'tr_far', item_id: item.id, content_index: 0, audio_end_ms: ms + 5000 });
    const e3 = await c.waitFor('error', 2000, m);
    expect(e3.error).toMatchObject({ code: 'invalid_value', message: `Audio content of ${ms}ms is already shorter than ${ms + 5000}ms`, event_id: 'tr_far' });
    m = c.mark();
    c.send({ type: 'conversation.item.truncate', item_id: item.id, content_index: 0, audio_end_ms: 700 });
    const t = await c.waitFor('conversation.item.truncated', 2000, m);
    expect(t).toMatchObject({ item_id: item.id, content_index: 0, audio_end_ms: 700 });
    // 4) audio_end_ms as the API types it: null (agents-js avatars < 1.4.7 sent NaN, serialised as null) →
    // invalid_type; absent → missing_required_parameter; negative → integer_below_min_value. Nothing truncated.
    const bad = [
      [{ audio_end_ms: null }, 'invalid_type', "Invalid type for 'audio_end_ms': expected an integer, but got null instead."],
      [{}, 'missing_required_parameter', "Missing required parameter: 'audio_end_ms'."],
      [{ audio_end_ms: 12.5 }, 'invalid_type', "Invalid type for 'audio_end_ms': expected an integer, but got a decimal number instead."],
      [{ audio_end_ms: -5 }, 'integer_below_min_value', "Invalid 'audio_end_ms': integer below minimum value. Expected a value >= 0, but got -5 instead."],
    ] as const;
    for (const [field, code, message] of bad) {
      m = c.mark();
      c.send({ type: 'conversation.item.truncate', event_id: `tr_${code}`, item_id: item.id, content_index: 0, ...field });
      expect((await c.waitFor('error', 2000, m)).error).toMatchObject({
        type: 'invalid_request_error',
        code,
        message,
        param: 'audio_end_ms',
        event_id: `tr_${code}`,
      });
    }
    expect(c.events.slice(m).some((e) => e.type === 'conversation.item.truncated')).toBe(false);
    // 5) unknown item → error
    m = c.mark();
    c.send({ type: 'conversation.item.truncate', item_id: 'item_nope', content_index: 0, audio_end_ms: 10 });
    expect((await c.waitFor('error', 2000, m)).error).toMatchObject({ param: 'item_id' });
  });
});

describe('simulator: input audio buffer', () => {
  it('rejects a commit under 100 ms; commits otherwise; clears', async () => {
    const c = await connect();
    c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
    await c.waitFor('session.updated');
    c.send({ type: 'input_audio_buffer.commit', event_id: 'commit_0' });
    const e = await c.waitFor('error');
    expect(e.error).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
      message: 'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has 0.00ms of audio.',
      event_id: 'commit_0',
    });
    const m0 = c.mark();
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(2400).toString('base64') }); // 50 ms
    c.send({ type: 'input_audio_buffer.commit' });
    expect(((await c.waitFor('error', 2000, m0)).error as any).message).toContain('buffer only has 50.00ms of audio.');
    const m = c.mark();
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(4800).toString('base64') }); // +100 ms
    c.send({ type: 'input_audio_buffer.commit' });
    const committed = await c.waitFor('input_audio_buffer.committed', 2000, m);
    const added = await c.waitFor('conversation.item.added', 2000, m);
    expect((added.item as any).id).toBe(committed.item_id);
    expect((added.item as any).content).toEqual([{ type: 'input_audio', transcript: null }]);
    const m2 = c.mark();
    c.send({ type: 'input_audio_buffer.clear' });
    await c.waitFor('input_audio_buffer.cleared', 2000, m2);
  });
});

describe('simulator: HTTP and upgrade', () => {
  it('404 on other paths, 401 without a key, missing/invalid model close 4000', async () => {
    const r404 = await SimClient.refusal(`${sim.baseUrl}/chat?model=gpt-realtime`);
    expect(r404.status).toBe(404);
    const r401 = await SimClient.refusal(`${sim.baseUrl}/realtime?model=gpt-realtime`, { apiKey: null });
    expect(r401.status).toBe(401);
    expect(JSON.parse(r401.body).error.message).toMatch(/You didn't provide an API key/);
    const azure = await SimClient.connect(`ws://127.0.0.1:${sim.port}/openai/v1/realtime?model=gpt-realtime`, { apiKey: null, headers: { 'api-key': 'k' } });
    await azure.waitFor('session.created');
    azure.close();
    const noModel = await SimClient.connect(`${sim.baseUrl}/realtime`);
    const closed = await noModel.closed;
    expect(closed.code).toBe(4000);
    expect(closed.reason).toBe('invalid_request_error.missing_model');
    expect((noModel.of('error')[0]!.error as any).code).toBe('missing_model');
    const bad = await SimClient.connect(`${sim.baseUrl}/realtime?model=gpt-4o`);
    expect((await bad.closed).code).toBe(4000);
    expect((bad.of('error')[0]!.error as RealtimeEvent).code).toBe('invalid_model');
  });
});
