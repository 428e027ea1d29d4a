import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { lateStream, staleWait } from './checks.js';
import { CLIENT } from './codes.js';
import { clientFacts, MAX_SEAM_GAP_MS } from './facts.js';

/** The 3 s completion bound, the 1 s freshness rule, and the seam to the live audio. */
export const timing = defineRule({
  id: 'client.timing',
  codes: [CLIENT.notCompletedInTime, CLIENT.staleBuffer, CLIENT.seamGap],
  check(t) {
    const f = clientFacts(t);
    if (!f.opened) return [];
    const out: Finding[] = [];
    if (f.closed && lateStream(f.closed))
      out.push(report(CLIENT.notCompletedInTime, { openMs: f.closed.data.openMs, completed: f.closed.data.completed }, [f.opened, f.closed]));
    if (f.wait && staleWait(f.wait)) out.push(report(CLIENT.staleBuffer, { sinceHeaderMs: f.wait.data.sinceHeaderMs ?? 0 }, [f.opened, f.wait]));
    if (f.seam && f.seam.data.offsetMs > MAX_SEAM_GAP_MS)
      out.push(report(CLIENT.seamGap, { offsetMs: f.seam.data.offsetMs, correlation: f.seam.data.correlation, maxGapMs: MAX_SEAM_GAP_MS }, [f.seam]));
    return out;
  },
});
