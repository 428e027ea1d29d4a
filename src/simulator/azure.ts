/**
 * Azure OpenAI's upgrade-time answers, for the `azure-*` scenarios. The Azure paths themselves need no
 * route of their own: the GA `/openai/v1/realtime?model=<deployment>` and the legacy
 * `/openai/realtime?api-version=…&deployment=…` both end in /realtime, and the `api-key` header is
 * accepted as the key (server.ts). What Azure answers, and where we learned it:
 * - OperationNotSupported: Azure's error body for a deployment whose model does not serve the operation
 *   ("The <op> operation does not work with the specified model, <model>. Please choose different model
 *   and try again. …", HTTP 400), as the issue brief and livekit/agents reports quote it.
 * - the redirect on an old URL shape (livekit/agents#5296 "LiveKit receives redirect from websocket"):
 *   the status and Location are not in the report; we answer 301 to a page that is not a WebSocket
 *   endpoint, so a client that follows redirects (aiohttp's ws_connect does) gets HTTP 200 there.
 * - the retired preview protocol (api-version after 2026-04-30): Azure's exact answer is unconfirmed; we
 *   answer 404 {"error":{"code":"404","message":"Resource not found"}}, Azure's answer for a path or
 *   api-version it does not serve.
 */
import type { Scenario } from './scenarios.js';

export const AZURE_SCENARIOS: ReadonlyArray<{ name: AzureScenarioName; description: string }> = [
  {
    name: 'azure-redirect',
    description:
      'Azure: an upgrade on any path but the GA /openai/v1/realtime is answered 301 to a page that is not a WebSocket endpoint (the old URL shape on a GA deployment, livekit/agents#5296); a client following it gets HTTP 200.',
  },
  {
    name: 'azure-operation-not-supported',
    description:
      'Azure: refuse the upgrade with HTTP 400 OperationNotSupported "The realtime operation does not work with the specified model, …" (a deployment that is not a realtime model).',
  },
  {
    name: 'azure-preview-retired',
    description:
      'Azure: refuse an upgrade that carries api-version (the preview protocol, retired 2026-04-30) with HTTP 404 "Resource not found" (Azure\'s exact answer is unconfirmed).',
  },
  {
    name: 'azure-server-error',
    description:
      'Azure: every response fails (response.done status failed) with error type server_error and Azure\'s message ("… contact us through our help center at aoai-realtimeapi-dri@microsoft.com …"), livekit/agents#6040, #1972.',
  },
];

export type AzureScenarioName = 'azure-redirect' | 'azure-operation-not-supported' | 'azure-preview-retired' | 'azure-server-error';

/** Where the redirect points: answered 200 text/html (a page, not a WebSocket endpoint). */
export const AZURE_REDIRECT_TARGET = '/openai/realtime-preview-migration';

export const AZURE_MESSAGES = {
  operationNotSupported: (model: string) =>
    `The realtime operation does not work with the specified model, ${model}. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.`,
  serverError: (session: string) =>
    `The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at aoai-realtimeapi-dri@microsoft.com if the error persists. (Please include the session ID ${session} in your message.)`,
};

export interface UpgradeAnswer {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

const azureError = (code: string, message: string) => JSON.stringify({ error: { code, message } });

/** An Azure OpenAI Realtime path (GA `/openai/v1/realtime` or legacy `/openai/realtime`): the model is a deployment name. */
export function isAzurePath(path: string): boolean {
  return /(?:^|\/)openai\/(?:v1\/)?realtime\/?$/.test(path);
}

/** The deployment a request names: `model` (GA) or `deployment` (legacy). */
export function deploymentOf(url: URL): string | null {
  return url.searchParams.get('model') ?? url.searchParams.get('deployment');
}

/** The answer an `azure-*` scenario gives this upgrade instead of a session, or null for a session. */
export function azureUpgradeAnswer(url: URL, path: string, scenarios: readonly Scenario[]): UpgradeAnswer | null {
  const on = new Set(scenarios.map((s) => s.name));
  const stripped = path.replace(/\/+$/, '');
  if (stripped.endsWith(AZURE_REDIRECT_TARGET)) {
    return { status: 200, contentType: 'text/html', body: '<html><body>Azure OpenAI Realtime: use /openai/v1/realtime</body></html>' };
  }
  if (on.has('azure-redirect') && !stripped.endsWith('/openai/v1/realtime')) {
    return { status: 301, body: '', headers: { location: AZURE_REDIRECT_TARGET } };
  }
  if (on.has('azure-preview-retired') && url.searchParams.has('api-version')) {
    return { status: 404, body: azureError('404', 'Resource not found') };
  }
  if (on.has('azure-operation-not-supported')) {
    return { status: 400, body: azureError('OperationNotSupported', AZURE_MESSAGES.operationNotSupported(deploymentOf(url) ?? 'gpt-4o')) };
  }
  return null;
}
