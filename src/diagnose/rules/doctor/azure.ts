import { inRange } from '../../../doctor/ranges.js';
import { AZURE_GA_SHAPE } from '../../../facts/versions.js';
import type { Timeline } from '../../timeline.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { AZURE_SETUP } from './codes.js';
import { depOf, versionToJudge, where } from './shared.js';

/** `RealtimeModel.with_azure(...)` in the code: the ast parser names the constructor, the regex fallback has the line. */
const isWithAzure = (e: TraceEvent<'doctor.setup'>): boolean =>
  e.data['check'] === 'realtime-model' &&
  e.data['language'] === 'python' &&
  (Object.getOwnPropertyDescriptor(e.data, 'constructor')?.value === 'with_azure' || /\bwith_azure\s*\(/.test(String(e.data.snippet ?? '')));

/** The call passed api_version="2024-10-01-preview", which kept the beta shape on those versions (the beta-shape fact of the same call carries the value). */
const keepsBeta = (e: TraceEvent<'doctor.setup'>, facts: readonly TraceEvent<'doctor.setup'>[]): boolean =>
  facts.some(
    (f) =>
      f.data['check'] === 'beta-shape' &&
      f.data['construct'] === 'api_version' &&
      f.data.file === e.data.file &&
      f.data.line === e.data.line &&
      f.data['value'] === '2024-10-01-preview',
  );

/** The with_azure calls that send Azure the GA shape, and the plugin version that makes them do so (none when the version is outside the range). */
export function gaShapeCalls(t: Timeline): {
  calls: TraceEvent<'doctor.setup'>[];
  judged?: { e: TraceEvent<'doctor.dependency'>; v: { version: string; exact: boolean } };
} {
  const facts = t.ofKind('doctor.setup');
  const calls = facts.filter((e) => isWithAzure(e) && !keepsBeta(e, facts));
  if (calls.length === 0) return { calls: [] };
  const range = `>=${AZURE_GA_SHAPE.pyFrom} <${AZURE_GA_SHAPE.pyFixed}`;
  // the plugin's own version when the project names it, else livekit-agents' (they are released in lockstep)
  const deps = t.ofKind('doctor.dependency').filter((e) => e.data.ecosystem === 'python');
  const plugin = deps.filter((e) => e.data.package === 'livekit-plugins-openai');
  const judged = (plugin.length > 0 ? plugin : deps.filter((e) => e.data.package === 'livekit-agents'))
    .map((e) => ({ e, v: versionToJudge(depOf(e)) }))
    .find((x) => x.v && inRange('python', x.v.version, range) === true);
  return judged?.v ? { calls, judged: { e: judged.e, v: judged.v } } : { calls: [] };
}

/** with_azure on a livekit-plugins-openai that sends Azure the GA session shape (livekit/agents#3489). */
export const azureRealtime = defineRule({
  id: 'doctor.azure-realtime',
  codes: [AZURE_SETUP.azureGaShape],
  check(t) {
    const { calls, judged } = gaShapeCalls(t);
    if (!judged || calls.length === 0) return [];
    const out: Finding[] = [];
    const call = calls[0]!;
    out.push(
      report(
        AZURE_SETUP.azureGaShape,
        { at: `${where(call.data)}: ${String(call.data.snippet ?? '')}`, version: judged.v.version, exact: judged.v.exact, dependencyAt: where(judged.e.data) },
        [call, judged.e],
      ),
    );
    return out;
  },
});
