import { errorOf, responseOf } from '../diagnose/timeline.js';
import type { OpenAIEvent, TraceEvent } from '../diagnose/types.js';
import { isOpenAIEvent } from '../events/index.js';
import type { Step, StepStats } from '../report/report.js';

export const PROBE_STEPS = ['upgrade', 'session.created', 'session.updated', 'response.created', 'first-audio', 'first-transcript', 'response.done'] as const;

type Ev = TraceEvent;
const isServer = (e: Ev, type: string): e is OpenAIEvent => isOpenAIEvent(e) && e.kind === `openai.${type}` && e.data.direction === 'server';
const isClient = (e: Ev, type: string): e is OpenAIEvent => isOpenAIEvent(e) && e.kind === `openai.${type}` && e.data.direction === 'client';
const errorCode = (e: OpenAIEvent) => String(errorOf(e)?.code ?? 'error');

/**
 * Probe step timings from a probe run's events. A step's ms is measured from the request it
 * answers: the upgrade request (upgrade, session.created), session.update (session.updated), and
 * the first response.create (response.created, first-audio, first-transcript, response.done).
 */
export function probeSteps(events: readonly Ev[]): Step[] {
  function find<E extends Ev>(pred: (e: Ev) => e is E, after?: number): E | undefined;
  function find(pred: (e: Ev) => boolean, after?: number): Ev | undefined;
  function find(pred: (e: Ev) => boolean, after = -Infinity) {
    return events.find((e) => e.t >= after && pred(e));
  }
  const timedOut = (step: string) => events.some((e) => e.kind === 'probe.timeout' && e.data.step === step);
  const steps: Step[] = [];
  const add = (name: string, from: Ev | undefined, to: Ev | undefined, failed?: string) => {
    const prevFailed = steps.some((s) => s.status !== 'ok') && !['first-audio', 'first-transcript'].includes(name);
    if (to && !failed) steps.push({ name, ms: round(to.t - (from?.t ?? to.t)), ok: true, status: 'ok' });
    else if (failed) steps.push({ name, ...(to && from ? { ms: round(to.t - from.t) } : {}), ok: false, status: 'failed', detail: failed });
    else if (timedOut(name)) steps.push({ name, ok: false, status: 'timeout' });
    else if (!from || prevFailed) steps.push({ name, ok: false, status: 'skipped' });
    else steps.push({ name, ok: false, status: 'failed', detail: 'did not happen' });
  };

  const req = find((e) => e.kind === 'probe.upgrade.request');
  const up = find((e): e is TraceEvent<'probe.upgrade.response'> => e.kind === 'probe.upgrade.response');
  const connErr = find((e): e is TraceEvent<'probe.connect.error'> => e.kind === 'probe.connect.error');
  const upStatus = up?.data.status;
  add('upgrade', req, up, connErr ? String(connErr.data.code) : up && upStatus !== 101 ? `HTTP ${String(upStatus)}` : undefined);

  add(
    'session.created',
    up && upStatus === 101 ? req : undefined,
    find((e) => isServer(e, 'session.created')),
  );

  const su = find((e) => isClient(e, 'session.update'));
  const suId = su?.data.event.event_id;
  const suErr = su && find((e): e is OpenAIEvent => isServer(e, 'error') && errorOf(e)?.event_id === suId, su.t);
  const sud = su && find((e) => isServer(e, 'session.updated'), su.t);
  add('session.updated', su, suErr ?? sud, suErr ? errorCode(suErr) : undefined);

  const rc = find((e) => isClient(e, 'response.create'));
  const rcId = rc?.data.event.event_id;
  const rcErr = rc && find((e): e is OpenAIEvent => isServer(e, 'error') && errorOf(e)?.event_id === rcId, rc.t);
  add('response.created', rc, rcErr ?? (rc && find((e) => isServer(e, 'response.created'), rc.t)), rcErr ? errorCode(rcErr) : undefined);
  add('first-audio', rc, rc && find((e) => isServer(e, 'response.output_audio.delta'), rc.t));
  add('first-transcript', rc, rc && find((e) => isServer(e, 'response.output_audio_transcript.delta') || isServer(e, 'response.output_text.delta'), rc.t));
  const done = rc && find((e) => isServer(e, 'response.done'), rc.t);
  const status = done ? responseOf(done)?.status : undefined;
  add('response.done', rc, done, done && status !== 'completed' ? `status ${String(status)}` : undefined);
  return steps;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** p50/p95/min/max per step over repeated runs (nearest-rank percentiles). */
export function stepStats(runs: readonly Step[][]): StepStats[] {
  const names = [...new Set(runs.flatMap((r) => r.map((s) => s.name)))];
  return names.map((name) => {
    const all = runs.map((r) => r.find((s) => s.name === name)).filter((s): s is Step => !!s);
    const ms = all
      .filter((s) => s.ok && s.ms !== undefined)
      .map((s) => s.ms!)
      .sort((a, b) => a - b);
    return {
      name,
      n: ms.length,
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      min: ms[0],
      max: ms.at(-1),
      failures: all.filter((s) => !s.ok && s.status !== 'skipped').length,
    };
  });
}
