// The GPT-Live simulator (src/simulator/live/) as a client sees it: event order and fields as livekit-agents
// 1.8.9's GPTLiveSession reads them (gpt_live.py / gpt_live_types.py), and each live-* scenario.
import { afterEach, describe, expect, it } from 'vitest';
import { concatPcm16, pcm16ToBase64, silence, synthSpeechLike } from '../../src/audio/pcm.js';
import { SimClient } from '../../src/simulator/client.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';

let sim: Simulator | undefined;
const clients: SimClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await sim?.close();
  sim = undefined;
});

const TOOL = { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

async function open(scenarios: string[] = [], path = '/v1/live/sessions'): Promise<SimClient> {
  sim ??= await startSimulator({ audioPace: 20 });
  const origin = sim.urlFor(scenarios).replace(/\/v1$/, '');
  const c = await SimClient.connect(`${origin}${path}`);
  clients.push(c);
  return c;
}

function start(c: SimClient, session: Record<string, unknown> = {}): void {
  c.send({
    type: 'session.start',
    event_id: 'start_1',
    session: { model: 'gpt-live-1', audio: { format: { type: 'audio/pcm', rate: 24000 }, output: { voice: 'marin' } }, ...session },
  });
}

/** 1.2 s of speech-like audio then 1 s of silence, in 100 ms appends (what push_audio sends). */
function sendTurn(c: SimClient): void {
  const pcm = concatPcm16(synthSpeechLike(1200, 24000, 3), silence(1000, 24000));
  for (let i = 0; i < pcm.length; i += 2400) c.send({ type: 'session.input_audio.append', audio: pcm16ToBase64(pcm.subarray(i, i + 2400)) });
}

describe('GPT-Live simulator', () => {
  it('session.start → session.started; a turn gets input and output transcripts with start_ms/end_ms, audio and usage; close → closed{close_requested}', async () => {
    const c = await open();
    start(c);
    const started = await c.waitFor('session.started');
    expect(typeof (started.session as { id: string }).id).toBe('string');
    sendTurn(c);
    const input = await c.waitFor('session.input_transcript.delta');
    expect(input.start_ms).toBeGreaterThanOrEqual(0);
    expect(Number(input.end_ms)).toBeGreaterThan(Number(input.start_ms));
    await c.waitFor('session.output_audio.delta');
    const out = await c.waitFor('session.output_transcript.delta');
    expect(Number(out.start_ms)).toBeGreaterThanOrEqual(Number(input.end_ms));
    await c.waitFor('session.usage.updated', 5000);
    c.send({ type: 'session.close' });
    const closed = await c.waitFor('session.closed');
    expect(closed.reason).toBe('close_requested');
    expect((closed.usage as { seconds: number }).seconds).toBeGreaterThan(0);
    expect((await c.closed).code).toBe(1000);
  });

  it('serves Azure’s v1 path; anything before session.start is an error', async () => {
    const c = await open([], '/openai/v1/live/sessions');
    c.send({ type: 'session.input_audio.append', audio: '' });
    const err = await c.waitFor('error');
    expect((err.error as { code: string }).code).toBe('session_not_started');
    start(c);
    await c.waitFor('session.started');
  });

  it('mute/unmute and the appends are acknowledged with their client_event_id', async () => {
    const c = await open();
    start(c);
    await c.waitFor('session.started');
    c.send({ type: 'session.input_audio.mute', event_id: 'mute_1' });
    c.send({ type: 'session.commentary.append', event_id: 'append_1', delegation_id: null, content: 'Greet the caller.' });
    expect((await c.waitFor('session.input_audio.muted')).client_event_id).toBe('mute_1');
    expect((await c.waitFor('session.commentary.appended')).client_event_id).toBe('append_1');
    await c.waitFor('session.output_transcript.delta'); // the ask is spoken
  });

  it('responses delegation: delegation.created, response.event created → reasoning → function_call → completed; outputs + response.create continue', async () => {
    const c = await open();
    start(c, { delegation: { type: 'responses', responses: { model: 'gpt-5.6-luna', tools: [TOOL] } } });
    await c.waitFor('session.started');
    sendTurn(c);
    const created = await c.waitFor('session.delegation.created');
    const d = created.delegation as { id: string; target: string };
    expect(d.target).toBe('responses');
    const call = await c.waitFor((e) => e.type === 'response.event' && (e.event as { item?: { type: string } }).item?.type === 'function_call');
    expect(call.delegation_id).toBe(d.id);
    const item = (call.event as { item: { call_id: string; arguments: string; status: string; name: string } }).item;
    expect([item.name, item.status, JSON.parse(item.arguments)]).toEqual(['get_weather', 'completed', { city: 'lkdiag' }]);
    await c.waitFor((e) => e.type === 'response.event' && (e.event as { type: string }).type === 'response.completed');
    const mark = c.mark();
    c.send({ type: 'response.item.create', item: { type: 'function_call_output', call_id: item.call_id, output: 'sunny' } });
    c.send({ type: 'response.create', event_id: 'rc_1' });
    await c.waitFor((e) => e.type === 'response.event' && (e.event as { type: string }).type === 'response.created', 5000, mark);
    await c.waitFor((e) => e.type === 'session.output_transcript.delta' && String(e.delta).includes('sunny'), 8000, mark);
  });

  it('response.create while a call is open: refused with function_call_outputs_required naming the call (live-early-continuation)', async () => {
    const c = await open(['live-early-continuation']);
    start(c, { delegation: { type: 'responses', responses: { tools: [TOOL] } } });
    await c.waitFor('session.started');
    sendTurn(c);
    await c.waitFor((e) => e.type === 'response.event' && (e.event as { type: string }).type === 'response.completed');
    const calls = c.of('response.event').filter((e) => (e.event as { item?: { type: string } }).item?.type === 'function_call');
    expect(calls).toHaveLength(2); // the second response's call arrives with the first's completion
    const first = (calls[0]!.event as { item: { call_id: string } }).item.call_id;
    const second = (calls[1]!.event as { item: { call_id: string } }).item.call_id;
    c.send({ type: 'response.item.create', item: { type: 'function_call_output', call_id: first, output: 'ok' } });
    c.send({ type: 'response.create', event_id: 'rc_early' });
    const err = (await c.waitFor('error')).error as { code: string; message: string; client_event_id: string };
    expect([err.code, err.client_event_id]).toEqual(['function_call_outputs_required', 'rc_early']);
    expect(err.message).toContain(second);
  });

  it('live-deadlock: the early response.create gets nothing, and nothing more comes from the backend', async () => {
    const c = await open(['live-deadlock']);
    start(c, { delegation: { type: 'responses', responses: { tools: [TOOL] } } });
    await c.waitFor('session.started');
    sendTurn(c);
    await c.waitFor((e) => e.type === 'response.event' && (e.event as { type: string }).type === 'response.completed');
    const first = (
      c.of('response.event').find((e) => (e.event as { item?: { type: string } }).item?.type === 'function_call')!.event as { item: { call_id: string } }
    ).item.call_id;
    c.send({ type: 'response.item.create', item: { type: 'function_call_output', call_id: first, output: 'ok' } });
    c.send({ type: 'response.create' });
    const mark = c.mark();
    // 300 ms of backend time at pace 20 is 15 ms; 400 ms of wall time is ample for any answer to have come
    await new Promise((r) => setTimeout(r, 400));
    expect(c.types(mark).filter((t) => t === 'response.event' || t === 'error')).toEqual([]);
  });

  it.each([
    ['live-close-expired', 'expired'],
    ['live-close-content', 'content'],
    ['live-close-connection-lost', 'connection_lost'],
  ])('%s: session.closed{%s} after the first reply, then a normal close', async (scenario, reason) => {
    const c = await open([scenario]);
    start(c);
    await c.waitFor('session.started');
    sendTurn(c);
    const closed = await c.waitFor('session.closed', 8000);
    expect(closed.reason).toBe(reason);
    expect(c.of('session.output_transcript.delta').length).toBeGreaterThan(0);
    expect((await c.closed).code).toBe(1000);
  });

  it('live-expire-after=MS: session.closed{expired} MS after session.started (±150 ms)', async () => {
    const c = await open(['live-expire-after=300']);
    const t0 = Date.now();
    start(c);
    await c.waitFor('session.started');
    await c.waitFor('session.closed');
    expect(c.of('session.closed')[0]!.reason).toBe('expired');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('a forbidden voice (nova; any voice under live-forbidden-voice) is an error code forbidden and no session.started', async () => {
    for (const [scenarios, voice] of [
      [[], 'nova'],
      [['live-forbidden-voice'], 'marin'],
    ] as const) {
      const c = await open([...scenarios]);
      start(c, { audio: { output: { voice } } });
      const err = (await c.waitFor('error')).error as { code: string; param: string };
      expect([err.code, err.param]).toEqual(['forbidden', 'session.audio.output.voice']);
      expect(c.of('session.started')).toEqual([]);
    }
  });

  it('live-upgrade-401 and a missing key refuse the upgrade with HTTP 401', async () => {
    sim = await startSimulator({ audioPace: 20 });
    const origin = sim.urlFor(['live-upgrade-401']).replace(/\/v1$/, '');
    const r = await SimClient.refusal(`${origin}/v1/live/sessions`);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).error.code).toBe('invalid_api_key');
    const noKey = await SimClient.refusal(`${sim.baseUrl}/live/sessions`, { apiKey: null });
    expect(noKey.status).toBe(401);
  });
});
