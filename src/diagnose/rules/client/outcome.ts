import { defineRule, report } from '../kit.js';
import { attributeProblems, lateStream, mimeMismatch, staleWait, trackIdProblem } from './checks.js';
import { CLIENT } from './codes.js';
import { clientFacts } from './facts.js';

/** The buffer passed every check the other client/* rules make. */
export const outcome = defineRule({
  id: 'client.outcome',
  codes: [CLIENT.bufferOk],
  check(t) {
    const f = clientFacts(t);
    const { opened, closed, checked, mic } = f;
    if (!opened || !closed || !checked || !mic) return [];
    const ok =
      opened.data.receiverRole === 'agent' &&
      !opened.data.dropped &&
      mic.data.preconnectFlag &&
      !trackIdProblem(f) &&
      attributeProblems(opened).length === 0 &&
      !mimeMismatch(checked) &&
      checked.data.decoded &&
      !lateStream(closed) &&
      !(f.wait && staleWait(f.wait));
    if (!ok) return [];
    const data = {
      format: checked.data.format,
      durationMs: checked.data.durationMs,
      speechMs: checked.data.speechMs,
      openMs: closed.data.openMs,
      seamMs: f.seam?.data.offsetMs ?? null,
    };
    return [report(CLIENT.bufferOk, data, [opened, checked, closed, ...(f.seam ? [f.seam] : [])])];
  },
});
