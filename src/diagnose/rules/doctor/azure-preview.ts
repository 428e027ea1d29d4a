/**
 * Azure OpenAI Realtime setup checks: the retired preview protocol (api_version / OPENAI_API_VERSION) and a
 * deployment that is not (or does not look like) the realtime model the code names.
 */
import { AZURE_PREVIEW_RETIRED } from '../../../protocol/providers.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineCode, defineRule, report } from '../kit.js';
import { where } from './shared.js';

export interface AzurePreviewSetupData {
  at: string;
  via: 'api_version' | 'apiVersion' | 'OPENAI_API_VERSION';
  value?: string;
}
export interface AzureDeploymentModelData {
  at: string;
  deployment: string;
  model?: string;
  /** The deployment name is a non-realtime model's name. */
  notRealtime: boolean;
}

export const AZURE_PREVIEW_SETUP = {
  previewRetired: defineCode<AzurePreviewSetupData>({
    code: 'setup/azure-preview-retired',
    severity: 'warning',
    title: "The agent uses Azure's retired preview Realtime protocol (api_version)",
    cause: `An api_version (with_azure(api_version=…), withAzure({ apiVersion }), or OPENAI_API_VERSION, which with_azure reads) makes LiveKit use the preview URL /openai/realtime?api-version=…&deployment=… and the beta event shape. Azure retires that protocol on ${AZURE_PREVIEW_RETIRED}; LiveKit logs "The \`api_version\` parameter … is deprecated and will be removed on April 30, 2026."`,
    evidence: 'api_version / apiVersion on with_azure or RealtimeModel in the agent code, or OPENAI_API_VERSION in a .env file.',
    fix: 'Drop api_version (and OPENAI_API_VERSION): with_azure then uses the GA v1 URL /openai/v1/realtime?model=<deployment> (livekit-agents and @livekit/agents-plugin-openai versions with Azure GA support, livekit/agents#5407, agents-js #1243).',
    detail: (d) => `${d.at} sets ${d.via}${d.value ? ` = ${d.value}` : ''}: the preview protocol, retired on ${AZURE_PREVIEW_RETIRED}.`,
  }),
  deploymentModel: defineCode<AzureDeploymentModelData>({
    code: 'setup/azure-deployment-model',
    severity: 'warning',
    title: 'The Azure deployment and the model the code names disagree',
    cause:
      'On Azure the deployment decides the model: with_azure sends azure_deployment as the URL\'s model (GA) or deployment (legacy), and a `model` argument is not sent. A deployment named like a non-realtime model (gpt-4o, gpt-4o-mini, gpt-4.1…) is most likely one: Azure refuses the upgrade with HTTP 400 OperationNotSupported "The realtime operation does not work with the specified model".',
    evidence: 'azure_deployment / azureDeployment and model in the same call that disagree, or a deployment named like a chat model.',
    fix: 'Pass the name of a deployment of a realtime model (gpt-realtime, gpt-realtime-mini) from Azure AI Foundry → Deployments as azure_deployment; drop the model argument (Azure ignores it).',
    detail: (d) =>
      d.notRealtime
        ? `${d.at}: the deployment "${d.deployment}" is named like a model without the realtime operation (expect OperationNotSupported).`
        : `${d.at}: model "${d.model}" is not sent to Azure; the deployment "${d.deployment}" decides the model.`,
  }),
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
/** Model names Azure serves without the realtime operation (chat / reasoning / audio-preview models). */
const NOT_REALTIME = /^(?:gpt-(?:4o|4\.1|4|5(?:\.\d)?|35-turbo|3\.5-turbo)(?:-mini|-nano|-turbo)?|o\d(?:-mini)?)$/i;

function deploymentFinding(e: TraceEvent<'doctor.setup'>): Finding | undefined {
  const deployment = str(e.data['deployment']);
  if (!deployment) return undefined;
  const model = str(e.data['model']);
  const notRealtime = NOT_REALTIME.test(deployment);
  if (!notRealtime && (!model || model === deployment)) return undefined;
  return report(
    AZURE_PREVIEW_SETUP.deploymentModel,
    { at: `${where(e.data)}: ${String(e.data.snippet ?? '')}`, deployment, ...(model ? { model } : {}), notRealtime },
    [e],
  );
}

/** with_azure / withAzure with api_version or OPENAI_API_VERSION in a .env; a deployment/model mismatch. */
export const azurePreview = defineRule({
  id: 'doctor.azure-preview',
  codes: [AZURE_PREVIEW_SETUP.previewRetired, AZURE_PREVIEW_SETUP.deploymentModel],
  check(t) {
    const out: Finding[] = [];
    const calls = t.ofKind('doctor.setup').filter((e) => e.data['check'] === 'azure-realtime');
    // a literal api_version (a variable's value is not known here)
    const versioned = calls.find((e) => str(e.data['apiVersion']) !== undefined);
    const envFact = t.ofKind('doctor.env').find((e) => e.data.name === 'OPENAI_API_VERSION' && e.data.value !== '');
    if (versioned) {
      const via = versioned.data.language === 'python' ? 'api_version' : 'apiVersion';
      out.push(report(AZURE_PREVIEW_SETUP.previewRetired, { at: where(versioned.data), via, value: str(versioned.data['apiVersion']) }, [versioned]));
    } else if (envFact) {
      out.push(report(AZURE_PREVIEW_SETUP.previewRetired, { at: where(envFact.data), via: 'OPENAI_API_VERSION', value: envFact.data.value }, [envFact]));
    }
    for (const e of calls) {
      const f = deploymentFinding(e);
      if (f) out.push(f);
    }
    return out;
  },
});
