import { describe, expect, it } from 'vitest';
import { driveStats, driveTurns } from '../../src/drive/measure.js';
import { traceEvent, type TraceEvent } from '../../src/events/index.js';
import { evaluateDriveGates } from '../../src/smoke/gates.js';
import type { Finding } from '../../src/diagnose/types.js';

const T = 1_700_000_000_000;
const said = (turn: number, start: number, end: number, bargeIn = false): TraceEvent[] => [
  traceEvent(T + start, 'console', 'drive.user.speech-started', { turn, file: `u${turn}.wav`, durationMs: end - start, bargeIn }),
  traceEvent(T + end, 'console', 'drive.user.speech-ended', { turn, bargeIn }),
];
const audio = (segment: number, at: number) => traceEvent(T + at, 'console', 'drive.agent.audio-started', { segment, dbfs: -20 });
const finished = (segment: number, at: number, playedMs: number) => traceEvent(T + at, 'console', 'drive.playout.finished', { segment, playedMs });
const cleared = (segment: number, at: number, playedMs: number) =>
  traceEvent(T + at, 'console', 'drive.playout.cleared', { segment, playedMs, droppedMs: 500 });

describe('drive measurements', () => {
  it('two answered turns: heard latency from the exact end of speech, agent speech from the playout', () => {
    const events = [...said(0, 0, 2000), audio(0, 2850), finished(0, 5000, 2150), ...said(1, 6000, 8000), audio(1, 9100), finished(1, 11000, 1900)];
    expect(driveTurns(events)).toEqual([
      { index: 0, file: 'u0.wav', bargeIn: false, heardLatencyMs: 850, answered: true, agentSpeechMs: 2150, falseInterruptions: 0 },
      { index: 1, file: 'u1.wav', bargeIn: false, heardLatencyMs: 1100, answered: true, agentSpeechMs: 1900, falseInterruptions: 0 },
    ]);
  });

  it('a barge-in: yield is interruption start → clear; overlap is while both spoke', () => {
    const events = [
      ...said(0, 0, 2000),
      audio(0, 2500),
      ...said(1, 6500, 8000, true), // 4 s into the reply
      cleared(0, 6820, 4320),
      audio(1, 8700),
      finished(1, 10000, 1300),
      traceEvent(T + 7000, 'console', 'agent.false-interruption', { resumed: true }),
    ];
    const [t0, t1] = driveTurns(events);
    expect(t0).toMatchObject({ heardLatencyMs: 500, answered: true, agentSpeechMs: 4320 });
    expect(t1).toEqual({
      index: 1,
      file: 'u1.wav',
      bargeIn: true,
      heardLatencyMs: 700,
      answered: true,
      agentSpeechMs: 1300,
      yieldMs: 320,
      yieldedBy: 'clear',
      overlapMs: 320,
      falseInterruptions: 1,
    });
  });

  it('an agent that never yields: the end of its audio', () => {
    const events = [...said(0, 0, 1000), audio(0, 1500), ...said(1, 2000, 3000, true), finished(0, 6000, 4500)];
    expect(driveTurns(events)[1]).toMatchObject({ yieldMs: 4000, yieldedBy: 'end-of-audio', overlapMs: 1000, answered: false });
  });

  it('a barge-in after the reply ended measures no yield', () => {
    const t = driveTurns([...said(0, 0, 1000), audio(0, 1500), finished(0, 2000, 500), ...said(1, 3000, 4000, true)])[1]!;
    expect([t.yieldMs, t.answered]).toEqual([undefined, false]);
  });

  it('an unanswered turn, and p50/p95 over turns', () => {
    const events = [
      ...said(0, 0, 1000),
      audio(0, 1400),
      finished(0, 2000, 600),
      ...said(1, 3000, 4000),
      ...said(2, 30000, 31000),
      audio(2, 31600),
      finished(2, 32000, 400),
    ];
    const turns = driveTurns(events);
    expect(turns.map((t) => [t.answered, t.heardLatencyMs])).toEqual([
      [true, 400],
      [false, undefined],
      [true, 600],
    ]);
    expect(driveStats(turns)[0]).toEqual({ name: 'heardLatencyMs', n: 2, p50: 400, p95: 600, min: 400, max: 600, failures: 1 });
  });
});

describe('drive gates', () => {
  const turns = [
    { index: 0, heardLatencyMs: 900, bargeIn: false, answered: true },
    { index: 1, heardLatencyMs: 1900, yieldMs: 400, bargeIn: true, answered: true },
  ];
  const cfg = { noErrorFinding: true, allAnswered: true, ignoreFindings: [] };
  const err: Finding = { code: 'agent/generate-reply-timeout', severity: 'error', title: 't', detail: 'd', evidence: [], fix: 'f' };

  it('passes under the thresholds, skips the ones not given', () => {
    const g = evaluateDriveGates(turns, [], { ...cfg, maxHeardLatencyMs: 2000 });
    expect(g.map((x) => [x.name, x.status, x.value])).toEqual([
      ['heard-latency', 'passed', 1900],
      ['yield', 'skipped', null],
      ['no-error-finding', 'passed', 0],
      ['all-answered', 'passed', 0],
    ]);
  });

  it('fails on the worst turn, an error finding and an unanswered turn', () => {
    const g = evaluateDriveGates([...turns, { index: 2, bargeIn: false, answered: false }], [err], { ...cfg, maxHeardLatencyMs: 1500, maxYieldMs: 300 });
    expect(g.map((x) => [x.name, x.status, x.value])).toEqual([
      ['heard-latency', 'failed', 1900],
      ['yield', 'failed', 400],
      ['no-error-finding', 'failed', 1],
      ['all-answered', 'failed', 1],
    ]);
    expect(g[0]!.summary).toBe('worst heard latency 1.90 s (turn 1; ≤ 1.50 s: too slow)');
    expect(g[0]!.findings.map((f) => f.code)).toEqual(['agent/generate-reply-timeout']);
  });

  it('ignored findings do not fail no-error-finding', () => {
    const g = evaluateDriveGates(turns, [err], { ...cfg, ignoreFindings: ['agent/*'] });
    expect(g[2]!.status).toBe('passed');
  });
});
