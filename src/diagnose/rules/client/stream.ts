import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { attributeProblems, judgeRate, mimeMismatch, trackIdProblem } from './checks.js';
import type { ClientFacts } from './facts.js';
import { CLIENT } from './codes.js';
import { clientFacts } from './facts.js';

/** The stream's attributes and bytes against what livekit-agents reads. */
export const streamContent = defineRule({
  id: 'client.stream',
  codes: [CLIENT.missingTrackId, CLIENT.trackIdMismatch, CLIENT.badAttributes, CLIENT.rateUnconfirmed, CLIENT.mimeMismatch, CLIENT.silentBuffer],
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
    else out.push(...rateFindings(f));
    const c = f.checked;
    if (c && mimeMismatch(c))
      out.push(report(CLIENT.mimeMismatch, { mimeType: opened.data.mimeType, reads: c.data.mimeSays, format: c.data.format }, [opened, c]));
    else if (c?.data.decoded && c.data.speechMs === 0)
      out.push(report(CLIENT.silentBuffer, { durationMs: c.data.durationMs ?? 0, peakDbfs: c.data.peakDbfs }, [c]));
    return out;
  },
});

/** A raw PCM buffer's declared sampleRate against the rate it lines up with the live audio at. */
export function rateFindings(f: ClientFacts): Finding[] {
  const { opened, checked, rateFit, liveTimeout } = f;
  if (!opened || !checked?.data.decoded || checked.data.format !== 'raw' || checked.data.mimeSays !== 'pcm') return [];
  const declaredRate = Number(opened.data.attributes['sampleRate']);
  if (!rateFit) {
    if (!liveTimeout) return [];
    return [report(CLIENT.rateUnconfirmed, { declaredRate, reason: 'no-live-audio', bestCorrelation: null }, [opened, checked, liveTimeout])];
  }
  const v = judgeRate(rateFit);
  if (!v || v.verdict === 'ok') return [];
  if (v.verdict === 'unconfirmed')
    return [report(CLIENT.rateUnconfirmed, { declaredRate, reason: 'no-match', bestCorrelation: v.best.correlation }, [opened, rateFit])];
  const problems = [
    `sampleRate ${declaredRate} is not the rate of the bytes: read at ${v.best.rate} Hz they line up with the live microphone audio (correlation ${v.best.correlation}), at ${declaredRate} Hz they do not (${v.declared.correlation}); the agent plays them ${declaredRate > v.best.rate ? 'sped up' : 'slowed down'} ${(declaredRate / v.best.rate).toFixed(2)}x`,
  ];
  return [report(CLIENT.badAttributes, { problems, matchesRate: v.best.rate }, [opened, rateFit])];
}
