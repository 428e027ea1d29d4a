import type { Timeline } from '../../timeline.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { AZURE_REALTIME, AZURE_RETIRED } from './codes.js';

const AZURE_HOST = /^wss?:\/\/[^/?#]*\.(?:openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)(?::\d+)?(?:[/?#]|$)/i;
const AZURE_PATH = /^wss?:\/\/[^/?#]+(?:\/[^?#]*)?\/openai\/(?:v1\/)?realtime(?:[/?#]|$)/i;
const RETIRED_AT = Date.parse(`${AZURE_RETIRED}T00:00:00Z`);

/** An Azure OpenAI Realtime URL: an Azure host, or the /openai/(v1/)realtime path Azure uses. */
export const isAzureUrl = (url: string | undefined): boolean => !!url && (AZURE_HOST.test(url) || AZURE_PATH.test(url));

/** The URLs the client (probe or plugin) connected to, with when. */
export function azureConnects(t: Timeline): Array<{ e: TraceEvent; url: string }> {
  const probe = t.ofKind('probe.upgrade.request').map((e) => ({ e: e as TraceEvent, url: e.data.url }));
  const log = t.ofKind('log.openai.connecting').map((e) => ({ e: e as TraceEvent, url: e.data.url ?? '' }));
  return [...probe, ...log].filter((c) => isAzureUrl(c.url)).sort((a, b) => a.e.t - b.e.t);
}

const apiVersionOf = (url: string): string | undefined => {
  try {
    return new URL(url).searchParams.get('api-version') ?? undefined;
  } catch {
    return undefined;
  }
};

const OPERATION = /OperationNotSupported|The realtime operation does not work with the specified model[^"'}\n]*/;

/** Findings for one refused (or redirected) upgrade after an Azure connect. */
function refusal(e: TraceEvent<'probe.upgrade.response'>, url: string): Finding[] {
  const { status, body = '', location } = e.data;
  if (status >= 300 && status < 400) return [report(AZURE_REALTIME.redirect, { status, ...(url ? { url } : {}), ...(location ? { location } : {}) }, [e])];
  if (status === 200 && e.source === 'log') {
    return [report(AZURE_REALTIME.redirect, { status, ...(url ? { url } : {}), unconfirmed: true }, [e], { severity: 'warning' })];
  }
  if (OPERATION.test(body)) {
    const said = /"message"\s*:\s*"([^"]+)"/.exec(body)?.[1] ?? OPERATION.exec(body)![0];
    return [report(AZURE_REALTIME.operationNotSupported, { said, count: 1 }, [e])];
  }
  const apiVersion = apiVersionOf(url);
  if (apiVersion && (status === 400 || status === 404) && e.t >= RETIRED_AT)
    return [report(AZURE_REALTIME.previewRetired, { apiVersion, refused: true, status }, [e])];
  return [];
}

/** The log's own words: OperationNotSupported, the api_version deprecation warning. */
function fromLog(t: Timeline, already: Set<string>): Finding[] {
  const out: Finding[] = [];
  const said = t.ofKind('log.azure.realtime-error');
  const op = said.filter((e) => e.data.what === 'operation-not-supported');
  if (op.length > 0 && !already.has(AZURE_REALTIME.operationNotSupported.code)) {
    out.push(report(AZURE_REALTIME.operationNotSupported, { said: op[0]!.data.said ?? op[0]!.data.message, count: op.length }, op.slice(0, 3)));
  }
  const dep = said.filter((e) => e.data.what === 'api-version-deprecated');
  if (dep.length > 0 && !already.has(AZURE_REALTIME.previewRetired.code)) {
    out.push(report(AZURE_REALTIME.previewRetired, { refused: false }, dep.slice(0, 1), { severity: 'warning' }));
  }
  return out;
}

/** Azure's answers to the Realtime upgrade: a redirect, OperationNotSupported, the retired preview protocol. */
export const azureUpgrade = defineRule({
  id: 'azure.upgrade',
  codes: [AZURE_REALTIME.redirect, AZURE_REALTIME.operationNotSupported, AZURE_REALTIME.previewRetired],
  check(t) {
    const connects = azureConnects(t);
    const out: Finding[] = [];
    for (const e of t.ofKind('probe.upgrade.response')) {
      const c = connects.filter((x) => x.e.t <= e.t).at(-1);
      // a log's HTTP 200 on the Realtime upgrade is a followed redirect whatever the URL (unconfirmed: a warning)
      const followed = e.source === 'log' && e.data.status === 200;
      if ((!c && !followed) || e.data.status === 101) continue;
      out.push(...refusal(e, c?.url ?? ''));
    }
    const codes = new Set(out.map((f) => f.code));
    out.push(...fromLog(t, codes));
    // the preview URL answered (a session), after the retirement date: it still works here, but not for long
    const accepted = t.ofKind('probe.upgrade.response').find((e) => e.data.status === 101);
    const preview = connects.find((c) => apiVersionOf(c.url) && c.e.source === 'probe');
    if (accepted && preview && !codes.has(AZURE_REALTIME.previewRetired.code) && !out.some((f) => f.code === AZURE_REALTIME.previewRetired.code)) {
      out.push(report(AZURE_REALTIME.previewRetired, { apiVersion: apiVersionOf(preview.url), refused: false }, [preview.e], { severity: 'warning' }));
    }
    return out;
  },
});
