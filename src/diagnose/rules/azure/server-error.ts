import type { Finding } from '../../types.js';
import { responseOf } from '../../timeline.js';
import { defineRule, report } from '../kit.js';
import { AZURE_REALTIME } from './codes.js';
import { azureConnects } from './upgrade.js';

const errorTypeOf = (details: unknown): string | undefined => {
  const err = details && typeof details === 'object' ? (details as { error?: { type?: unknown; message?: unknown } }).error : undefined;
  return typeof err?.type === 'string' ? err.type : undefined;
};
const messageOf = (details: unknown): string => {
  const err = details && typeof details === 'object' ? (details as { error?: { message?: unknown } }).error : undefined;
  return typeof err?.message === 'string' ? err.message : '';
};

/** Every response failed with server_error on Azure (livekit/agents#6040): the deployment, not the request. */
export const azureServerErrorLoop = defineRule({
  id: 'azure.server-error-loop',
  codes: [AZURE_REALTIME.serverErrorLoop],
  check(t) {
    const done = t.openai('response.done', 'server');
    const failed = done.filter((e) => {
      const r = responseOf(e);
      return r?.status === 'failed' && errorTypeOf(r.status_details) === 'server_error';
    });
    const completed = done.filter((e) => responseOf(e)?.status === 'completed').length;
    if (failed.length === 0 || completed > 0) return [];
    const azure = azureConnects(t).length > 0 || failed.some((e) => /aoai-realtimeapi/i.test(messageOf(responseOf(e)?.status_details)));
    if (!azure) return [];
    const out: Finding[] = [report(AZURE_REALTIME.serverErrorLoop, { failed: failed.length, completed }, failed.slice(0, 3))];
    return out;
  },
});
