/**
 * Azure OpenAI Realtime setup checks: the retired preview protocol (api_version / OPENAI_API_VERSION) and a
 * deployment that is not (or does not look like) the realtime model the code names.
 */
import { inRange } from '../../../doctor/ranges.js';
import { AZURE_GA_URL, atLeast } from '../../../facts/versions.js';
import { AZURE_PREVIEW_RETIRED } from '../../../protocol/providers.js';
import type { Timeline } from '../../timeline.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineCode, defineRule, report } from '../kit.js';
import { depOf, versionToJudge, where } from './shared.js';

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

export interface AzureOldUrlData {
  at: string;
  version: string;
  exact: boolean;
  dependencyAt: string;
}

export const AZURE_PREVIEW_SETUP = {
  oldUrl: defineCode<AzureOldUrlData>({
    code: 'setup/azure-old-url',
    severity: 'warning',
    title: 'with_azure on this livekit-agents builds the old Azure URL that GA deployments redirect',
    cause: `livekit-agents before ${AZURE_GA_URL.pyFixed} builds every Azure Realtime URL as /openai/realtime?[api-version=…&]deployment=…; Azure answers that shape with a redirect on GA realtime deployments (gpt-realtime, gpt-realtime-1.5: ${AZURE_GA_URL.issue}), so the agent never connects ("connection failed after 3 attempts").`,
    evidence: `a with_azure(...) call (Python) and livekit-agents / livekit-plugins-openai resolved or allowed below ${AZURE_GA_URL.pyFixed}.`,
    fix: `Upgrade livekit-agents and livekit-plugins-openai to ${atLeast(AZURE_GA_URL.pyFixed)} (${AZURE_GA_URL.fix}) and pass no api_version.`,
    detail: (d) =>
      `${d.at} builds the model with with_azure on ${d.exact ? d.version : `a version allowed at ${d.version}`} (${d.dependencyAt}): the old /openai/realtime URL, which Azure redirects on GA deployments.`,
  }),
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

/** A Python with_azure call on a livekit-agents (or plugin) version below AZURE_GA_URL.pyFixed. */
function oldUrl(t: Timeline, calls: readonly TraceEvent<'doctor.setup'>[]): Finding | undefined {
  const call = calls.find((e) => e.data.language === 'python');
  if (!call) return undefined;
  const deps = t.ofKind('doctor.dependency').filter((e) => e.data.ecosystem === 'python');
  const plugin = deps.filter((e) => e.data.package === 'livekit-plugins-openai');
  const judged = (plugin.length > 0 ? plugin : deps.filter((e) => e.data.package === 'livekit-agents'))
    .map((e) => ({ e, v: versionToJudge(depOf(e)) }))
    .find((x) => x.v && inRange('python', x.v.version, `<${AZURE_GA_URL.pyFixed}`) === true);
  if (!judged?.v) return undefined;
  const data = {
    at: `${where(call.data)}: ${String(call.data.snippet ?? '')}`,
    version: judged.v.version,
    exact: judged.v.exact,
    dependencyAt: where(judged.e.data),
  };
  return report(AZURE_PREVIEW_SETUP.oldUrl, data, [call, judged.e]);
}

/** with_azure / withAzure with api_version or OPENAI_API_VERSION in a .env; a deployment/model mismatch. */
export const azurePreview = defineRule({
  id: 'doctor.azure-preview',
  codes: [AZURE_PREVIEW_SETUP.previewRetired, AZURE_PREVIEW_SETUP.deploymentModel, AZURE_PREVIEW_SETUP.oldUrl],
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
    const old = oldUrl(t, calls);
    if (old) out.push(old);
    return out;
  },
});
