/**
 * Azure OpenAI's answers when the deployment or the path does not exist, as they reach an agent's log through
 * the openai SDK (`openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message':
 * 'The API deployment for this resource does not exist. …'}}`) or a plugin's retry line: Azure's own error
 * bodies (code DeploymentNotFound; code '404' "Resource not found" for a path or api-version it does not serve).
 */
import type { Extras, Rule } from '../table-kit.js';

const NOT_FOUND = /DeploymentNotFound|The API deployment for this resource does not exist/;
const RESOURCE = /['"]code['"]:\s*['"]404['"],\s*['"]message['"]:\s*['"]Resource not found['"]/;

/** The line of the text that says it (the exception line, or the message). */
function sayingLine(text: string, re: RegExp): string | undefined {
  return text
    .split('\n')
    .find((l) => re.test(l))
    ?.trim()
    .slice(0, 600);
}

export function azureFact(text: string): Extras<'log.azure.deployment-error'> | undefined {
  const nf = NOT_FOUND.test(text);
  if (!nf && !RESOURCE.test(text)) return undefined;
  const exception = sayingLine(text, nf ? NOT_FOUND : RESOURCE);
  const status = /Error code: (\d{3})\b/.exec(exception ?? '')?.[1];
  return { what: nf ? 'deployment-not-found' : 'resource-not-found', exception, status: status ? Number(status) : nf ? 404 : undefined };
}

/**
 * Azure Realtime wordings (log.azure.realtime-error):
 * - the preview-protocol deprecation warnings, verbatim from livekit-agents 1.8.9 _realtime/openai.py 492–498
 *   (RealtimeModel), 689–697 (with_azure) and agents-js 1.9.0 realtime_model.js 198–200 (withAzure);
 * - Azure's OperationNotSupported answer for a deployment whose model has no realtime operation.
 */
const DEPRECATED =
  /The `api_version` parameter(?: in `with_azure`)? is deprecated and will be removed|The OPENAI_API_VERSION environment variable is deprecated and will be removed|The `apiVersion` parameter for Azure OpenAI Realtime is deprecated/;
const OPERATION = /OperationNotSupported|The realtime operation does not work with the specified model/;

export const AZURE_TABLE: Rule[] = [
  { kind: 'log.azure.realtime-error', re: DEPRECATED, extras: (r) => ({ what: 'api-version-deprecated', said: sayingLine(r.message, DEPRECATED) }) },
  { kind: 'log.azure.realtime-error', re: OPERATION, extras: (r) => ({ what: 'operation-not-supported', said: sayingLine(r.message, OPERATION) }) },
  { kind: 'log.azure.deployment-error', re: NOT_FOUND, extras: (r) => azureFact(r.message) ?? { what: 'deployment-not-found' } },
  { kind: 'log.azure.deployment-error', re: RESOURCE, extras: (r) => azureFact(r.message) ?? { what: 'resource-not-found' } },
];
