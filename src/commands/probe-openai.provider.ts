/**
 * probe-openai's endpoint per provider: flags > env > .env.local > .env (src/config.ts), read under the
 * names LiveKit's plugins read (with_azure: AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY, OPENAI_API_VERSION;
 * livekit-plugins-xai: XAI_API_KEY), then the URL and headers from src/protocol/providers.ts.
 */
import { Config, ENV, describeSource, type Resolved } from '../config.js';
import { usageError } from '../errors.js';
import { type EndpointInput, PROVIDER_ENV, type Provider, XAI_DEFAULT_MODEL, XAI_DEFAULT_VOICE } from '../protocol/providers.js';
import { registerSecret } from '../redact.js';

export interface ProviderFlags {
  provider: Provider;
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  voice?: string;
  azureEndpoint?: string;
  azureDeployment?: string;
  apiVersion?: string;
  entraToken?: string;
}

export interface Target {
  input: EndpointInput;
  voice: string;
  /** Where each value came from, for the stderr notice (never the values). */
  notice: string;
}

const SIMULATED_KEY = 'sk-lkdiag-simulated';

function keyName(p: Provider): string {
  return p === 'azure' ? PROVIDER_ENV.azureApiKey : p === 'xai' ? PROVIDER_ENV.xaiApiKey : ENV.openaiApiKey;
}

function secret(r: Resolved | undefined): string | undefined {
  registerSecret(r?.value);
  return r?.value;
}

function missingKey(p: Provider): never {
  const name = keyName(p);
  if (p === 'azure') {
    throw usageError(
      `neither ${name} nor an Entra token is set`,
      `Set ${name} (environment, .env.local or .env), or pass --api-key or --entra-token; or try --simulate.`,
    );
  }
  throw usageError(`${name} is not set`, `Set ${name} (environment, .env.local or .env) or pass --api-key; or try --simulate for the built-in simulator.`);
}

/** The endpoint inputs for a real (not simulated) probe. */
function realTarget(f: ProviderFlags, config: Config, model: string): { input: EndpointInput; notice: string } {
  const p = f.provider;
  const key = config.get(keyName(p), f.apiKey);
  const apiKey = secret(key);
  if (p === 'azure') {
    const entra = f.entraToken ? { value: f.entraToken, source: 'flag' as const } : undefined;
    const entraToken = secret(entra);
    if (!apiKey && !entraToken) missingKey(p);
    const endpoint = f.baseUrl ? undefined : config.get(PROVIDER_ENV.azureEndpoint, f.azureEndpoint);
    const version = config.get(PROVIDER_ENV.apiVersion, f.apiVersion);
    const input: EndpointInput = { provider: p, model, ...(apiKey ? { apiKey } : {}), ...(entraToken ? { entraToken } : {}) };
    if (f.baseUrl) input.baseUrl = f.baseUrl;
    if (endpoint) input.azureEndpoint = endpoint.value;
    if (f.azureDeployment) input.azureDeployment = f.azureDeployment;
    if (version) input.apiVersion = version.value;
    const parts = [describeSource(keyName(p), key), entra ? 'Entra token from command-line flag' : '', describeSource(PROVIDER_ENV.azureEndpoint, endpoint)];
    if (version) parts.push(describeSource(PROVIDER_ENV.apiVersion, version));
    return { input, notice: parts.filter(Boolean).join('; ') };
  }
  if (!apiKey) missingKey(p);
  const base =
    p === 'openai'
      ? config.get(ENV.openaiBaseUrl, f.baseUrl, 'https://api.openai.com/v1')
      : f.baseUrl
        ? { value: f.baseUrl, source: 'flag' as const }
        : undefined;
  const input: EndpointInput = { provider: p, model, apiKey, ...(base ? { baseUrl: base.value } : {}) };
  return { input, notice: `using ${describeSource(keyName(p), key)}${p === 'openai' ? `; ${describeSource(ENV.openaiBaseUrl, base)}` : ''}` };
}

/** The endpoint inputs (for a simulated probe, the simulator's URL is filled in later) and the voice. */
export function resolveTarget(f: ProviderFlags, simulate: boolean): Target {
  const p = f.provider;
  if (p !== 'azure' && (f.azureEndpoint || f.azureDeployment || f.apiVersion || f.entraToken)) {
    throw usageError(
      '--azure-endpoint, --azure-deployment, --api-version and --entra-token need --provider azure',
      'Add --provider azure, or drop the Azure flags.',
    );
  }
  if (simulate && f.baseUrl) {
    throw usageError('--simulate and --base-url cannot be combined', 'Use --simulate for the built-in simulator, or --base-url for a real endpoint.');
  }
  const model = f.model ?? (p === 'xai' ? XAI_DEFAULT_MODEL : 'gpt-realtime');
  const voice = f.voice ?? (p === 'xai' ? XAI_DEFAULT_VOICE : 'marin');
  if (simulate) {
    const input: EndpointInput = { provider: p, model, apiKey: SIMULATED_KEY };
    if (p === 'azure') {
      input.azureDeployment = f.azureDeployment ?? 'gpt-realtime';
      if (f.apiVersion) input.apiVersion = f.apiVersion;
      if (f.entraToken) input.entraToken = secret({ value: f.entraToken, source: 'flag' });
    }
    return { input, voice, notice: '' };
  }
  const config = new Config();
  const real = realTarget(f, config, model);
  return { ...real, voice };
}

/** The simulator's base for this provider: openai.com's /v1, Azure's resource origin, xAI's /v1/realtime. */
export function simulatedInput(input: EndpointInput, simBaseUrl: string): EndpointInput {
  if (input.provider === 'azure') return { ...input, azureEndpoint: simBaseUrl.replace(/\/v1$/, '') };
  if (input.provider === 'xai') return { ...input, baseUrl: `${simBaseUrl}/realtime` };
  return { ...input, baseUrl: simBaseUrl };
}
