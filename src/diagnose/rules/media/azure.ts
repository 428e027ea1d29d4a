import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { AZURE } from './codes.js';

const AZURE_HOST = /^wss?:\/\/[^/?#]*\.(?:openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)\b/i;

/** Azure OpenAI deployment errors: the error bodies in the log, or a Realtime upgrade refused with 404 by an Azure host. */
export const azureDeployment = defineRule({
  id: 'media.azure-deployment',
  codes: [AZURE.deploymentError],
  check(t) {
    const out: Finding[] = [];
    const said = t.ofKind('log.azure.deployment-error');
    if (said.length > 0) {
      const first = said[0]!.data;
      out.push(
        report(AZURE.deploymentError, { what: first.what, count: said.length, ...(first.exception ? { said: first.exception } : {}) }, said.slice(0, 3)),
      );
      return out;
    }
    // a refused upgrade (the log's WSServerHandshakeError) after the plugin logged an Azure URL
    const connecting = t.ofKind('log.openai.connecting').filter((e) => AZURE_HOST.test(e.data.url ?? ''));
    const refused = t.ofKind('probe.upgrade.response').filter((e) => e.source === 'log' && e.data.status === 404 && connecting.some((c) => c.t <= e.t));
    if (refused.length > 0) {
      const url = connecting.filter((c) => c.t <= refused[0]!.t).at(-1)!;
      out.push(
        report(AZURE.deploymentError, { what: 'realtime-404', count: refused.length, said: url.data.url!.replace(/([?&]api-key=)[^&]*/i, '$1…') }, [
          url,
          ...refused.slice(0, 2),
        ]),
      );
    }
    return out;
  },
});
