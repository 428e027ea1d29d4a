import { describe, expect, it } from 'vitest';
import { ENERGY_DBFS, FRAME_SAMPLES, InputPump, Playout, WIRE_RATE, mixStereo } from '../../src/sources/console-broker-audio.js';
import { now } from '../../src/sources/clock.js';

const tone = (ms: number, amp = 8000) => Int16Array.from({ length: (ms * WIRE_RATE) / 1000 }, (_, i) => Math.round(amp * Math.sin(i / 7)));
const quiet = (ms: number) => new Int16Array((ms * WIRE_RATE) / 1000);

function recorder() {
  const log: Array<[string, number, number, number]> = [];
  let acks = 0;
  const p = new Playout(
    {
      audioStarted: (seg, t, dbfs) => log.push(['audio', seg, t, dbfs]),
      flushed: (seg, received, buffered) => log.push(['flushed', seg, received, buffered]),
      finished: (seg, played) => log.push(['finished', seg, played, now()]),
      cleared: (seg, played, dropped) => log.push(['cleared', seg, played, dropped]),
    },
    () => acks++,
    true,
  );
  return { p, log, acks: () => acks };
}

describe('console playout (flush → finished after the buffered audio; clear drops it, no ack)', () => {
  it('acks a flushed segment only when its audio would have finished playing', async () => {
    const { p, log, acks } = recorder();
    const t0 = now();
    p.frame(quiet(40)); // silence first: not "heard"
    p.frame(tone(200));
    p.flush();
    expect(acks()).toBe(0);
    expect(p.idle).toBe(false);
    const audio = log.find((l) => l[0] === 'audio')!;
    // the first energetic frame plays after the 40 ms of silence buffered before it
    expect(audio[2] - t0).toBeGreaterThanOrEqual(39);
    expect(audio[2] - t0).toBeLessThan(60);
    expect(audio[3]).toBeGreaterThan(ENERGY_DBFS);
    const flushed = log.find((l) => l[0] === 'flushed')!;
    expect(flushed.slice(1, 3)).toEqual([0, 240]);
    await new Promise((r) => setTimeout(r, 400));
    const finished = log.find((l) => l[0] === 'finished')!;
    expect(acks()).toBe(1);
    expect(finished[2]).toBe(240);
    // 240 ms of audio: acked 240 ms after the first frame (timer slack on a loaded machine)
    expect(finished[3] - t0).toBeGreaterThanOrEqual(238);
    expect(finished[3] - t0).toBeLessThan(380);
    expect(p.idle).toBe(true);
  });

  it('a clear drops the buffer: no ack, what was played and dropped', async () => {
    const { p, log, acks } = recorder();
    p.frame(tone(1000));
    p.flush();
    await new Promise((r) => setTimeout(r, 100));
    p.clear();
    const cleared = log.find((l) => l[0] === 'cleared')!;
    expect(cleared[1]).toBe(0);
    expect(cleared[2]).toBeGreaterThanOrEqual(95);
    expect(cleared[2]).toBeLessThan(300);
    expect(cleared[2] + cleared[3]).toBeGreaterThanOrEqual(995);
    expect(cleared[2] + cleared[3]).toBeLessThanOrEqual(1005);
    await new Promise((r) => setTimeout(r, 1000));
    expect(acks()).toBe(0);
    expect(log.some((l) => l[0] === 'finished')).toBe(false);
    // the recording keeps only what played
    expect(p.takes.reduce((n, t) => n + t.samples.length, 0) / 48).toBeLessThan(300);
  });

  it('a flush with nothing pushed waits for no ack (TcpAudioOutput.flush)', () => {
    const { p, log } = recorder();
    p.flush();
    expect(log).toEqual([]);
    expect(p.idle).toBe(true);
  });
});

describe('console input pump (a live 20 ms mic)', () => {
  it('sends 960-sample frames in real time, silence around the speech, and times its end exactly', async () => {
    const frames: Int16Array[] = [];
    const pump = new InputPump((f) => frames.push(f), true);
    const t0 = now();
    pump.start();
    const said = await pump.say(tone(50));
    await new Promise((r) => setTimeout(r, 100));
    pump.stop();
    const elapsed = now() - t0;
    expect(frames.every((f) => f.length === FRAME_SAMPLES)).toBe(true);
    // real time: one frame per 20 ms (+1 for the frame due at the start)
    expect(frames.length).toBeGreaterThanOrEqual(Math.floor(elapsed / 20) - 1);
    expect(frames.length).toBeLessThanOrEqual(Math.floor(elapsed / 20) + 2);
    expect(said.end - said.start).toBeCloseTo(50, 5);
    const stereo = mixStereo(pump.takes, [], t0 - 20, now());
    expect(stereo.length % 2).toBe(0);
  });
});
