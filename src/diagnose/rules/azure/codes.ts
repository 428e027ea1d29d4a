import { AZURE_GA_URL, atLeast } from '../../../facts/versions.js';
import { AZURE_PREVIEW_RETIRED } from '../../../protocol/providers.js';
import { defineCode } from '../kit.js';

export interface AzureRedirectData {
  status: number;
  location?: string;
  /** The URL the upgrade went to. */
  url?: string;
  /** Only a log's "WSServerHandshakeError: 200" (a followed redirect) says so. */
  unconfirmed?: boolean;
}
export interface AzureOperationData {
  said: string;
  count: number;
}
export interface AzurePreviewData {
  /** The api-version the URL carried. */
  apiVersion?: string;
  /** The upgrade was refused (else: the plugin warned, or the legacy shape still answered). */
  refused: boolean;
  status?: number;
}
export interface AzureServerErrorData {
  failed: number;
  completed: number;
}

/** The day Azure retires the preview (api-version) protocol (protocol/providers.ts). */
export const AZURE_RETIRED = AZURE_PREVIEW_RETIRED;

/** Azure OpenAI Realtime findings (probe-openai --provider azure, the simulator's azure-* scenarios, the agent log). */
export const AZURE_REALTIME = {
  redirect: defineCode<AzureRedirectData>({
    code: 'azure/realtime-redirect',
    severity: 'error',
    exit: 3,
    title: 'Azure answered the Realtime upgrade with a redirect',
    cause: `An old URL shape on a GA Realtime deployment: /openai/realtime?[api-version=…&]deployment=… (every Azure URL of livekit-agents before ${AZURE_GA_URL.pyFixed}, or any with an api_version) instead of the GA /openai/v1/realtime?model=<deployment>. Azure redirects instead of upgrading (${AZURE_GA_URL.issue}); aiohttp follows the redirect and then fails with 'WSServerHandshakeError: 200' on a page that is not a WebSocket endpoint.`,
    evidence:
      'a 3xx answer (with its Location) to the upgrade; in a log, WSServerHandshakeError with status 200 after "connecting to Realtime API: wss://…azure…".',
    fix: `Upgrade livekit-agents / livekit-plugins-openai to ${atLeast(AZURE_GA_URL.pyFixed)} (${AZURE_GA_URL.fix}: the GA /openai/v1/realtime?model=<deployment> URL; agents-js #1243) and drop api_version (and OPENAI_API_VERSION), which keeps the old /openai/realtime URL.`,
    detail: (d) =>
      `${d.unconfirmed ? 'Unconfirmed: the upgrade ended on HTTP 200 (a followed redirect, most likely)' : `HTTP ${d.status} on the upgrade${d.location ? ` → ${d.location}` : ''}`}${d.url ? ` (${d.url})` : ''}.`,
  }),
  operationNotSupported: defineCode<AzureOperationData>({
    code: 'azure/operation-not-supported',
    severity: 'error',
    exit: 3,
    title: 'The Azure deployment is not a realtime model',
    cause:
      'The deployment named by azure_deployment runs a model that does not serve the realtime operation (a chat or audio model such as gpt-4o, not gpt-realtime / gpt-4o-realtime-preview); Azure refuses the upgrade with HTTP 400 OperationNotSupported.',
    evidence: '"OperationNotSupported" / "The realtime operation does not work with the specified model" in the upgrade answer or the log.',
    fix: "Deploy a realtime model (gpt-realtime, gpt-realtime-mini) in Azure AI Foundry and pass that deployment's name as azure_deployment.",
    detail: (d) => `Azure: ${d.said}${d.count > 1 ? ` (${d.count} times)` : ''}`,
  }),
  previewRetired: defineCode<AzurePreviewData>({
    code: 'azure/preview-retired',
    severity: 'error',
    exit: 3,
    title: "Azure's preview Realtime protocol (api-version) is retired",
    cause: `An api_version (or OPENAI_API_VERSION) makes with_azure use the preview URL /openai/realtime?api-version=…&deployment=… and the beta event shape; Azure retires that protocol on ${AZURE_RETIRED} (LiveKit's own deprecation warning says so). What Azure answers after that date is not confirmed here; a refused upgrade on that URL is the likely result.`,
    evidence:
      'an upgrade refused on a URL carrying api-version (at or after the retirement date); or the plugin\'s "api_version … is deprecated and will be removed on April 30, 2026" warning (a warning).',
    fix: 'Remove api_version from with_azure (and unset OPENAI_API_VERSION): the plugin then uses the GA /openai/v1/realtime?model=<deployment> URL.',
    detail: (d) =>
      d.refused
        ? `The upgrade on the preview URL${d.apiVersion ? ` (api-version ${d.apiVersion})` : ''} was refused${d.status ? ` with HTTP ${d.status}` : ''}.`
        : `The agent uses the preview protocol${d.apiVersion ? ` (api-version ${d.apiVersion})` : ''}, retired on ${AZURE_RETIRED}.`,
  }),
  serverErrorLoop: defineCode<AzureServerErrorData>({
    code: 'azure/server-error-loop',
    severity: 'error',
    title: 'Azure fails every response with server_error',
    cause:
      "Every response.create is answered with response.done status failed, error type server_error (Azure's message names aoai-realtimeapi-dri@microsoft.com): a deployment-side fault, not the request (livekit/agents#6040). LiveKit treats server_error as recoverable and keeps asking, so the agent stays silent.",
    evidence: 'response.done failed with server_error on an Azure endpoint (its message names aoai-realtimeapi-dri@microsoft.com), and no response completed.',
    fix: "Retry later or on another deployment/region; if it persists, open a support request with Azure quoting the session id in the error message. Check the deployment's model version and quota in Azure AI Foundry.",
    detail: (d) => `${d.failed} responses failed with server_error, ${d.completed} completed.`,
  }),
};
