import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClient } from '../../src/simulator/client.js';
import { SCENARIOS, SimulatorUsageError, parseScenarios, startSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/index.js';

let sim: Simulator;
const clients: SimClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ audioPace: 20 });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sim.close();
});

async function connectTo(base: string, opts: { apiKey?: string; headers?: Record<string, string> } = {}): Promise<SimClient> {
  const c = await SimClient.connect(`${base}/realtime?model=gpt-realtime`, opts);
  clients.push(c);
  return c;
}

async function reply(c: SimClient, md = { client_event_id: 'rc_1' }) {
  c.send({ type: 'response.create', event_id: 'rc_1', response: { metadata: md } });
  const done = await c.waitFor('response.done', 8000);
  return { created: c.of('response.created')[0]!.response as any, done: done.response as any };
}

describe('scenario parsing', () => {
  it('parses names and =MS params; rejects unknown names and bad params with a usage error', () => {
    expect(parseScenarios(['delay-created=12000', 'drop-metadata'])).toEqual([{ name: 'delay-created', ms: 12000 }, { name: 'drop-metadata' }]);
    for (const bad of ['nope', 'delay-created', 'delay-created=abc', 'drop-metadata=1']) {
      let err: unknown;
      try {
        parseScenarios([bad]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SimulatorUsageError);
      expect((err as SimulatorUsageError).hint).toContain('upgrade-401');
    }
    expect(SCENARIOS.map((s) => s.name)).toEqual([
      'upgrade-401',
      'upgrade-403',
      'upgrade-404',
      'upgrade-429',
      'invalid-api-key',
      'beta-disabled',
      'expire-after',
      'expire-after-reply',
      'delay-created',
      'reply-audio',
      'drop-metadata',
      'fail-model-not-found',
      'fail-insufficient-quota',
      'fail-rate-limit',
      'incomplete',
      'text-only',
      'reject-session-update',
      'drop-mid-response',
      'preamble',
      'live-close-expired',
      'live-close-content',
      'live-close-connection-lost',
      'live-expire-after',
      'live-forbidden-voice',
      'live-early-continuation',
      'live-deadlock',
      'live-upgrade-401',
      'azure-redirect',
      'azure-operation-not-supported',
      'azure-preview-retired',
      'azure-server-error',
    ]);
  });

  it('urlFor builds the per-connection path prefix; an unknown scenario in a URL is refused with 400', async () => {
    expect(sim.urlFor(['delay-created=12000', 'drop-metadata'])).toBe(`http://127.0.0.1:${sim.port}/scenario/delay-created=12000+drop-metadata/v1`);
    expect(() => sim.urlFor(['bogus'])).toThrow(SimulatorUsageError);
    const r = await SimClient.refusal(`http://127.0.0.1:${sim.port}/scenario/bogus/v1/realtime?model=gpt-realtime`);
    expect(r.status).toBe(400);
    expect(r.body).toContain("Unknown simulator scenario 'bogus'");
  });
});

describe('upgrade faults', () => {
  for (const [name, status, code] of [
    ['upgrade-401', 401, 'invalid_api_key'],
    ['upgrade-403', 403, null],
    ['upgrade-404', 404, null],
    ['upgrade-429', 429, 'rate_limit_exceeded'],
  ] as const) {
    it(`${name} → HTTP ${status} with an OpenAI-style JSON body`, async () => {
      const r = await SimClient.refusal(`${sim.urlFor([name])}/realtime?model=gpt-realtime`, { apiKey: 'sk-proj-abcdefghijklmnop1234' });
      expect(r.status).toBe(status);
      const body = JSON.parse(r.body);
      expect(body.error.code).toBe(code);
      expect(body.error.message).toBeTypeOf('string');
      expect(r.body).not.toContain('abcdefghijklmnop');
      if (status === 429) expect(r.headers['retry-after']).toBeDefined();
      const rec = sim.recording.connections.at(-1)!;
      expect(rec.upgradeStatus).toBe(status);
      expect(rec.scenarios).toEqual([name]);
    });
  }

  it('the lkdiag_scenario query parameter selects scenarios too', async () => {
    const r = await SimClient.refusal(`${sim.baseUrl}/realtime?model=gpt-realtime&lkdiag_scenario=upgrade-403`);
    expect(r.status).toBe(403);
  });
});

describe('socket faults', () => {
  it('invalid-api-key: 101, error with the key masked to its last 4 chars, close 3000', async () => {
    const c = await connectTo(sim.urlFor(['invalid-api-key']), { apiKey: 'sk-proj-SECRETSECRETSECRET9xYz' });
    const closed = await c.closed;
    expect(closed).toEqual({ code: 3000, reason: 'invalid_request_error.invalid_api_key' });
    expect(c.events.map((e) => e.type)).toEqual(['error']);
    const err = c.events[0]!.error as any;
    expect(err.code).toBe('invalid_api_key');
    expect(err.message).toBe('Incorrect API key provided: sk-proj-…9xYz. You can find your API key at https://platform.openai.com/account/api-keys.');
    expect(JSON.stringify(sim.recording.toJSON())).not.toContain('SECRET');
  });

  it('beta-disabled: only with an OpenAI-Beta header → error + close 4000', async () => {
    const ok = await connectTo(sim.urlFor(['beta-disabled']));
    await ok.waitFor('session.created');
    const c = await connectTo(sim.urlFor(['beta-disabled']), { headers: { 'OpenAI-Beta': 'realtime=v1' } });
    expect(await c.closed).toEqual({ code: 4000, reason: 'invalid_request_error.beta_api_shape_disabled' });
    expect((c.events[0]!.error as any).code).toBe('beta_api_shape_disabled');
  });

  it('expire-after=MS: close 1001 with the 60-minute reason', async () => {
    const t0 = Date.now();
    const c = await connectTo(sim.urlFor(['expire-after=150']));
    await c.waitFor('session.created');
    expect(await c.closed).toEqual({ code: 1001, reason: 'Your session hit the maximum duration of 60 minutes.' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });
});

describe('expire-after-reply', () => {
  it('closes 1001 right after the first completed audio reply; a replayed assistant item then cannot be truncated', async () => {
    const c = await connectTo(sim.urlFor(['expire-after-reply']));
    await c.waitFor('session.created');
    const { done } = await reply(c);
    expect(done.status).toBe('completed');
    expect(await c.closed).toEqual({ code: 1001, reason: 'Your session hit the maximum duration of 60 minutes.' });
    // The last event before the close is that response.done (plus nothing after it).
    expect(c.events.at(-1)!.type).toBe('response.done');

    // What a LiveKit agent does next: reconnect, replay the reply as a text item, truncate it.
    const again = await connectTo(sim.baseUrl);
    await again.waitFor('session.created');
    const id = done.output[0].id as string;
    again.send({
      type: 'conversation.item.create',
      event_id: 'cc_1',
      previous_item_id: 'root',
      item: { id, type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello!' }] },
    });
    await again.waitFor('conversation.item.added');
    again.send({ type: 'conversation.item.truncate', item_id: id, content_index: 0, audio_end_ms: 1200 });
    const err = await again.waitFor('error');
    expect(err.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'unsupported_content_type',
      message: 'Only model output audio messages can be truncated',
    });
  });

  it('a cancelled reply does not end the session', async () => {
    const c = await connectTo(sim.urlFor(['expire-after-reply', 'delay-created=200']));
    await c.waitFor('session.created');
    c.send({ type: 'response.create', event_id: 'rc_1' });
    c.send({ type: 'response.cancel' });
    const done = await c.waitFor('response.done', 3000);
    expect((done.response as any).status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 150));
    expect(c.of('error')).toHaveLength(0);
    const from = c.events.length;
    c.send({ type: 'response.create', event_id: 'rc_2' });
    const second = await c.waitFor('response.done', 8000, from);
    expect((second.response as any).status).toBe('completed');
    expect((await c.closed).code).toBe(1001);
  });
});

describe('reply-audio=MS', () => {
  it('every audio reply carries MS ms of audio (24 kHz PCM16)', async () => {
    const c = await connectTo(sim.urlFor(['reply-audio=900']));
    await c.waitFor('session.created');
    await reply(c);
    const bytes = c.of('response.output_audio.delta').reduce((n, e) => n + Buffer.from(String(e.delta), 'base64').length, 0);
    expect(bytes / 2 / 24).toBe(900);
  });
});

describe('response faults', () => {
  it('delay-created=MS holds response.created; the response is active from response.create', async () => {
    const c = await connectTo(sim.urlFor(['delay-created=400']));
    const t0 = Date.now();
    c.send({ type: 'response.create', event_id: 'rc_a', response: { metadata: { client_event_id: 'rc_a' } } });
    c.send({ type: 'response.create', event_id: 'rc_b' });
    const err = await c.waitFor('error');
    expect(err.error).toMatchObject({ code: 'conversation_already_has_active_response', event_id: 'rc_b' });
    expect(c.of('response.created')).toHaveLength(0);
    const created = await c.waitFor('response.created', 3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
    expect((created.response as any).metadata).toEqual({ client_event_id: 'rc_a' });
    // LiveKit cancels a late response by id once it shows up
    c.send({ type: 'response.cancel', response_id: (created.response as any).id });
    const done = await c.waitFor('response.done', 3000);
    expect((done.response as any).status_details).toEqual({ type: 'cancelled', reason: 'client_cancelled' });
  });

  it('delay-created: a cancel during the hold ends it at once (created, then done cancelled)', async () => {
    const c = await connectTo(sim.urlFor(['delay-created=5000']));
    c.send({ type: 'response.create' });
    await new Promise((r) => setTimeout(r, 50));
    c.send({ type: 'response.cancel' });
    const done = await c.waitFor('response.done', 1000);
    expect(c.types(1)).toEqual(['response.created', 'response.done']);
    expect((done.response as any).status).toBe('cancelled');
  });

  it('drop-metadata: metadata null on created and done', async () => {
    const c = await connectTo(sim.urlFor(['drop-metadata']));
    const { created, done } = await reply(c);
    expect(created.metadata).toBeNull();
    expect(done.metadata).toBeNull();
    expect(done.status).toBe('completed');
  });

  for (const [name, code] of [
    ['fail-model-not-found', 'model_not_found'],
    ['fail-insufficient-quota', 'insufficient_quota'],
    ['fail-rate-limit', 'rate_limit_exceeded'],
  ] as const) {
    it(`${name}: response.created then response.done failed with ${code}`, async () => {
      const c = await connectTo(sim.urlFor([name]));
      const { done } = await reply(c);
      expect(c.types(1)).toEqual(['response.created', 'response.done']);
      expect(done.status).toBe('failed');
      expect(done.status_details.type).toBe('failed');
      expect(done.status_details.error.code).toBe(code);
      expect(done.status_details.error.type).toBeTypeOf('string');
      expect(done.status_details.error.message).toBeTypeOf('string');
      expect(done.metadata).toEqual({ client_event_id: 'rc_1' });
    });
  }

  it('incomplete: partial audio then response.done incomplete / max_output_tokens', async () => {
    const c = await connectTo(sim.urlFor(['incomplete']));
    const { done } = await reply(c);
    expect(done.status).toBe('incomplete');
    expect(done.status_details).toEqual({ type: 'incomplete', reason: 'max_output_tokens' });
    const ms = c.of('response.output_audio.delta').reduce((n, e) => n + Buffer.from(e.delta as string, 'base64').length, 0) / 48;
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(1500);
    expect(done.output[0].status).toBe('incomplete');
  });

  it('preamble: two message items in one response (output_index 0 and 1), in the GA order, both in response.done', async () => {
    const c = await connectTo(sim.urlFor(['preamble']));
    const { done } = await reply(c);
    expect(done.status).toBe('completed');
    expect(done.output.map((o: any) => [o.type, o.role, o.status])).toEqual([
      ['message', 'assistant', 'completed'],
      ['message', 'assistant', 'completed'],
    ]);
    const added = c.of('response.output_item.added');
    expect(added.map((e) => e.output_index)).toEqual([0, 1]);
    // The first item is over (output_item.done) before the second is added.
    const order = c.events.map((e) => `${e.type}:${e.output_index ?? ''}`);
    expect(order.indexOf('response.output_item.done:0')).toBeLessThan(order.indexOf('response.output_item.added:1'));
    const transcripts = c.of('response.output_audio_transcript.done');
    expect(transcripts.map((e) => e.output_index)).toEqual([0, 1]);
    expect(transcripts[0]!.transcript).toBe('One moment, let me check that. ');
    expect(String(transcripts[1]!.transcript).length).toBeGreaterThan(0);
    // Audio deltas of both items, each tagged with its own item id.
    const ids = new Set(c.of('response.output_audio.delta').map((e) => e.item_id));
    expect(ids).toEqual(new Set(done.output.map((o: any) => o.id)));
    expect(done.usage.output_token_details.audio_tokens).toBeGreaterThan(0);
  });

  it('preamble: a cancel during the preamble ends the response without the second item', async () => {
    const c = await connectTo(sim.urlFor(['preamble']));
    c.send({ type: 'response.create', event_id: 'rc_p', response: { metadata: { client_event_id: 'rc_p' } } });
    await c.waitFor('response.output_audio.delta', 8000);
    c.send({ type: 'response.cancel' });
    const done = (await c.waitFor('response.done', 8000)).response as any;
    expect(done.status).toBe('cancelled');
    expect(done.output).toHaveLength(1);
    expect(c.of('response.output_item.added').map((e) => e.output_index)).toEqual([0]);
  });

  it('text-only: text parts even though the session is audio', async () => {
    const c = await connectTo(sim.urlFor(['text-only']));
    const { created, done } = await reply(c);
    expect(created.output_modalities).toEqual(['audio']);
    expect((c.of('response.content_part.added')[0]!.part as any).type).toBe('text');
    expect(c.of('response.output_audio.delta')).toHaveLength(0);
    expect(c.of('response.output_text.delta').length).toBeGreaterThan(0);
    expect(done.usage.output_token_details.audio_tokens).toBe(0);
  });

  it('reject-session-update: every update → unknown_parameter, nothing changes', async () => {
    const c = await connectTo(sim.urlFor(['reject-session-update']));
    c.send({ type: 'session.update', event_id: 'su_1', session: { type: 'realtime', instructions: 'X' } });
    const e = await c.waitFor('error');
    expect(e.error).toMatchObject({ code: 'unknown_parameter', message: "Unknown parameter: 'session.instructions'.", event_id: 'su_1' });
    expect(c.of('session.updated')).toHaveLength(0);
  });

  it('defaults combine with per-connection scenarios', async () => {
    const s2 = await startSimulator({ audioPace: 50, scenarios: ['drop-metadata'] });
    try {
      const c = await SimClient.connect(`${s2.urlFor(['fail-rate-limit'])}/realtime?model=gpt-realtime`);
      const { done } = await reply(c);
      expect(done.metadata).toBeNull();
      expect(done.status_details.error.code).toBe('rate_limit_exceeded');
      expect(s2.recording.connections[0]!.scenarios).toEqual(['drop-metadata', 'fail-rate-limit']);
      c.close();
    } finally {
      await s2.close();
    }
  });
});
