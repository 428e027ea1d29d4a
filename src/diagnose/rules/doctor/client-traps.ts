import { inRange } from '../../../doctor/ranges.js';
import { JS_PUBLISH_OPTIONS_IGNORED } from '../../../facts/versions.js';
import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { MODEL_SETUP } from './codes.js';
import { depOf, versionToJudge, where } from './shared.js';

/**
 * Client code whose pre-connect call shape the installed livekit-client ignores: { preConnectBuffer: true } as the
 * third argument of setMicrophoneEnabled on livekit-client >= 2.15.4. Silent below that version (2.15.3 read it);
 * without any livekit-client dependency the finding says the version is unconfirmed.
 */
export const clientTraps = defineRule({
  id: 'doctor.client-traps',
  codes: [MODEL_SETUP.jsPreconnectPublishOptions],
  check(t) {
    const calls = t.ofKind('doctor.setup').filter((e) => e.data['check'] === 'preconnect-publish-options');
    if (!calls.length) return [];
    const deps = t.ofKind('doctor.dependency').filter((e) => e.data.ecosystem === 'node' && e.data.package === 'livekit-client');
    const judged = deps.map((e) => ({ e, v: versionToJudge(depOf(e)) }));
    const hit = judged.find((x) => x.v && inRange('node', x.v.version, `>=${JS_PUBLISH_OPTIONS_IGNORED.from}`) === true);
    if (deps.length && !hit) return [];
    const out: Finding[] = [];
    for (const call of calls) {
      const at = `${where(call.data)}: ${String(call.data['snippet'] ?? '')}`;
      out.push(
        hit?.v
          ? report(MODEL_SETUP.jsPreconnectPublishOptions, { at, version: hit.v.version, exact: hit.v.exact, dependencyAt: where(hit.e.data) }, [call, hit.e])
          : report(MODEL_SETUP.jsPreconnectPublishOptions, { at }, [call]),
      );
    }
    return out;
  },
});
