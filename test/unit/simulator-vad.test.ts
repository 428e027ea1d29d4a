import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatPcm16, pcm16ToBase64, silence, synthSpeechLike } from '../../src/audio/pcm.js';
import { SimClient } from '../../src/simulator/client.js';
import { TranscriptOracle, startSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/index.js';
import { EnergyVad, vadParams } from '../../src/simulator/vad.js';

const SR = 24000;
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/audio');
const speechA = synthSpeechLike(1200, SR, 11);
const speechB = synthSpeechLike(1500, SR, 42);

let sim: Simulator;
const clients: SimClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    audioPace: 10,
    transcripts: [
      { text: 'alpha words', pcm24k: speechA },
      { text: 'beta words', pcm24k: speechB },
    ],
  });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sim.close();
});

/** Appends PCM as 100 ms chunks, like LiveKit. */
function appendAll(c: SimClient, pcm: Int16Array): void {
  for (let i = 0; i < pcm.length; i += 2400) c.send({ type: 'input_audio_buffer.append', audio: pcm16ToBase64(pcm.subarray(i, i + 2400)) });
}

async function connect(session?: Record<string, unknown>): Promise<SimClient> {
  const c = await SimClient.connect(`${sim.baseUrl}/realtime?model=gpt-realtime`, { apiKey: 'sk-secret-value-123456' });
  clients.push(c);
  await c.waitFor('session.created');
  if (session) {
    c.send({ type: 'session.update', session: { type: 'realtime', ...session } });
    await c.waitFor('session.updated');
  }
  return c;
}

describe('EnergyVad', () => {
  it('detects start (with prefix padding) and stop (after the silence duration)', () => {
    const vad = new EnergyVad(vadParams({ type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 }));
    const events = vad.push(concatPcm16(silence(1000, SR), speechA, silence(800, SR)));
    expect(events).toHaveLength(2);
    const [start, stop] = events as [any, any];
    expect(start.kind).toBe('start');
    expect(start.onsetMs).toBeGreaterThanOrEqual(1000);
    expect(start.onsetMs).toBeLessThan(1050);
    expect(start.audioStartMs).toBe(start.onsetMs - 300);
    expect(stop.kind).toBe('stop');
    expect(stop.audioEndMs).toBeGreaterThanOrEqual(2200 + 400);
    expect(stop.audioEndMs).toBeLessThanOrEqual(2200 + 520);
  });

  it('ignores low-level noise and short clicks', () => {
    const vad = new EnergyVad(vadParams({ type: 'semantic_vad', eagerness: 'medium' }));
    const noise = Int16Array.from({ length: SR }, (_, i) => ((i * 7919) % 61) - 30); // ~ -60 dBFS
    const click = synthSpeechLike(40, SR, 3);
    expect(vad.push(concatPcm16(noise, click, noise))).toEqual([]);
  });
});

describe('TranscriptOracle', () => {
  it('names the references a segment contains, and only those', () => {
    const o = new TranscriptOracle([
      { text: 'alpha words', pcm24k: speechA },
      { text: 'beta words', pcm24k: speechB },
    ]);
    expect(o.transcribe(concatPcm16(silence(300, SR), speechA, silence(500, SR)))).toBe('alpha words');
    expect(o.transcribe(concatPcm16(speechB, silence(200, SR), speechA))).toBe('beta words alpha words');
    // quieter (gain does not matter) and missing its first 30 %: still recognized
    const tail = speechB.slice(Math.round(speechB.length * 0.3)).map((v) => Math.round(v / 4));
    expect(o.transcribe(concatPcm16(silence(200, SR), tail, silence(300, SR)))).toBe('beta words');
    // only the last 40 %: not enough
    const shortTail = speechB.slice(Math.round(speechB.length * 0.6));
    expect(o.transcribe(concatPcm16(silence(200, SR), shortTail, silence(300, SR)))).toMatch(/^\[unrecognized speech \d+\.\d s\]$/);
    expect(o.transcribe(synthSpeechLike(1300, SR, 99))).toBe('[unrecognized speech 1.3 s]');
  });

  it('on real speech: tells which pre-connect part reached the model, through gain and filtering', () => {
    const load = (name: string) => ({
      text: readFileSync(join(FIXTURES, `${name}.txt`), 'utf8').trim(),
      pcm24k: Int16Array.from(new wavefile.WaveFile(readFileSync(join(FIXTURES, `${name}.wav`))).getSamples(false, Int16Array)),
    });
    const p1 = load('preconnect-part1');
    const p2 = load('preconnect-part2');
    const o = new TranscriptOracle([p1, p2]);
    const muffled = (x: Int16Array) => Int16Array.from(x, (v, i) => Math.round((((x[i - 1] ?? 0) + 2 * v + (x[i + 1] ?? 0)) / 4) * 0.6));
    expect(o.transcribe(concatPcm16(silence(300, SR), p1.pcm24k, p2.pcm24k, silence(500, SR)))).toBe(`${p1.text} ${p2.text}`);
    expect(o.transcribe(concatPcm16(silence(300, SR), muffled(p1.pcm24k), muffled(p2.pcm24k)))).toBe(`${p1.text} ${p2.text}`);
    // the first part lost except its last 30 %: only the second part is heard
    const lost = concatPcm16(silence(300, SR), p1.pcm24k.slice(Math.round(p1.pcm24k.length * 0.7)), p2.pcm24k, silence(500, SR));
    expect(o.transcribe(lost)).toBe(p2.text);
  });
});

describe('server VAD over the socket', () => {
  it('speech → speech_started, speech_stopped, committed, item, transcription, auto response (metadata null)', async () => {
    const c = await connect({
      audio: { input: { transcription: { model: 'gpt-4o-mini-transcribe' }, turn_detection: { type: 'semantic_vad', eagerness: 'medium' } } },
    });
    appendAll(c, concatPcm16(silence(500, SR), speechA, silence(900, SR)));
    const started = await c.waitFor('input_audio_buffer.speech_started');
    const stopped = await c.waitFor('input_audio_buffer.speech_stopped');
    const committed = await c.waitFor('input_audio_buffer.committed');
    expect(started.item_id).toBe(stopped.item_id);
    expect(committed.item_id).toBe(started.item_id);
    expect(started.audio_start_ms as number).toBeGreaterThanOrEqual(190);
    expect(started.audio_start_ms as number).toBeLessThanOrEqual(260);
    expect(stopped.audio_end_ms as number).toBeGreaterThan(1700 + 400);
    const tr = await c.waitFor('conversation.item.input_audio_transcription.completed', 3000);
    expect(tr).toMatchObject({ item_id: committed.item_id, content_index: 0, transcript: 'alpha words' });
    const created = await c.waitFor('response.created', 3000);
    expect((created.response as any).metadata).toBeNull();
    const done = await c.waitFor('response.done', 5000);
    expect((done.response as any).status).toBe('completed');
    const order = c.types().filter((t) => t.startsWith('input_audio_buffer') || t === 'response.created');
    expect(order).toEqual(['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed', 'response.created']);
  });

  it('speech during a response cancels it with turn_detected', async () => {
    const c = await connect();
    c.send({ type: 'response.create' });
    await c.waitFor('response.output_audio.delta', 3000);
    appendAll(c, concatPcm16(silence(100, SR), speechB));
    const done = await c.waitFor('response.done', 3000);
    expect((done.response as any).status_details).toEqual({ type: 'cancelled', reason: 'turn_detected' });
    expect(c.types().indexOf('input_audio_buffer.speech_started')).toBeLessThan(c.types().indexOf('response.done'));
  });

  it('interrupt_response false and create_response false are honoured; turn_detection null disables VAD', async () => {
    const c = await connect({ audio: { input: { turn_detection: { type: 'server_vad', create_response: false, interrupt_response: false } } } });
    c.send({ type: 'response.create' });
    await c.waitFor('response.output_audio.delta', 3000);
    appendAll(c, concatPcm16(speechA, silence(700, SR)));
    await c.waitFor('input_audio_buffer.committed', 3000);
    const done = await c.waitFor('response.done', 5000);
    expect((done.response as any).status).toBe('completed');
    await new Promise((r) => setTimeout(r, 300));
    expect(c.of('response.created')).toHaveLength(1);

    const off = await connect({ audio: { input: { turn_detection: null } } });
    appendAll(off, concatPcm16(speechA, silence(700, SR)));
    await new Promise((r) => setTimeout(r, 300));
    expect(off.types(2)).toEqual([]);
  });
});

describe('recording', () => {
  it('keeps the input audio byte-exact, redacts secrets, and writes events.json + WAV', async () => {
    const s = await startSimulator({ audioPace: 50 });
    try {
      const c = await SimClient.connect(`${s.baseUrl}/realtime?model=gpt-realtime&api-key=qsecret`, { apiKey: 'sk-secret-value-123456' });
      await c.waitFor('session.created');
      c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
      const pcm = concatPcm16(speechA, silence(100, SR));
      appendAll(c, pcm);
      c.send({ type: 'input_audio_buffer.commit', event_id: 'commit_1' });
      await c.waitFor('input_audio_buffer.committed');
      c.close();
      const rec = await s.recording.waitForConnection(1000);
      await s.recording.waitFor(() => rec.closeCode !== null, 2000);
      expect(rec.closeCode).toBe(1005);
      expect(Array.from(rec.inputAudio)).toEqual(Array.from(pcm));
      expect(rec.headers.authorization).toBe('REDACTED');
      expect(rec.path).not.toContain('qsecret');
      const appends = rec.client('input_audio_buffer.append');
      expect(appends).toHaveLength(Math.ceil(pcm.length / 2400));
      expect(appends[0]!.audio).toBe(4800);
      expect(rec.client('input_audio_buffer.commit')[0]!.event_id).toBe('commit_1');
      expect(rec.server('session.created')).toHaveLength(1);
      expect(rec.serverEvents.every((e) => typeof e.t === 'number')).toBe(true);

      const dir = mkdtempSync(join(tmpdir(), 'lkdiag-sim-'));
      const files = await s.recording.writeTo(dir);
      expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['events.json', `input-${rec.id}.wav`]);
      const json = readFileSync(join(dir, 'events.json'), 'utf8');
      expect(json).not.toContain('sk-secret');
      expect(json).not.toContain('qsecret');
      const wav = new wavefile.WaveFile(readFileSync(join(dir, `input-${rec.id}.wav`)));
      expect((wav.fmt as any).sampleRate).toBe(24000);
      expect((wav.fmt as any).numChannels).toBe(1);
      expect(Array.from(wav.getSamples(false, Int16Array))).toEqual(Array.from(pcm));
    } finally {
      await s.close();
    }
  });
});

describe('TranscriptOracle on captured model input (fixtures/audio/captured)', () => {
  const load = (name: string) => Int16Array.from(new wavefile.WaveFile(readFileSync(join(FIXTURES, `${name}.wav`))).getSamples(false, Int16Array));
  const ref = (name: string) => ({ text: readFileSync(join(FIXTURES, `${name}.txt`), 'utf8').trim(), pcm24k: load(name) });
  const p1 = ref('preconnect-part1');
  const p2 = ref('preconnect-part2');
  const o = new TranscriptOracle([p1, p2]);

  it('an utterance split between a short buffer and the live track (gain control adapting) is still its words', () => {
    const seg = load('captured/model-input-short-buffer-after-answer');
    expect(o.match(seg).map((m) => m.text)).toEqual([p1.text]);
    expect(o.match(seg)[0]!.coverage).toBeGreaterThan(0.7);
    expect(o.transcribe(load('captured/model-input-short-buffer-continuous'))).toBe(`${p1.text} ${p2.text}`);
  });

  it('the pieces must follow each other: the same audio reversed in halves, or another utterance, is not recognised', () => {
    const seg = load('captured/model-input-short-buffer-after-answer');
    const half = Math.floor(seg.length / 2);
    const swapped = concatPcm16(seg.subarray(half), seg.subarray(0, half));
    expect(o.match(swapped).map((m) => m.text)).not.toContain(p1.text);
    expect(new TranscriptOracle([p2]).match(seg)).toEqual([]);
    expect(o.transcribe(synthSpeechLike(3500, SR, 7))).toBe('[unrecognized speech 3.5 s]');
  });
});
