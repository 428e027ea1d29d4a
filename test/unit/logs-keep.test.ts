import { describe, expect, it } from 'vitest';
import { EventKeeper } from '../../src/sources/logs/keep.js';
import { realtimeTraceEvent } from '../../src/protocol/realtime-events.js';
import { event } from '../helpers/events.js';

const committed = (t: number) => event(t, 'log', 'agent.turn-committed', { level: 'debug', logger: 'livekit.agents', message: 'user turn committed', line: 1 });
const delta = (t: number, resp: string) => realtimeTraceEvent(t, 'log', 'server', { type: 'response.output_audio.delta', response_id: resp, delta: '...' });

describe('EventKeeper', () => {
  it('keeps the first and the latest delta per response, everything else in full', () => {
    const k = new EventKeeper();
    for (let i = 0; i < 50; i++) k.add(delta(i, 'r1'));
    k.add(committed(60));
    for (let i = 0; i < 5; i++) k.add(delta(100 + i, 'r2'));
    expect(k.events.map((e) => [e.kind, e.t])).toEqual([
      ['openai.response.output_audio.delta', 0],
      ['openai.response.output_audio.delta', 49],
      ['agent.turn-committed', 60],
      ['openai.response.output_audio.delta', 100],
      ['openai.response.output_audio.delta', 104],
    ]);
    expect(k.collapsed).toBe(48 + 3);
  });

  it('starts a new window with the recent events only, bounded', () => {
    const k = new EventKeeper();
    for (let i = 0; i < 100; i++) k.add(committed(i * 1000));
    k.retainFrom(90_000, 5);
    expect(k.events.map((e) => e.t)).toEqual([95_000, 96_000, 97_000, 98_000, 99_000]);
  });

  it('counts what is beyond its bound', () => {
    const k = new EventKeeper(3);
    for (let i = 0; i < 5; i++) k.add(committed(i));
    expect(k.events).toHaveLength(3);
    expect(k.dropped).toBe(2);
  });
});
