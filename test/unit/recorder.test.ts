import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventKind, TraceEvent } from '../../src/diagnose/types.js';
import { Recorder, ofKind } from '../../src/sources/recorder.js';

const kind = (k: EventKind) => (e: TraceEvent) => e.kind === k;
const joined = (identity: string) => ({ identity });
const close = { code: 1000, reason: '', by: 'client' as const };

afterEach(() => {
  vi.useRealTimers();
});

describe('Recorder: emit', () => {
  it('keeps events in arrival order, timestamps record(), and hands each to onEvent', () => {
    const seen: string[] = [];
    const rec = new Recorder({ source: 'client', onEvent: (e) => seen.push(e.kind) });
    const before = Date.now();
    const a = rec.record('client.agent.joined', joined('a'));
    rec.emit({ t: 5, source: 'room', kind: 'room.closed', data: {} });
    rec.record('server.room.created', { room: 'r' }, 'server');
    expect(rec.events.map((e) => [e.kind, e.source])).toEqual([
      ['client.agent.joined', 'client'],
      ['room.closed', 'room'],
      ['server.room.created', 'server'],
    ]);
    expect(seen).toEqual(['client.agent.joined', 'room.closed', 'server.room.created']);
    expect(a.t).toBeGreaterThanOrEqual(before - 1);
    expect(a.data).toEqual({ identity: 'a' });
  });
  it('keep: false hands events on without keeping them', () => {
    const seen: string[] = [];
    const rec = new Recorder({ source: 'room', keep: false, onEvent: (e) => seen.push(e.kind) });
    rec.record('room.closed', {});
    expect(rec.events).toEqual([]);
    expect(seen).toEqual(['room.closed']);
  });
  it('records nothing once closed', () => {
    const seen: string[] = [];
    const rec = new Recorder({ source: 'room', onEvent: (e) => seen.push(e.kind) });
    rec.close();
    rec.record('room.closed', {});
    expect(rec.events).toEqual([]);
    expect(seen).toEqual([]);
    expect(rec.isClosed).toBe(true);
  });
});

describe('Recorder: waitFor', () => {
  it('resolves at once with an event already recorded (past events count)', async () => {
    const rec = new Recorder({ source: 'probe' });
    const e = rec.record('probe.interrupted', {});
    await expect(rec.waitFor(kind('probe.interrupted'), 10)).resolves.toBe(e);
  });
  it('since: only past events from that time on; futureOnly: none at all', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'client' });
    rec.emit({ t: 100, source: 'client', kind: 'client.agent.joined', data: joined('1') });
    rec.emit({ t: 200, source: 'client', kind: 'client.agent.joined', data: joined('2') });
    expect((await rec.waitFor(ofKind('client.agent.joined'), 10, { since: 150 }))?.data.identity).toBe('2');
    const later = rec.waitFor(ofKind('client.agent.joined'), 10, { since: 250 });
    const future = rec.waitFor(ofKind('client.agent.joined'), 10, { futureOnly: true });
    rec.emit({ t: 300, source: 'client', kind: 'client.agent.joined', data: joined('3') });
    expect((await later)?.data.identity).toBe('3');
    expect((await future)?.data.identity).toBe('3');
  });
  it('resolves with the first matching event still to come, not with others; ofKind also matches on data', async () => {
    const rec = new Recorder({ source: 'client' });
    const p = rec.waitFor(
      ofKind('client.agent.joined', (e) => e.data.identity === 'b'),
      1000,
    );
    rec.record('client.agent.active', joined('b'));
    rec.record('client.agent.joined', joined('a'));
    const b = rec.record('client.agent.joined', joined('b'));
    rec.record('client.agent.joined', joined('b'));
    await expect(p).resolves.toBe(b);
  });
  it('the bound passes: undefined, and the timeout event (with its bound and what it waited for) is recorded', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'client' });
    const p = rec.waitFor(kind('client.agent.active'), 500, { timeout: { kind: 'client.timeout', data: { wait: 'agent-active', boundMs: 500 } } });
    await vi.advanceTimersByTimeAsync(499);
    expect(rec.events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await expect(p).resolves.toBeUndefined();
    expect(rec.events.map((e) => [e.kind, e.source, e.data])).toEqual([['client.timeout', 'client', { wait: 'agent-active', boundMs: 500 }]]);
  });
  it('timeout data given as a function describes the state at expiry; its source can differ', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'room' });
    let agentJoined = false;
    const p = rec.waitFor(kind('client.agent.active'), 100, {
      timeout: { kind: 'client.timeout', source: 'client', data: () => ({ wait: 'agent-active', boundMs: 100, agentJoined }) },
    });
    agentJoined = true;
    await vi.advanceTimersByTimeAsync(100);
    await p;
    expect(rec.events.map((e) => [e.kind, e.source, e.data])).toEqual([
      ['client.timeout', 'client', { wait: 'agent-active', boundMs: 100, agentJoined: true }],
    ]);
  });
  it('no timeout spec: the wait just ends, nothing recorded', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    const p = rec.waitFor(kind('probe.close'), 100);
    await vi.advanceTimersByTimeAsync(100);
    await expect(p).resolves.toBeUndefined();
    expect(rec.events).toEqual([]);
  });
  it('a matching event before the bound: no timeout event, ever', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    const p = rec.waitFor(kind('probe.close'), 100, { timeout: { kind: 'probe.timeout', data: { step: 'x', boundMs: 100 } } });
    rec.record('probe.close', close);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await p)?.kind).toBe('probe.close');
    expect(rec.events.map((e) => e.kind)).toEqual(['probe.close']);
  });
  it('until: an event that ends the wait first resolves undefined (without a timeout event)', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    const p = rec.waitFor(kind('openai.response.output_audio.delta'), 100, {
      until: kind('probe.close'),
      timeout: { kind: 'probe.timeout', data: { step: 'x', boundMs: 100 } },
    });
    rec.record('probe.close', close);
    await expect(p).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000);
    expect(rec.events.map((e) => e.kind)).toEqual(['probe.close']);
  });
  it('abort ends the wait at once without a timeout event; an aborted signal never waits', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'client' });
    const ac = new AbortController();
    const p = rec.waitFor(kind('client.agent.active'), 10_000, {
      signal: ac.signal,
      timeout: { kind: 'client.timeout', data: { wait: 'agent-active', boundMs: 10_000 } },
    });
    ac.abort();
    await expect(p).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(rec.events).toEqual([]);
    await expect(rec.waitFor(kind('client.agent.active'), 10_000, { signal: ac.signal })).resolves.toBeUndefined();
    // …but an event already recorded is still found.
    const e = rec.record('client.agent.active', joined('a'));
    await expect(rec.waitFor(kind('client.agent.active'), 10_000, { signal: ac.signal })).resolves.toBe(e);
  });
  it('settleAll ends the waits in progress (recording goes on); close ends them and stops recording', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    const a = rec.waitFor(kind('probe.close'), 10_000, { timeout: { kind: 'probe.timeout', data: { step: 'x', boundMs: 10_000 } } });
    rec.settleAll();
    await expect(a).resolves.toBeUndefined();
    rec.record('probe.interrupted', {});
    const b = rec.waitFor(kind('probe.close'), 10_000);
    rec.close();
    await expect(b).resolves.toBeUndefined();
    await expect(rec.waitFor(kind('probe.close'), 10_000)).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(rec.events.map((e) => e.kind)).toEqual(['probe.interrupted']);
  });
  it('leaves no timer behind once settled (it would hold the process open)', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    const ac = new AbortController();
    const p1 = rec.waitFor(kind('probe.close'), 10_000);
    const p2 = rec.waitFor(kind('probe.interrupted'), 10_000, { signal: ac.signal });
    const p3 = rec.waitFor(kind('probe.timeout'), 10_000);
    expect(vi.getTimerCount()).toBe(3);
    rec.record('probe.close', close);
    ac.abort();
    rec.settleAll();
    await Promise.all([p1, p2, p3]);
    expect(vi.getTimerCount()).toBe(0);
  });
  it('an event emitted while waiters are settled (a nested emit) is seen by the waiters still open', async () => {
    const rec: Recorder = new Recorder({
      source: 'room',
      onEvent: (e) => e.kind === 'room.participant.joined' && rec.record('client.agent.joined', joined('a'), 'client'),
    });
    const a = rec.waitFor(kind('client.agent.joined'), 1000);
    const b = rec.waitFor(kind('room.participant.joined'), 1000);
    rec.record('room.participant.joined', { identity: 'a', kind: 'agent' });
    expect((await a)?.kind).toBe('client.agent.joined');
    expect((await b)?.kind).toBe('room.participant.joined');
    expect(rec.events.map((e) => e.kind)).toEqual(['room.participant.joined', 'client.agent.joined']);
  });
});
