import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { attributeProblems, mimeMismatch, trackIdProblem } from './checks.js';
import { CLIENT } from './codes.js';
import { clientFacts } from './facts.js';

/** The stream's attributes and bytes against what livekit-agents reads. */
export const streamContent = defineRule({
  id: 'client.stream',
  codes: [CLIENT.missingTrackId, CLIENT.trackIdMismatch, CLIENT.badAttributes, CLIENT.mimeMismatch, CLIENT.silentBuffer],
  check(t) {
    const f = clientFacts(t);
    const opened = f.opened;
    if (!opened) return [];
    const out: Finding[] = [];
    const trackId = opened.data.attributes['trackId'];
    const micSid = f.mic?.data.trackSid ?? '(unknown)';
    const idProblem = trackIdProblem(f);
    const idEvidence = [opened, ...(f.mic ? [f.mic] : [])];
    if (idProblem === 'missing') out.push(report(CLIENT.missingTrackId, { trackId: trackId ?? null, micSid }, idEvidence));
    if (idProblem === 'mismatch') out.push(report(CLIENT.trackIdMismatch, { trackId: trackId ?? null, micSid }, idEvidence));
    const problems = attributeProblems(opened);
    if (problems.length > 0) out.push(report(CLIENT.badAttributes, { problems }, [opened]));
    const c = f.checked;
    if (c && mimeMismatch(c))
      out.push(report(CLIENT.mimeMismatch, { mimeType: opened.data.mimeType, reads: c.data.mimeSays, format: c.data.format }, [opened, c]));
    else if (c?.data.decoded && c.data.speechMs === 0)
      out.push(report(CLIENT.silentBuffer, { durationMs: c.data.durationMs ?? 0, peakDbfs: c.data.peakDbfs }, [c]));
    return out;
  },
});
