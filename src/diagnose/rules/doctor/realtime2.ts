import { inRange } from '../../../doctor/ranges.js';
import { MULTI_MESSAGE } from '../../../facts/versions.js';
import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { MODEL_SETUP } from './codes.js';
import { depOf, versionToJudge, where } from './shared.js';

/** The framework package of each language and the first version that plays every message of a response. */
const FRAMEWORK = {
  python: { pkg: 'livekit-agents', fixed: MULTI_MESSAGE.pyFixed, languages: ['python'] },
  node: { pkg: '@livekit/agents', fixed: MULTI_MESSAGE.jsFixed, languages: ['typescript', 'javascript'] },
} as const;

/** A gpt-realtime-2 model on a framework version that drops a response's second message item (livekit/agents#5684). */
export const realtime2 = defineRule({
  id: 'doctor.realtime-2',
  codes: [MODEL_SETUP.preambleDropped],
  check(t) {
    const out: Finding[] = [];
    const models = t.ofKind('doctor.setup').filter((e) => e.data['check'] === 'realtime-2-model');
    for (const ecosystem of ['python', 'node'] as const) {
      const { pkg, fixed, languages } = FRAMEWORK[ecosystem];
      const model = models.find((e) => (languages as readonly string[]).includes(String(e.data['language'])));
      if (!model) continue;
      const judged = t
        .ofKind('doctor.dependency')
        .filter((e) => e.data.ecosystem === ecosystem && e.data.package === pkg)
        .map((e) => ({ e, v: versionToJudge(depOf(e)) }))
        .find((x) => x.v && inRange(ecosystem, x.v.version, `<${fixed}`) === true);
      if (!judged?.v) continue;
      out.push(
        report(
          MODEL_SETUP.preambleDropped,
          {
            at: `${where(model.data)}: ${String(model.data.snippet ?? '')}`,
            model: String(model.data['model']),
            pkg,
            version: judged.v.version,
            exact: judged.v.exact,
            dependencyAt: where(judged.e.data),
          },
          [model, judged.e],
        ),
      );
    }
    return out;
  },
});
