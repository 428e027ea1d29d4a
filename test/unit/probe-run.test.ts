import { afterEach, describe, expect, it } from 'vitest';
import { realtimeUrl } from '../../src/protocol/realtime-url.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { type ProbeOptions, runProbe } from '../../src/sources/probe.js';
import { probeSteps } from '../../src/sources/probe-steps.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function probe(scenarios: string[], extra: Partial<ProbeOptions> = {}) {
  sim = await startSimulator({ scenarios });
  const seen: string[] = [];
  const run = await runProbe({
    url: realtimeUrl(sim.baseUrl, 'gpt-realtime'),
    apiKey: 'sk-test',
    api: 'ga',
    model: 'gpt-realtime',
    voice: 'alloy',
    turnDetection: 'server_vad',
    stepTimeoutMs: 5000,
    text: 'Say hello.',
    onEvent: (e) => seen.push(e.kind),
    ...extra,
  });
  return { run, seen, steps: probeSteps(run.events).map((s) => `${s.name}:${s.status}`) };
}

describe('runProbe on the recorder, against the in-process simulator', () => {
  it('a healthy run: every step ok, each event handed to onEvent in order, the socket closed by us', async () => {
    const { run, seen, steps } = await probe([]);
    expect(steps).toEqual([
      'upgrade:ok',
      'session.created:ok',
      'session.updated:ok',
      'response.created:ok',
      'first-audio:ok',
      'first-transcript:ok',
      'response.done:ok',
    ]);
    expect(seen).toEqual(run.events.map((e) => e.kind));
    expect(run.events[0]?.kind).toBe('probe.upgrade.request');
    expect(run.events.at(-1)).toMatchObject({ kind: 'probe.close', data: { by: 'client' } });
    expect(run.interrupted).toBe(false);
    // client events are the probe's, server events the wire's
    expect(run.events.find((e) => e.kind === 'openai.session.update')?.source).toBe('probe');
    expect(run.events.find((e) => e.kind === 'openai.session.updated')?.source).toBe('openai');
  });
  it('a step past its bound records probe.timeout {step, boundMs} and ends the run', async () => {
    const { run, steps } = await probe(['delay-created=3000'], { stepTimeoutMs: 300 });
    expect(run.events.filter((e) => e.kind === 'probe.timeout').map((e) => e.data)).toEqual([{ step: 'response.created', boundMs: 300 }]);
    expect(steps).toContain('response.created:timeout');
  });
  it('a refused upgrade: the upgrade fails, nothing is waited for, no timeout', async () => {
    const { run, steps } = await probe(['upgrade-401']);
    expect(steps[0]).toBe('upgrade:failed');
    expect(run.events.some((e) => e.kind === 'probe.timeout')).toBe(false);
    expect(run.events.find((e) => e.kind === 'probe.close')?.data).toMatchObject({ code: 1006, reason: 'HTTP 401', by: 'server' });
  });
  it('abort: probe.interrupted ends the waits at once (no timeout event), interrupted is reported', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const p = probe(['delay-created=10000'], { signal: ac.signal, stepTimeoutMs: 20_000 });
    setTimeout(() => ac.abort(), 400);
    const { run } = await p;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run.interrupted).toBe(true);
    expect(run.events.some((e) => e.kind === 'probe.interrupted')).toBe(true);
    expect(run.events.some((e) => e.kind === 'probe.timeout')).toBe(false);
  });
});
