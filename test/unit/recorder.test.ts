import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { Recorder } from '../../src/sources/recorder.js';

const kind = (k: string) => (e: TraceEvent) => e.kind === k;

afterEach(() => {
  vi.useRealTimers();
});

describe('Recorder: emit', () => {
  it('keeps events in arrival order, timestamps record(), and hands each to onEvent', () => {
    const seen: string[] = [];
    const rec = new Recorder({ source: 'client', onEvent: (e) => seen.push(e.kind) });
    const before = Date.now();
    const a = rec.record('client.a', { n: 1 });
    rec.emit({ t: 5, source: 'room', kind: 'room.b', data: {} });
    rec.record('server.c', {}, 'server');
    expect(rec.events.map((e) => [e.kind, e.source])).toEqual([
      ['client.a', 'client'],
      ['room.b', 'room'],
      ['server.c', 'server'],
    ]);
    expect(seen).toEqual(['client.a', 'room.b', 'server.c']);
    expect(a.t).toBeGreaterThanOrEqual(before - 1);
    expect(a.data).toEqual({ n: 1 });
  });
  it('keep: false hands events on without keeping them', () => {
    const seen: string[] = [];
    const rec = new Recorder({ source: 'room', keep: false, onEvent: (e) => seen.push(e.kind) });
    rec.record('room.a', {});
    expect(rec.events).toEqual([]);
    expect(seen).toEqual(['room.a']);
  });
  it('records nothing once closed', () => {
    const seen: string[] = [];
    const rec = new Recorder({ source: 'room', onEvent: (e) => seen.push(e.kind) });
    rec.close();
    rec.record('room.late', {});
    expect(rec.events).toEqual([]);
    expect(seen).toEqual([]);
    expect(rec.isClosed).toBe(true);
  });
});

describe('Recorder: waitFor', () => {
  it('resolves at once with an event already recorded (past events count)', async () => {
    const rec = new Recorder({ source: 'probe' });
    const e = rec.record('probe.x', {});
    await expect(rec.waitFor(kind('probe.x'), 10)).resolves.toBe(e);
  });
  it('since: only past events from that time on; futureOnly: none at all', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    rec.emit({ t: 100, source: 'probe', kind: 'probe.x', data: { n: 1 } });
    rec.emit({ t: 200, source: 'probe', kind: 'probe.x', data: { n: 2 } });
    expect((await rec.waitFor(kind('probe.x'), 10, { since: 150 }))?.data).toEqual({ n: 2 });
    const later = rec.waitFor(kind('probe.x'), 10, { since: 250 });
    const future = rec.waitFor(kind('probe.x'), 10, { futureOnly: true });
    rec.emit({ t: 300, source: 'probe', kind: 'probe.x', data: { n: 3 } });
    expect((await later)?.data).toEqual({ n: 3 });
    expect((await future)?.data).toEqual({ n: 3 });
  });
  it('resolves with the first matching event still to come, not with others', async () => {
    const rec = new Recorder({ source: 'room' });
    const p = rec.waitFor(kind('room.b'), 1000);
    rec.record('room.a', {});
    const b = rec.record('room.b', { first: true });
    rec.record('room.b', { first: false });
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
    let joined = false;
    const p = rec.waitFor(kind('never'), 100, { timeout: { kind: 'session.response', source: 'session', data: () => ({ answered: false, joined }) } });
    joined = true;
    await vi.advanceTimersByTimeAsync(100);
    await p;
    expect(rec.events.map((e) => [e.kind, e.source, e.data])).toEqual([['session.response', 'session', { answered: false, joined: true }]]);
  });
  it('no timeout spec: the wait just ends, nothing recorded', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    const p = rec.waitFor(kind('never'), 100);
    await vi.advanceTimersByTimeAsync(100);
    await expect(p).resolves.toBeUndefined();
    expect(rec.events).toEqual([]);
  });
  it('a matching event before the bound: no timeout event, ever', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    const p = rec.waitFor(kind('probe.x'), 100, { timeout: { kind: 'probe.timeout', data: { step: 'x', boundMs: 100 } } });
    rec.record('probe.x', {});
    await vi.advanceTimersByTimeAsync(1000);
    expect((await p)?.kind).toBe('probe.x');
    expect(rec.events.map((e) => e.kind)).toEqual(['probe.x']);
  });
  it('until: an event that ends the wait first resolves undefined (without a timeout event)', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    const p = rec.waitFor(kind('openai.response.output_audio.delta'), 100, { until: kind('probe.close'), timeout: { kind: 'probe.timeout', data: {} } });
    rec.record('probe.close', {});
    await expect(p).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000);
    expect(rec.events.map((e) => e.kind)).toEqual(['probe.close']);
  });
  it('abort ends the wait at once without a timeout event; an aborted signal never waits', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'client' });
    const ac = new AbortController();
    const p = rec.waitFor(kind('never'), 10_000, { signal: ac.signal, timeout: { kind: 'client.timeout', data: {} } });
    ac.abort();
    await expect(p).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(rec.events).toEqual([]);
    await expect(rec.waitFor(kind('never'), 10_000, { signal: ac.signal })).resolves.toBeUndefined();
    // …but an event already recorded is still found.
    const e = rec.record('client.x', {});
    await expect(rec.waitFor(kind('client.x'), 10_000, { signal: ac.signal })).resolves.toBe(e);
  });
  it('settleAll ends the waits in progress (recording goes on); close ends them and stops recording', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    const a = rec.waitFor(kind('never'), 10_000, { timeout: { kind: 'probe.timeout', data: {} } });
    rec.settleAll();
    await expect(a).resolves.toBeUndefined();
    rec.record('probe.after', {});
    const b = rec.waitFor(kind('never'), 10_000);
    rec.close();
    await expect(b).resolves.toBeUndefined();
    await expect(rec.waitFor(kind('never'), 10_000)).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(rec.events.map((e) => e.kind)).toEqual(['probe.after']);
  });
  it('leaves no timer behind once settled (it would hold the process open)', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'probe' });
    const ac = new AbortController();
    const p1 = rec.waitFor(kind('x'), 10_000);
    const p2 = rec.waitFor(kind('y'), 10_000, { signal: ac.signal });
    const p3 = rec.waitFor(kind('z'), 10_000);
    expect(vi.getTimerCount()).toBe(3);
    rec.record('x', {});
    ac.abort();
    rec.settleAll();
    await Promise.all([p1, p2, p3]);
    expect(vi.getTimerCount()).toBe(0);
  });
  it('an event emitted while waiters are settled (a nested emit) is seen by the waiters still open', async () => {
    const rec2 = new Recorder({ source: 'room', onEvent: (e) => e.kind === 'room.outer' && rec2.record('room.inner', {}) });
    const a = rec2.waitFor(kind('room.inner'), 1000);
    const b = rec2.waitFor(kind('room.outer'), 1000);
    rec2.record('room.outer', {});
    expect((await a)?.kind).toBe('room.inner');
    expect((await b)?.kind).toBe('room.outer');
    expect(rec2.events.map((e) => e.kind)).toEqual(['room.outer', 'room.inner']);
  });
});
