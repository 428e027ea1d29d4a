/**
 * Which Realtime endpoint a LiveKit agent talks to, and how: the WebSocket URL and the auth headers for
 * openai.com, Azure OpenAI (`RealtimeModel.with_azure`) and xAI (`livekit-plugins-xai`), built the way
 * LiveKit's own plugins build them. Pure: no I/O, no environment (the command resolves flags and env).
 *
 * References (read in the installed packages; line numbers of those files):
 * - Python livekit-agents 1.8.9 `livekit/agents/llm/_realtime/openai.py`: `with_azure` 585–747 (endpoint →
 *   `{endpoint.rstrip('/')}/openai` 709–716, api_version from the argument or OPENAI_API_VERSION 706),
 *   `process_base_url` 843–890 (Azure paths 857–864, query 872–882), `_create_ws_url_and_headers` 1123–1142
 *   (`Authorization: Bearer <entra>` and `api-key: <key>`, both when both are given).
 * - agents-js @livekit/agents-plugin-openai 1.9.0 `dist/realtime/realtime_model.js`: `withAzure` 174–224,
 *   `processBaseURL` 242–278, `createWsConn` 788–815 (entra token OR api-key: the token wins).
 * - livekit-plugins-xai (livekit/agents da6af86, plugin 1.7.0) `realtime/realtime_model.py`: XAI_BASE_URL
 *   `wss://api.x.ai/v1/realtime` 51, default model `grok-voice-latest` 53, voice "Ara" 72/94, XAI_API_KEY 83,
 *   voice/turn_detection moved to top-level session fields in `_wrap_session_update` 206–231.
 */
import { usageError } from '../errors.js';
import { DEFAULT_MODEL, OPENAI_DEFAULT_BASE_URL, realtimeUrl } from './realtime-url.js';

export const PROVIDERS = ['openai', 'azure', 'xai'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const XAI_BASE_URL = 'wss://api.x.ai/v1/realtime';
export const XAI_DEFAULT_MODEL = 'grok-voice-latest';
export const XAI_DEFAULT_VOICE = 'Ara';

/** Env names exactly as LiveKit's plugins read them. */
export const PROVIDER_ENV = {
  azureEndpoint: 'AZURE_OPENAI_ENDPOINT',
  azureApiKey: 'AZURE_OPENAI_API_KEY',
  apiVersion: 'OPENAI_API_VERSION',
  xaiApiKey: 'XAI_API_KEY',
} as const;

/** The day Azure retires the preview (api-version) Realtime protocol, as LiveKit's deprecation warning says. */
export const AZURE_PREVIEW_RETIRED = '2026-04-30';

export interface EndpointInput {
  provider: Provider;
  /** openai/xai: the model; azure: ignored (the deployment names the model). */
  model: string;
  apiKey?: string;
  /** openai/xai: the base URL; azure: an explicit base_url (instead of the endpoint), used as given. */
  baseUrl?: string;
  azureEndpoint?: string;
  azureDeployment?: string;
  apiVersion?: string;
  entraToken?: string;
}

/** The session shape the provider expects: xAI wants voice and turn_detection at the top of the session. */
export type SessionDialect = 'openai' | 'xai';

export interface Endpoint {
  provider: Provider;
  url: URL;
  headers: Record<string, string>;
  dialect: SessionDialect;
  /** Azure: 'ga' (/openai/v1/realtime?model=) or 'legacy' (api-version + deployment). */
  azureShape?: 'ga' | 'legacy';
}

function parse(raw: string, what: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw usageError(`invalid ${what}: ${JSON.stringify(raw)}`, 'Pass an absolute URL such as https://my-resource.openai.azure.com.');
  }
}

/**
 * with_azure's base URL: `{endpoint without trailing /}/openai`. An `api-version` in the endpoint is
 * removed first (Python pops it later, in process_base_url; appending `/openai` after a query, as the Python
 * string concatenation would, is not reproduced: that URL loses its /openai path).
 */
export function azureBaseUrl(endpoint: string): string {
  const url = parse(endpoint, 'Azure endpoint');
  url.searchParams.delete('api-version');
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/openai`;
  return url.toString();
}

/** Python `process_base_url(..., is_azure=True)`: the GA v1 path without api_version, the legacy path with it. */
export function azureRealtimeUrl(baseUrl: string, deployment: string | undefined, apiVersion: string | undefined): URL {
  const url = parse(baseUrl, 'Azure base URL');
  const scheme: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };
  const protocol = scheme[url.protocol];
  if (!protocol) throw usageError(`unsupported URL scheme ${url.protocol} in ${JSON.stringify(baseUrl)}`, 'Use https (or http for a local simulator).');
  const out = new URL(url.toString().replace(/^[a-z]+:/, protocol));
  const stripped = out.pathname.replace(/\/+$/, '');
  if (stripped === '' || stripped === '/openai') out.pathname = `${stripped}${apiVersion ? '/realtime' : '/v1/realtime'}`;
  else if (stripped === '/openai/v1') out.pathname = '/openai/v1/realtime';
  out.searchParams.delete('api-version');
  if (apiVersion) {
    out.searchParams.set('api-version', apiVersion);
    if (deployment) out.searchParams.set('deployment', deployment);
  } else if (deployment && !out.searchParams.has('model')) {
    out.searchParams.set('model', deployment);
  }
  return out;
}

/** Python `_create_ws_url_and_headers`: Bearer for openai.com and xAI; for Azure the Entra token and/or `api-key`. */
export function authHeaders(provider: Provider, apiKey: string | undefined, entraToken: string | undefined): Record<string, string> {
  if (provider !== 'azure') return apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
  const h: Record<string, string> = {};
  if (entraToken) h.Authorization = `Bearer ${entraToken}`;
  if (apiKey) h['api-key'] = apiKey;
  return h;
}

/** The URL and headers LiveKit's Python plugin would use for these inputs. */
export function resolveEndpoint(i: EndpointInput): Endpoint {
  const headers = authHeaders(i.provider, i.apiKey, i.entraToken);
  if (i.provider === 'azure') {
    if (!i.azureDeployment)
      throw usageError('--azure-deployment is required with --provider azure', 'Pass the deployment name from Azure AI Foundry (Deployments).');
    if (i.baseUrl && i.azureEndpoint) {
      throw usageError(
        '--base-url and --azure-endpoint are mutually exclusive',
        'Pass the resource endpoint (https://<resource>.openai.azure.com) as --azure-endpoint only.',
      );
    }
    const endpoint = i.baseUrl ?? i.azureEndpoint;
    if (!endpoint) {
      throw usageError(`the Azure endpoint is not set`, `Pass --azure-endpoint or set ${PROVIDER_ENV.azureEndpoint} (https://<resource>.openai.azure.com).`);
    }
    const base = i.baseUrl ?? azureBaseUrl(endpoint);
    return {
      provider: 'azure',
      url: azureRealtimeUrl(base, i.azureDeployment, i.apiVersion),
      headers,
      dialect: 'openai',
      azureShape: i.apiVersion ? 'legacy' : 'ga',
    };
  }
  if (i.provider === 'xai') return { provider: 'xai', url: realtimeUrl(i.baseUrl ?? XAI_BASE_URL, i.model || XAI_DEFAULT_MODEL), headers, dialect: 'xai' };
  return { provider: 'openai', url: realtimeUrl(i.baseUrl ?? OPENAI_DEFAULT_BASE_URL, i.model || DEFAULT_MODEL), headers, dialect: 'openai' };
}

/** Headers as they may be shown: names with the value's secret part replaced. */
export function shownHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = /^authorization$/i.test(k) ? v.replace(/^(Bearer\s+).*$/i, '$1***') : /^api-key$/i.test(k) ? '***' : v;
  }
  return out;
}
