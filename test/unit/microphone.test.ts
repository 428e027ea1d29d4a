import { describe, expect, it } from 'vitest';
import { AgentAnswers } from '../../src/sources/agent-answers.js';
import { MIC_FRAME_MS, Microphone, frameBytes, parseLiveMode } from '../../src/sources/microphone.js';
import type { TraceEvent } from '../../src/diagnose/types.js';

const RATE = 24000;
const FRAME = (RATE * MIC_FRAME_MS) / 1000; // 480 samples
const ramp = (n: number) => Int16Array.from({ length: n }, (_, i) => (i % 30000) + 1);

describe('Microphone: the synthetic user speaks at real-time pace and waits between utterances', () => {
  it('hands out the frames due at a time, as views into the WAV (no copies)', () => {
    const pcm = ramp(FRAME * 10);
    const mic = new Microphone(pcm, RATE, 1);
    mic.start(1000);
    expect(mic.due(1000)).toEqual([]);
    const frames = mic.due(1000 + 3 * MIC_FRAME_MS + 5);
    expect(frames).toHaveLength(3);
    expect(frames[1]!.samples.buffer).toBe(pcm.buffer);
    expect(frames[1]!.samples[0]).toBe(pcm[FRAME]);
    expect(mic.clockMs).toBe(60);
    expect(mic.spokenMs).toBe(60);
  });

  it('stops at an utterance boundary and gives silence (one shared frame) until resumed', () => {
    const pcm = ramp(FRAME * 6);
    const mic = new Microphone(pcm, RATE, 1, [FRAME * 2 + 100]);
    const seen: string[] = [];
    mic.start(0);
    const a = mic.due(4 * MIC_FRAME_MS, (e) => seen.push(`${e.kind}@${e.spokenMs}`));
    expect(a.map((f) => f.silent)).toEqual([false, false, false, true]);
    expect(a[2]!.samples.length).toBe(FRAME); // padded at the stop
    expect(a[2]!.samples[99]).toBe(pcm[FRAME * 2 + 99]);
    expect(a[2]!.samples[100]).toBe(0);
    expect(seen).toEqual(['utterance-ended@44']);
    expect(mic.isWaiting).toBe(true);
    const b = mic.due(10 * MIC_FRAME_MS);
    expect(b.every((f) => f.silent)).toBe(true);
    expect(b[0]!.samples).toBe(b[1]!.samples);
    expect(mic.spokenMs).toBe(44); // nothing said while waiting
    mic.resume();
    const c = mic.due(20 * MIC_FRAME_MS, (e) => seen.push(`${e.kind}@${e.spokenMs}`));
    expect(c.filter((f) => !f.silent)).toHaveLength(4); // the rest: 6 frames - 2.2 = 3.8 → 4 frames
    expect(seen.at(-1)).toBe('audio-ended@120');
    expect(mic.finished).toBe(true);
  });

  it('stereo frames hold both channels; boundaries at 0 or past the end are ignored', () => {
    const pcm = ramp(FRAME * 2 * 2);
    const mic = new Microphone(pcm, RATE, 2, [0, FRAME * 5]);
    mic.start(0);
    const f = mic.due(MIC_FRAME_MS);
    expect(f[0]!.samples.length).toBe(FRAME * 2);
    expect(mic.due(3 * MIC_FRAME_MS).map((x) => x.silent)).toEqual([false, true]);
  });

  it('frameBytes is little-endian PCM16 over the same memory', () => {
    const s = Int16Array.from([1, -2, 0x1234]);
    const b = frameBytes(s.subarray(1));
    expect([...b]).toEqual([0xfe, 0xff, 0x34, 0x12]);
    expect(b.buffer).toBe(s.buffer);
  });

  it('parseLiveMode', () => {
    expect(parseLiveMode('after-answer')).toEqual({ kind: 'after-answer' });
    expect(parseLiveMode('continuous')).toEqual({ kind: 'continuous' });
    expect(parseLiveMode('pause:1500')).toEqual({ kind: 'pause', ms: 1500 });
    for (const bad of ['', 'pause', 'pause:-1', 'pause:1e3', 'after', 'pause:1234567']) expect(parseLiveMode(bad), bad).toBeUndefined();
  });
});

describe("AgentAnswers: the agent's turns, one event at a time", () => {
  const state = (t: number, s: string): TraceEvent => ({ t, source: 'room', kind: 'agent.state', data: { identity: 'a', to: s } });

  it('an answer is a speaking period; a waiter gets the first one that began after its time', async () => {
    const a = new AgentAnswers();
    const ac = new AbortController();
    const waiting = a.waitForAnswer(100, 5_000, ac.signal);
    a.observe(state(50, 'speaking'));
    a.observe(state(90, 'listening')); // began before 100: the greeting, not the answer
    a.observe(state(150, 'thinking'));
    expect(a.speakingAfter(100)).toBe(false);
    a.observe(state(200, 'speaking'));
    expect(a.speakingAfter(100)).toBe(true);
    a.observe(state(900, 'listening'));
    expect(await waiting).toEqual({ start: 200, end: 900 });
    expect(a.answers).toHaveLength(2);
    expect(a.answeredAfter(0)).toEqual({ start: 50, end: 90 });
  });

  it('the wait is bounded and ends on abort', async () => {
    const a = new AgentAnswers();
    const t0 = Date.now();
    expect(await a.waitForAnswer(0, 50, new AbortController().signal)).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1_000);
    const ac = new AbortController();
    const p = a.waitForAnswer(0, 60_000, ac.signal);
    ac.abort();
    expect(await p).toBeUndefined();
  });
});
