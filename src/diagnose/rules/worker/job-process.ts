import type { Timeline } from '../../timeline.js';
import type { EventOf, Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { JOB } from './codes.js';

/** A kill this long after "initializing process" is the initialisation timeout, not an ordinary shutdown. */
const MIN_INIT_WAIT_MS = 5_000;

/**
 * "killing process" for a process whose "initializing process" was logged, with no "process initialized"
 * for it in between, at least MIN_INIT_WAIT_MS later and not during a worker shutdown: the worker gave up
 * on its initialisation (livekit-agents logs the kill at INFO, without "initialization timed out").
 */
function killedInInit(t: Timeline): EventOf<'log.job.process'>[] {
  const steps = t.ofKind('log.job.process').filter((e) => e.data.pid !== undefined);
  const shutdown = t.first('log.worker.shutdown');
  const out: EventOf<'log.job.process'>[] = [];
  for (const kill of steps.filter((e) => e.data.step === 'killing')) {
    const pid = kill.data.pid;
    const mine = steps.filter((e) => e.data.pid === pid && e.t <= kill.t && e !== kill);
    const started = mine.filter((e) => e.data.step === 'initializing').at(-1);
    if (!started || mine.some((e) => e.data.step === 'initialized' && e.t >= started.t)) continue;
    if (kill.t - started.t < MIN_INIT_WAIT_MS || (shutdown && shutdown.t <= kill.t)) continue;
    out.push(kill);
  }
  return out;
}

/** How long after the kill of an inference process the worker may fail of it ("worker failed"). */
const WORKER_FAILED_WITHIN_MS = 10_000;

/**
 * The inference process killed, then the worker failed: livekit-agents ≥ 1.0 starts the inference executor
 * before the worker connects, and when it does not initialise within initialize_process_timeout the
 * supervisor kills it ("killing process" with inference: true) and raises TimeoutError("process
 * initialization timed out") out of the worker ("worker failed"). The kill comes first in the log (the
 * console layout's time of day has no milliseconds, so the lines' order decides, with a second of slack);
 * a "worker failed" on another exception (not a timeout) is not this.
 */
function inferenceKilledWorkerFailed(t: Timeline): EventOf<'log.job.process'>[] {
  const failed = t.ofKind('log.worker.failed').filter((f) => f.data.exception === undefined || /Timeout/i.test(f.data.exception));
  if (failed.length === 0) return [];
  const shutdown = t.first('log.worker.shutdown');
  return t
    .ofKind('log.job.process')
    .filter((k) => k.data.step === 'killing' && k.data.inference === true && (!shutdown || shutdown.t > k.t))
    .filter((k) => failed.some((f) => f.data.line > k.data.line && f.t >= k.t - 1_000 && f.t - k.t <= WORKER_FAILED_WITHIN_MS));
}

/** What the worker logged about its job processes: a blocked loop, kills, crashes, memory. */
export const jobProcess = defineRule({
  id: 'worker.job-process',
  codes: [JOB.eventLoopBlocked, JOB.processKilled, JOB.processCrashed, JOB.inferenceNotReady, JOB.memoryHigh],
  check(t) {
    const out: Finding[] = [];
    const blocked = t.ofKind('log.job.unresponsive');
    if (blocked.length > 0) {
      const tasks = blocked.filter((e) => e.data.what === 'task').map((e) => e.data.seconds ?? 0);
      const data = {
        unresponsive: blocked.filter((e) => e.data.what === 'executor').length,
        ...(tasks.length > 0 ? { longestTaskS: Math.max(...tasks) } : {}),
      };
      out.push(report(JOB.eventLoopBlocked, data, blocked.slice(0, 5)));
    }
    for (const why of ['unresponsive', 'memory'] as const) {
      const killed = t.ofKind('log.job.killed').filter((e) => e.data.why === why);
      if (killed.length > 0) out.push(report(JOB.processKilled, { why, count: killed.length }, killed.slice(0, 5)));
    }
    // job processes exit non-zero (255) when the worker drains or shuts down: not a crash
    const shutdown = t.first('log.worker.shutdown');
    const exited = t.ofKind('log.job.exited').filter((e) => !shutdown || e.t < shutdown.t);
    if (exited.length > 0) {
      const exitCode = exited.find((e) => e.data.exitCode !== undefined)?.data.exitCode;
      out.push(report(JOB.processCrashed, { ...(exitCode !== undefined ? { exitCode } : {}), count: exited.length }, exited.slice(0, 5)));
    }
    const init: Array<EventOf<'log.job.init-timeout'> | EventOf<'log.job.process'>> = [
      ...new Set([...t.ofKind('log.job.init-timeout'), ...killedInInit(t), ...inferenceKilledWorkerFailed(t)]),
    ];
    if (init.length > 0) {
      const inference = init.some((e) => e.data.inference === true);
      out.push(report(JOB.inferenceNotReady, { ...(inference ? { inference } : {}), count: init.length }, init.slice(0, 3)));
    }
    const high = t.ofKind('log.job.memory-high');
    if (high.length > 0) {
      // the record with the figures (a text copy of the same record may have none)
      const top = high.reduce((a, b) => ((b.data.memoryMb ?? -1) > (a.data.memoryMb ?? -1) ? b : a));
      const { memoryMb, warnMb, limitMb } = top.data;
      out.push(
        report(
          JOB.memoryHigh,
          { ...(memoryMb !== undefined ? { memoryMb } : {}), ...(warnMb !== undefined ? { warnMb } : {}), ...(limitMb !== undefined ? { limitMb } : {}) },
          [top],
        ),
      );
    }
    return out;
  },
});
