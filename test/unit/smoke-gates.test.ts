import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventKind, Finding, TraceEvent } from '../../src/diagnose/types.js';
import { event, partialEvent } from '../helpers/events.js';
import { UserError } from '../../src/errors.js';
import { loadConfigFile, resolveGates, validateSmokeConfig } from '../../src/smoke/config.js';
import { DEFAULT_GATES, evaluateGates, runTimings } from '../../src/smoke/gates.js';
import { percentile, pool, smokeStats } from '../../src/smoke/stats.js';

const ev = (t: number, kind: EventKind, data: Record<string, unknown> = {}): TraceEvent => partialEvent(t, 'client', kind, data);
const f = (code: string, severity: Finding['severity'] = 'error'): Finding => ({
  code,
  severity,
  title: code,
  detail: `${code} detail`,
  evidence: [],
  fix: '',
});
const healthy = [
  ev(1000, 'client.recording.started'),
  ev(1100, 'server.dispatch.created'),
  ev(1900, 'client.agent.joined'),
  ev(2000, 'client.agent.active'),
  ev(8000, 'client.speech.ended'),
  ev(9200, 'room.agent.audio'),
];
const status = (gs: ReturnType<typeof evaluateGates>) => Object.fromEntries(gs.map((g) => [g.name, g.status]));

describe('smoke gates', () => {
  it('healthy run: every gate passes with its measured value and threshold', () => {
    const gates = evaluateGates(healthy, [f('preconnect/consumed', 'info')], true, DEFAULT_GATES, 3500);
    expect(status(gates)).toEqual({
      'agent-joined': 'passed',
      'buffer-consumed': 'passed',
      'first-agent-audio': 'passed',
      'no-error-finding': 'passed',
      'no-cancelled-reply': 'passed',
    });
    expect(gates[0]).toMatchObject({ value: 800, threshold: 10_000, unit: 'ms' });
    expect(gates[2]).toMatchObject({ value: 1200, threshold: 5000, unit: 'ms' });
    expect(runTimings(healthy, 3500)).toEqual({ agentJoinedMs: 800, agentActiveMs: 900, firstAgentAudioMs: 1200, bufferedMs: 3500 });
  });

  it('no agent: agent-joined fails with value null and the no-agent finding', () => {
    const events = [ev(1000, 'client.recording.started'), ev(1100, 'server.dispatch.created'), ev(13100, 'client.timeout', { wait: 'agent-active' })];
    const gates = evaluateGates(events, [f('preconnect/no-agent-dispatched')], null, DEFAULT_GATES);
    expect(gates[0]).toMatchObject({ name: 'agent-joined', status: 'failed', value: null, threshold: 10_000 });
    expect(gates[0]!.findings.map((x) => x.code)).toEqual(['preconnect/no-agent-dispatched']);
    expect(status(gates)['first-agent-audio']).toBe('failed');
  });

  it('a slow join, slow audio and thresholds from config', () => {
    const cfg = { ...DEFAULT_GATES, agentJoinedWithinS: 0.5, firstAgentAudioWithinS: 1 };
    const gates = evaluateGates(healthy, [], true, cfg);
    expect(status(gates)).toMatchObject({ 'agent-joined': 'failed', 'first-agent-audio': 'failed' });
    expect(gates[2]!.summary).toBe('first agent audio 1.20 s after the user finished (≤ 1.00 s: too slow)');
  });

  it('buffer: not consumed names the preconnect errors and fails; evidence that cannot settle it is unconfirmed, never a failure', () => {
    const lost = evaluateGates(healthy, [f('preconnect/handler-registered-late'), f('preconnect/not-consumed')], false, DEFAULT_GATES);
    expect(lost[1]).toMatchObject({ status: 'failed', value: false });
    expect(lost[1]!.findings.map((x) => x.code)).toEqual(['preconnect/handler-registered-late', 'preconnect/not-consumed']);
    const none = evaluateGates(healthy, [], null, DEFAULT_GATES)[1]!;
    expect(none).toMatchObject({ name: 'buffer-consumed', status: 'unconfirmed', value: null });
    expect(none.summary).toBe('unconfirmed: no transcript sidecar next to the audio and no --agent-log');
    const short = evaluateGates(healthy, [f('preconnect/not-consumed', 'warning')], null, DEFAULT_GATES)[1]!;
    expect(short.status).toBe('unconfirmed');
    expect(short.findings.map((x) => x.code)).toEqual(['preconnect/not-consumed']);
  });

  it('cancelled replies: any of the three codes, warnings included', () => {
    for (const code of ['openai/response-cancelled', 'agent/response-cancelled-by-user-speech', 'preconnect/interrupted-by-live-audio']) {
      const g = evaluateGates(healthy, [f(code, 'warning')], true, DEFAULT_GATES);
      expect(status(g)['no-cancelled-reply'], code).toBe('failed');
      expect(status(g)['no-error-finding'], code).toBe('passed');
    }
  });

  it('skip and ignore', () => {
    const cfg = { ...DEFAULT_GATES, skip: ['no-cancelled-reply' as const], ignoreFindings: ['preconnect/*'] };
    const g = evaluateGates(healthy, [f('preconnect/not-consumed'), f('openai/response-cancelled', 'warning')], true, cfg);
    expect(status(g)).toMatchObject({ 'no-error-finding': 'passed', 'no-cancelled-reply': 'skipped' });
  });

  it('first audio before the user finished is negative and passes', () => {
    const events = [...healthy.slice(0, 4), ev(7000, 'room.agent.audio'), ev(8000, 'client.speech.ended')];
    const g = evaluateGates(events, [], true, DEFAULT_GATES)[2]!;
    expect(g).toMatchObject({ status: 'passed', value: -1000 });
  });
});

describe('smoke config', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'lkdiag-smoke-cfg-'));
  it('flags > file > defaults', () => {
    expect(resolveGates({}, {})).toEqual(DEFAULT_GATES);
    const file = validateSmokeConfig(
      { gates: { agentJoinedWithinS: 20, firstAgentAudioWithinS: 8, noCancelledReply: false, ignoreFindings: ['preconnect/*'] } },
      'x',
    );
    expect(resolveGates({ firstAudioWithin: 3, skipGate: ['buffer-consumed'] }, file)).toEqual({
      ...DEFAULT_GATES,
      agentJoinedWithinS: 20,
      firstAgentAudioWithinS: 3,
      noCancelledReply: false,
      skip: ['buffer-consumed'],
      ignoreFindings: ['preconnect/*'],
    });
  });
  it('lkdiag.config.json, else the "lkdiag" key in package.json, else nothing', () => {
    const a = dir();
    writeFileSync(join(a, 'lkdiag.config.json'), JSON.stringify({ smoke: { agentName: 'x', gates: { agentJoinedWithinS: 4 } } }));
    writeFileSync(join(a, 'package.json'), JSON.stringify({ lkdiag: { smoke: { agentName: 'y' } } }));
    expect(loadConfigFile(a)?.smoke.agentName).toBe('x');
    const b = dir();
    writeFileSync(join(b, 'package.json'), JSON.stringify({ name: 'p', lkdiag: { smoke: { agentName: 'y', audio: 'a.wav' } } }));
    expect(loadConfigFile(b)).toMatchObject({ file: expect.stringContaining('"lkdiag" key'), smoke: { agentName: 'y', audio: 'a.wav' } });
    const c = dir();
    writeFileSync(join(c, 'package.json'), JSON.stringify({ name: 'p' }));
    expect(loadConfigFile(c)).toBeUndefined();
  });
  it.each([
    [{ smoke: { gates: { firstAgentAudioWithinS: -1 } } }, /smoke\.gates\.firstAgentAudioWithinS must be a positive number/],
    [{ smoke: { gates: { nope: 1 } } }, /smoke\.gates\.nope is not a known gate setting/],
    [{ smoke: { agentname: 'x' } }, /smoke\.agentname is not a known key/],
    [{ smoke: { gates: { skip: ['agent-join'] } } }, /smoke\.gates\.skip must be a list of gate names/],
    [{ smoke: { gates: { bufferConsumed: 'yes' } } }, /must be true or false/],
    [{ smoke: 3 }, /"smoke" must be an object/],
  ])('invalid config %j → usage error (exit 2)', (cfg, message) => {
    const d = dir();
    writeFileSync(join(d, 'lkdiag.config.json'), JSON.stringify(cfg));
    let err: unknown;
    try {
      loadConfigFile(d);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toMatch(message);
  });
  it('invalid JSON → usage error', () => {
    const d = dir();
    writeFileSync(join(d, 'lkdiag.config.json'), '{ smoke: ');
    expect(() => loadConfigFile(d)).toThrow(/not valid JSON/);
  });
  it('unknown --skip-gate → usage error', () => {
    expect(() => resolveGates({ skipGate: ['fast'] })).toThrow(/unknown gate "fast"/);
  });
});

describe('smoke stats', () => {
  it('nearest-rank percentiles, flake rate', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 50)).toBeNull();
    const pass = { name: 'agent-joined' as const, status: 'passed' as const, value: 1, threshold: 1, unit: 'ms' as const, summary: '', findings: [] };
    const s = smokeStats([
      { timings: { agentJoinedMs: 900, firstAgentAudioMs: 1000 }, gates: [pass] },
      { timings: { agentJoinedMs: 700 }, gates: [{ ...pass, status: 'failed' }] },
      { timings: { agentJoinedMs: 800, firstAgentAudioMs: 3000 }, gates: [pass] },
    ]);
    expect(s.flake).toEqual({ runs: 3, failedRuns: 1, rate: 0.333 });
    expect(s.stats.find((x) => x.name === 'agentJoinedMs')).toEqual({ name: 'agentJoinedMs', n: 3, p50: 800, p95: 900, min: 700, max: 900, failures: 0 });
    expect(s.stats.find((x) => x.name === 'firstAgentAudioMs')).toMatchObject({ n: 2, p50: 1000, p95: 3000, failures: 1 });
    expect(s.gateFailures).toEqual({ 'agent-joined': 1 });
  });
  it('pool: bounded concurrency, order kept, stops when told', async () => {
    let live = 0;
    let peak = 0;
    const r = await pool(7, 3, async (i) => {
      live += 1;
      peak = Math.max(peak, live);
      await new Promise((res) => setTimeout(res, 5 + (i % 3) * 5));
      live -= 1;
      if (i === 4) throw new Error('four');
      return i;
    });
    expect(peak).toBe(3);
    expect(r.map((x) => (x.ok ? x.value : 'err'))).toEqual([0, 1, 2, 3, 'err', 5, 6]);
    let started = 0;
    const stopped = await pool(
      10,
      2,
      async () => ++started,
      () => started >= 3,
    );
    expect(stopped.length).toBeLessThan(10);
  });
});

describe('runTimings: first agent audio', () => {
  const e = (t: number, kind: EventKind): TraceEvent => partialEvent(t, 'client', kind);
  it('counts from the end of the first utterance, or from the buffer when the agent got it later', () => {
    const audio = event(5_000, 'room', 'room.agent.audio', { identity: 'agent-1', firstAudible: true });
    expect(runTimings([e(3_466, 'client.speech.ended'), e(3_400, 'client.preconnect.closed'), audio, e(9_000, 'client.speech.ended')]).firstAgentAudioMs).toBe(
      1_534,
    );
    expect(runTimings([e(3_466, 'client.speech.ended'), e(4_200, 'client.preconnect.closed'), audio]).firstAgentAudioMs).toBe(800);
    expect(runTimings([e(3_466, 'client.speech.ended'), audio]).firstAgentAudioMs).toBe(1_534);
  });
});
