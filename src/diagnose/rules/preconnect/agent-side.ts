import { str } from '../../../format/index.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { PRECONNECT, type WaitCause } from './codes.js';
import { attempted, facts, injected, nodeAgent, preconnectCtx } from './facts.js';

/** What the agent's log says about the buffer. */
export const agentSide = defineRule({
  id: 'preconnect.agent',
  codes: [PRECONNECT.handlerRegisteredLate, PRECONNECT.noHandler, PRECONNECT.agentUnsupported, PRECONNECT.bufferTooOld, PRECONNECT.timeoutWaiting],
  check(t, ctx) {
    const f = facts(t);
    if (!attempted(t, f)) return [];
    const out: Finding[] = [];
    const ignored = t.ofKind('log.preconnect.ignored');
    const lateReg = t.ofKind('log.preconnect.registered-late');
    const node = nodeAgent(t);

    if (node && (f.sent || f.flagged || ignored.length)) {
      const ev: TraceEvent[] = [f.sent, node, ...ignored.filter((e) => e !== node)].filter((e) => e !== undefined);
      out.push(report(PRECONNECT.agentUnsupported, { dropped: ignored.length > 0 }, ev));
    }
    const pyIgnored = ignored.filter((e) => e.data.framework !== 'node');
    if (lateReg.length) {
      const consumed = !!f.pushed && preconnectCtx(ctx).transcriptMatched !== false; // as the outcome rule decides
      out.push(
        report(
          PRECONNECT.handlerRegisteredLate,
          { times: lateReg.length, dropped: pyIgnored.length > 0, stillUsed: consumed },
          [lateReg[0]!, ...pyIgnored, ...(f.pushed ? [f.pushed] : [])],
          consumed ? { severity: 'warning' } : {},
        ),
      );
    } else if (pyIgnored.length && !node) {
      out.push(report(PRECONNECT.noHandler, { ignored: pyIgnored.length }, pyIgnored));
    }
    for (const e of t.ofKind('log.preconnect.too-old')) {
      const dt = e.data.deltaTime;
      out.push(
        report(
          PRECONNECT.bufferTooOld,
          { ...(typeof dt === 'number' ? { deltaS: dt } : {}), snapshot: f.closed?.data.reason === 'snapshot' },
          [f.closed, e].filter((x) => x !== undefined),
        ),
      );
    }
    const timeouts = t.ofKind('log.preconnect.timeout');
    const firstTimeout = timeouts[0];
    if (firstTimeout) {
      const causes: WaitCause[] = [];
      if (t.has('log.preconnect.no-track-id')) causes.push({ kind: 'no-track-id' });
      if (lateReg.length || pyIgnored.length) causes.push({ kind: 'before-handler' });
      if (t.has('log.preconnect.not-completed')) causes.push({ kind: 'not-completed' });
      if (!causes.length && f.sent && !f.received) causes.push({ kind: 'unmatched', trackId: f.sent.data.trackId ? str(f.sent.data.trackId) : '' });
      if (!causes.length && f.received && f.received.t > firstTimeout.t)
        causes.push({ kind: 'late', afterMs: f.received.t - firstTimeout.t, injected: !!injected(t, 'delay-send') });
      if (!causes.length && !f.sent && !f.received)
        causes.push({ kind: 'none-arrived', logOnly: f.log && !t.events.some((e) => e.kind.startsWith('client.')) });
      out.push(report(PRECONNECT.timeoutWaiting, { times: timeouts.length, causes }, timeouts.slice(0, 10)));
    }
    return out;
  },
});
