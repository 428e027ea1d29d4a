/** The simulator's Azure OpenAI shapes: both URL shapes, the api-key header, and the azure-* scenarios. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClient } from '../../src/simulator/client.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/index.js';

let sim: Simulator;
const clients: SimClient[] = [];
const origin = () => sim.baseUrl.replace(/\/v1$/, '');
const AZ_KEY = { apiKey: null, headers: { 'api-key': '0123456789abcdef0123456789abcdef' } } as const;

beforeAll(async () => {
  sim = await startSimulator({ audioPace: 20 });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sim.close();
});

async function open(url: string): Promise<SimClient> {
  const c = await SimClient.connect(url, AZ_KEY);
  clients.push(c);
  return c;
}

describe('Azure paths with the api-key header', () => {
  it.each([
    ['GA v1', '/openai/v1/realtime?model=my-realtime'],
    ['legacy', '/openai/realtime?api-version=2024-10-01-preview&deployment=my-realtime'],
  ])('%s %s: a session, model = the deployment', async (_shape, path) => {
    const c = await open(`${origin()}${path}`);
    const created = await c.waitFor('session.created', 5000);
    expect((created.session as { model?: string }).model).toBe('my-realtime');
    expect(sim.recording.connections.at(-1)!.model).toBe('my-realtime');
  });
});

describe('azure-* scenarios', () => {
  it('azure-operation-not-supported → HTTP 400 OperationNotSupported naming the deployment', async () => {
    const r = await SimClient.refusal(`${sim.urlFor(['azure-operation-not-supported']).replace(/\/v1$/, '')}/openai/v1/realtime?model=gpt-4o-mini`, AZ_KEY);
    expect(r.status).toBe(400);
    const body = JSON.parse(r.body);
    expect(body.error.code).toBe('OperationNotSupported');
    expect(body.error.message).toMatch(/^The realtime operation does not work with the specified model, gpt-4o-mini\. Please choose different model/);
  });

  it('azure-redirect: any path but /openai/v1/realtime → 301 to a page that answers 200 (not a WebSocket)', async () => {
    const base = sim.urlFor(['azure-redirect']).replace(/\/v1$/, '');
    const r = await SimClient.refusal(`${base}/openai/realtime?api-version=2024-10-01-preview&deployment=d`, AZ_KEY);
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/openai/realtime-preview-migration');
    const followed = await SimClient.refusal(`${origin()}${r.headers.location}`, AZ_KEY);
    expect(followed.status).toBe(200);
    expect(followed.headers['content-type']).toBe('text/html');
    // the GA path is served
    const c = await open(`${base}/openai/v1/realtime?model=d`);
    await c.waitFor('session.created', 5000);
  });

  it('azure-preview-retired: an api-version → 404 Resource not found; the GA path still works', async () => {
    const base = sim.urlFor(['azure-preview-retired']).replace(/\/v1$/, '');
    const r = await SimClient.refusal(`${base}/openai/realtime?api-version=2025-04-01-preview&deployment=d`, AZ_KEY);
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toEqual({ error: { code: '404', message: 'Resource not found' } });
    const c = await open(`${base}/openai/v1/realtime?model=d`);
    await c.waitFor('session.created', 5000);
  });

  it('azure-server-error: every response.done failed, server_error, code null, the Azure message', async () => {
    const base = sim.urlFor(['azure-server-error']).replace(/\/v1$/, '');
    const c = await open(`${base}/openai/v1/realtime?model=d`);
    await c.waitFor('session.created', 5000);
    for (const id of ['rc_1', 'rc_2']) {
      const from = c.mark();
      c.send({ type: 'response.create', event_id: id, response: {} });
      const done = (await c.waitFor('response.done', 8000, from)).response as {
        status: string;
        status_details: { error: { type: string; code: unknown; message: string } };
      };
      expect(done.status).toBe('failed');
      expect(done.status_details.error.type).toBe('server_error');
      expect(done.status_details.error.code).toBeNull();
      expect(done.status_details.error.message).toContain('aoai-realtimeapi-dri@microsoft.com');
    }
    expect(c.of('response.done')).toHaveLength(2);
  });
});

describe('xAI dialect (livekit-plugins-xai realtime_model.py 206–231)', () => {
  it('grok-voice-* on /v1/realtime: voice and turn_detection at the top of the session are accepted and applied', async () => {
    const c = await SimClient.connect(`${sim.baseUrl}/realtime?model=grok-voice-latest`, { apiKey: 'xai-test' });
    clients.push(c);
    await c.waitFor('session.created', 5000);
    c.send({
      type: 'session.update',
      event_id: 'su_1',
      session: {
        type: 'realtime',
        voice: 'Ara',
        turn_detection: {
          type: 'server_vad',
          threshold: 0.5,
          prefix_padding_ms: 300,
          silence_duration_ms: 200,
          create_response: true,
          interrupt_response: true,
        },
        audio: { input: { format: { type: 'audio/pcm', rate: 24000 } } },
      },
    });
    const updated = (await c.waitFor('session.updated', 5000)).session as {
      audio: { output: { voice: string }; input: { turn_detection: { silence_duration_ms: number } } };
    };
    expect(updated.audio.output.voice).toBe('Ara');
    expect(updated.audio.input.turn_detection.silence_duration_ms).toBe(200);
    expect(c.of('error')).toEqual([]);
  });

  it('the same top-level voice on an OpenAI model is rejected, as api.openai.com does (unknown_parameter)', async () => {
    const c = await SimClient.connect(`${sim.baseUrl}/realtime?model=gpt-realtime`, { apiKey: 'sk-test' });
    clients.push(c);
    await c.waitFor('session.created', 5000);
    c.send({ type: 'session.update', event_id: 'su_2', session: { type: 'realtime', voice: 'Ara' } });
    const err = (await c.waitFor('error', 5000)).error as { code: string; param: string };
    expect([err.code, err.param]).toEqual(['unknown_parameter', 'session.voice']);
  });
});
