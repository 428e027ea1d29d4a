import { str } from '../../../format/index.js';
import type { TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { PRECONNECT, type MisreadHint, type NotUsedReason, type Unconfirmed } from './codes.js';
import { attempted, facts, injected, preconnectCtx, type Facts, type PreconnectContext } from './facts.js';

/** What proves, without a transcript, that pushed audio was misread: the attributes do not describe the PCM. */
function misreadEvidence(f: Facts, agentSeconds: unknown): MisreadHint[] {
  const opened = f.sent?.data;
  const sentMs = Number(f.closed?.data.audioMs);
  const hints: MisreadHint[] = [];
  if (String(opened?.channels) === '2') hints.push({ kind: 'stereo' });
  if (typeof agentSeconds === 'number' && sentMs > 0 && Math.abs(agentSeconds * 1000 - sentMs) / sentMs > 0.1) {
    hints.push({ kind: 'sample-rate', agentS: agentSeconds, sentS: sentMs / 1000, sampleRate: str(opened?.sampleRate) });
  }
  return hints;
}

function unconfirmed(pc: PreconnectContext, f: Facts): Unconfirmed {
  if (pc.unsettled) return { kind: 'unsettled', unsettled: pc.unsettled, ...(pc.bufferedMs !== undefined ? { bufferedMs: pc.bufferedMs } : {}), log: f.log };
  return f.log ? { kind: 'no-debug-lines' } : { kind: 'no-log' };
}

/** Whether the agent used the buffer: consumed (info) or not (error), from the log or the transcript. */
export const outcome = defineRule({
  id: 'preconnect.outcome',
  codes: [PRECONNECT.consumed, PRECONNECT.notConsumed],
  check(t, ctx) {
    const f = facts(t);
    if (!attempted(t, f)) return [];
    const pc = preconnectCtx(ctx);
    if (f.pushed) {
      const dur = f.pushed.data.duration ?? f.received?.data.duration;
      const durationS = typeof dur === 'number' ? { durationS: dur } : {};
      const used = [f.sent, f.received, f.pushed].filter((e) => e !== undefined);
      const misread = misreadEvidence(f, dur);
      if (pc.transcriptMatched === false || (misread.length > 0 && pc.transcriptMatched !== true)) {
        // Pushed, yet its words were not heard: the agent read the bytes with the wrong format.
        return [report(PRECONNECT.notConsumed, { via: 'misread', ...durationS, transcriptSettled: pc.transcriptMatched === false, hints: misread }, used)];
      }
      return [report(PRECONNECT.consumed, { via: 'pushed', ...durationS }, used)];
    }
    const buffer: TraceEvent[] = [f.sent, f.closed].filter((e) => e !== undefined);
    if (pc.transcriptMatched === true && f.failures.length === 0) {
      return [report(PRECONNECT.consumed, { via: 'transcript', log: f.log }, buffer)];
    }
    // A buffer existed only if the client sent one or the agent saw one (a bare timeout proves neither).
    const arrived = f.failures.some((e) => e.kind !== 'log.preconnect.timeout');
    if (!f.sent && !f.received && !arrived) return []; // only a flag: the timeout rule speaks if the agent waited
    const reasons: NotUsedReason[] = [];
    if (f.failures.length) reasons.push({ kind: 'logged', messages: [...new Set(f.failures.map((e) => str(e.data.message) || e.kind))] });
    const gaveUp = t.first('log.preconnect.timeout');
    if (f.received && gaveUp && gaveUp.t < f.received.t) reasons.push({ kind: 'arrived-late', afterMs: f.received.t - gaveUp.t });
    else if (f.received) reasons.push({ kind: 'not-pushed' });
    if (pc.transcriptMatched === false) reasons.push({ kind: 'transcript-missing' });
    const active = t.first('client.agent.active');
    const early = f.sent && (!active || f.sent.t < active.t) ? f.sent : undefined;
    if (early && (reasons.length || pc.transcriptMatched === false)) reasons.push({ kind: 'before-active', injected: !!injected(t, 'send-before-active') });
    if (f.sent && !f.received && f.debugLog && !f.failures.length) reasons.push({ kind: 'never-arrived' });
    const evidence = [...buffer, ...(f.received ? [f.received] : []), ...f.failures];
    if (reasons.length) return [report(PRECONNECT.notConsumed, { via: 'reasons', reasons }, evidence)];
    // Sent, and nothing says whether it was used: unconfirmed, never an error.
    return [report(PRECONNECT.notConsumed, { via: 'unconfirmed', why: unconfirmed(pc, f) }, evidence, { severity: 'warning' })];
  },
});
