import { describe, expect, expectTypeOf, it } from 'vitest';
import { Timeline, errorOf } from '../../src/diagnose/timeline.js';
import type { DataOf, EventOf, TraceEvent } from '../../src/diagnose/types.js';
import type { AnyOpenAIEvent, ItemMetrics } from '../../src/events/index.js';
import { realtimeTraceEvent } from '../../src/protocol/realtime-events.js';
import { event } from '../helpers/events.js';

const logged = (message: string, line: number) => ({ level: 'info' as const, logger: 'livekit.agents', message, line });

const events: TraceEvent[] = [
  event(30, 'room', 'agent.state', { identity: 'agent-1', to: 'speaking', from: 'thinking' }),
  event(10, 'log', 'agent.state', { ...logged('Agent state changed from: listening to thinking', 1), from: 'listening', to: 'thinking' }),
  event(20, 'session', 'conversation.item', { identity: 'agent-1', role: 'assistant', text: 'hi', interrupted: false, metrics: { e2eLatency: 1.2 } }),
  event(25, 'log', 'log.preconnect.pushed', { ...logged('pre-connect audio buffer pushed', 2), duration: 1.2 }),
  realtimeTraceEvent(40, 'log', 'server', { type: 'error', error: { type: 'invalid_request_error', code: 'model_not_found', message: 'no such model' } }),
  realtimeTraceEvent(50, 'log', 'server', { type: 'response.done', response: { id: 'resp_1', status: 'cancelled' } }),
  realtimeTraceEvent(60, 'log', 'client', { type: 'response.cancel' }),
  realtimeTraceEvent(70, 'log', 'server', { type: 'response.audio.delta', delta: 'AAAA' }), // beta name → GA
];
const tl = new Timeline(events);

describe('Timeline: typed queries', () => {
  it('ofKind returns one kind, in time order, narrowed to its data', () => {
    const states = tl.ofKind('agent.state');
    expectTypeOf(states).toEqualTypeOf<EventOf<'agent.state'>[]>();
    expectTypeOf(states[0]!.data.to).toEqualTypeOf<string | undefined>();
    expect(states.map((e) => [e.t, e.source, e.data.to])).toEqual([
      [10, 'log', 'thinking'],
      [30, 'room', 'speaking'],
    ]);
    // one kind per fact, de-duplicated by source where it matters
    expect(states.filter((e) => e.source === 'room').map((e) => e.data.identity)).toEqual(['agent-1']);
  });

  it('first and has', () => {
    const item = tl.first('conversation.item');
    expectTypeOf(item).toEqualTypeOf<EventOf<'conversation.item'> | undefined>();
    expectTypeOf<NonNullable<typeof item>['data']['metrics']>().toEqualTypeOf<ItemMetrics | undefined>();
    expect(item?.data.metrics?.e2eLatency).toBe(1.2);
    expect(tl.first('agent.state', 11)?.source).toBe('room');
    expect(tl.first('agent.state', 31)).toBeUndefined();
    expect(tl.has('log.preconnect.pushed')).toBe(true);
    expect(tl.has('log.preconnect.too-old')).toBe(false);
  });

  it('a prefix query returns the kinds under it, narrowed to them', () => {
    const log = tl.ofKind('log.preconnect.*');
    expectTypeOf(log[0]!.data).toEqualTypeOf<
      DataOf<`log.preconnect.${'pushed'}`> | DataOf<Exclude<Extract<TraceEvent['kind'], `log.preconnect.${string}`>, 'log.preconnect.pushed'>>
    >();
    expect(log.map((e) => e.kind)).toEqual(['log.preconnect.pushed']);
    const openai = tl.ofKind('openai.*');
    expectTypeOf(openai).toEqualTypeOf<AnyOpenAIEvent[]>();
    expect(openai.map((e) => e.kind)).toEqual(['openai.error', 'openai.response.done', 'openai.response.cancel', 'openai.response.output_audio.delta']);
  });

  it('openai(type) narrows data.event to the SDK event of that type', () => {
    const [err] = tl.openai('error', 'server');
    expectTypeOf(err!.data.event.type).toEqualTypeOf<'error'>();
    expect(err!.data.event.error?.code).toBe('model_not_found');
    expect(errorOf(err!)?.message).toBe('no such model');
    const [done] = tl.openai('response.done');
    expect(done!.data.event.response?.status).toBe('cancelled');
    expect(tl.openai('response.done', 'client')).toEqual([]);
    expect(tl.openaiErrors('model_not_found')).toHaveLength(1);
    expect(tl.openaiErrors('rate_limit_exceeded')).toHaveLength(0);
    expect(tl.openai('response.output_audio.delta')[0]?.data.event.delta).toBe('<3 bytes>');
    // a type the SDK does not list keeps the typed fallback
    expectTypeOf<ReturnType<typeof tl.openai<'response.something_new'>>[number]['data']['event']['type']>().toEqualTypeOf<string>();
    expect(tl.openai('response.something_new')).toEqual([]);
  });

  it('rejects kinds that are not in the vocabulary at compile time', () => {
    // @ts-expect-error an old kind: renamed to agent.state
    expect(tl.ofKind('room.agent.state')).toEqual([]);
    // @ts-expect-error an old kind: renamed to user.state
    expect(tl.has('log.agent.user-state')).toBe(false);
  });
});
