/**
 * URL and header construction per provider, pinned against LiveKit's own code:
 * - Python livekit-agents 1.8.9 livekit/agents/llm/_realtime/openai.py: with_azure 585–747,
 *   process_base_url 843–890, _create_ws_url_and_headers 1123–1142;
 * - agents-js @livekit/agents-plugin-openai 1.9.0 dist/realtime/realtime_model.js: withAzure 174–224,
 *   processBaseURL 242–278, createWsConn 788–815;
 * - livekit-plugins-xai realtime/realtime_model.py (livekit/agents da6af86): 51, 53, 72, 83.
 * The same URLs are checked against the real Python process_base_url in test/e2e/simulator-azure.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { authHeaders, azureBaseUrl, azureRealtimeUrl, resolveEndpoint, shownHeaders } from '../../src/protocol/providers.js';

const azure = (o: { endpoint?: string; baseUrl?: string; deployment?: string; apiVersion?: string; key?: string; entra?: string }) =>
  resolveEndpoint({
    provider: 'azure',
    model: 'gpt-realtime',
    azureDeployment: o.deployment ?? 'my-realtime',
    ...(o.endpoint ? { azureEndpoint: o.endpoint } : {}),
    ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
    ...(o.apiVersion ? { apiVersion: o.apiVersion } : {}),
    ...(o.key ? { apiKey: o.key } : {}),
    ...(o.entra ? { entraToken: o.entra } : {}),
  });

describe('Azure URL (Python process_base_url is_azure; agents-js processBaseURL agrees on these)', () => {
  it.each([
    // GA v1 (no api_version): /openai/v1/realtime?model=<deployment> (openai.py 859–860, 880–882; JS 250, 268–271)
    ['https://res.openai.azure.com', undefined, 'wss://res.openai.azure.com/openai/v1/realtime?model=my-realtime'],
    ['https://res.openai.azure.com/', undefined, 'wss://res.openai.azure.com/openai/v1/realtime?model=my-realtime'],
    ['https://res.cognitiveservices.azure.com', undefined, 'wss://res.cognitiveservices.azure.com/openai/v1/realtime?model=my-realtime'],
    // legacy (api_version): /openai/realtime?api-version=<v>&deployment=<deployment> (openai.py 860, 873–877; JS 263–267)
    ['https://res.openai.azure.com', '2024-10-01-preview', 'wss://res.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=my-realtime'],
    ['http://127.0.0.1:9', '2025-04-01-preview', 'ws://127.0.0.1:9/openai/realtime?api-version=2025-04-01-preview&deployment=my-realtime'],
  ])('%s (api_version %s) → %s', (endpoint, apiVersion, expected) => {
    const e = azure({ endpoint, ...(apiVersion ? { apiVersion } : {}), key: 'k'.repeat(32) });
    expect(e.url.toString()).toBe(expected);
    expect(e.azureShape).toBe(apiVersion ? 'legacy' : 'ga');
  });

  it('strips an api-version already in the endpoint before choosing the shape (openai.py 872 pops it)', () => {
    expect(azureBaseUrl('https://res.openai.azure.com/?api-version=2024-10-01-preview')).toBe('https://res.openai.azure.com/openai');
    expect(azure({ endpoint: 'https://res.openai.azure.com/?api-version=2024-10-01-preview', key: 'k' }).url.toString()).toBe(
      'wss://res.openai.azure.com/openai/v1/realtime?model=my-realtime',
    );
    // a base_url given as is keeps its path; the api-version in it is replaced by the one passed
    expect(azureRealtimeUrl('https://gw.example/openai/realtime?api-version=old', 'd', '2025-04-01-preview').toString()).toBe(
      'wss://gw.example/openai/realtime?api-version=2025-04-01-preview&deployment=d',
    );
  });

  it('base_url /openai/v1 → /openai/v1/realtime even with api_version; any other path is used as given (openai.py 857–864)', () => {
    expect(azureRealtimeUrl('https://res.openai.azure.com/openai/v1', 'd', undefined).toString()).toBe('wss://res.openai.azure.com/openai/v1/realtime?model=d');
    expect(azureRealtimeUrl('https://res.openai.azure.com/openai/v1/', 'd', '2024-10-01-preview').toString()).toBe(
      'wss://res.openai.azure.com/openai/v1/realtime?api-version=2024-10-01-preview&deployment=d',
    );
    expect(azureRealtimeUrl('https://gw.example/custom', 'd', undefined).toString()).toBe('wss://gw.example/custom?model=d');
  });

  it('keeps a model already in a GA base URL (openai.py 880: `if "model" not in query_params`)', () => {
    expect(azureRealtimeUrl('https://gw.example/openai/v1?model=other', 'd', undefined).toString()).toBe('wss://gw.example/openai/v1/realtime?model=other');
  });

  it('needs the deployment and an endpoint; base_url and endpoint are mutually exclusive (openai.py 709–718)', () => {
    expect(() => resolveEndpoint({ provider: 'azure', model: 'm', azureEndpoint: 'https://r.openai.azure.com', apiKey: 'k' })).toThrow(UserError);
    expect(() => azure({ key: 'k' })).toThrow(/Azure endpoint is not set/);
    expect(() => azure({ endpoint: 'https://a', baseUrl: 'https://b', key: 'k' })).toThrow(/mutually exclusive/);
    expect(() => azure({ endpoint: 'not a url', key: 'k' })).toThrow(UserError);
  });
});

describe('auth headers', () => {
  it('openai.com and xAI: Authorization: Bearer <key> (openai.py 1133)', () => {
    expect(authHeaders('openai', 'sk-abc', undefined)).toEqual({ Authorization: 'Bearer sk-abc' });
    expect(authHeaders('xai', 'xai-abc', undefined)).toEqual({ Authorization: 'Bearer xai-abc' });
  });
  it('Azure: api-key: <key>; Authorization: Bearer <entra>; Python sends both when both are given (openai.py 1126–1131)', () => {
    expect(authHeaders('azure', 'azkey', undefined)).toEqual({ 'api-key': 'azkey' });
    expect(authHeaders('azure', undefined, 'eyJentra')).toEqual({ Authorization: 'Bearer eyJentra' });
    // agents-js createWsConn 793–798 sends only the Entra token when both are given: Python is the reference here
    expect(authHeaders('azure', 'azkey', 'eyJentra')).toEqual({ Authorization: 'Bearer eyJentra', 'api-key': 'azkey' });
  });
  it('shown headers never carry the secret', () => {
    expect(shownHeaders({ Authorization: 'Bearer eyJentra', 'api-key': 'azkey', 'User-Agent': 'lkdiag' })).toEqual({
      Authorization: 'Bearer ***',
      'api-key': '***',
      'User-Agent': 'lkdiag',
    });
  });
});

describe('xAI and openai.com', () => {
  it('xAI: wss://api.x.ai/v1/realtime?model=grok-voice-latest by default (xai realtime_model.py 51, 53; process_base_url keeps the /v1/realtime path)', () => {
    const e = resolveEndpoint({ provider: 'xai', model: '', apiKey: 'xai-k' });
    expect(e.url.toString()).toBe('wss://api.x.ai/v1/realtime?model=grok-voice-latest');
    expect(e.dialect).toBe('xai');
    expect(resolveEndpoint({ provider: 'xai', model: 'grok-voice-think-fast-1.0', apiKey: 'k' }).url.toString()).toBe(
      'wss://api.x.ai/v1/realtime?model=grok-voice-think-fast-1.0',
    );
  });
  it('openai.com: unchanged (realtimeUrl)', () => {
    const e = resolveEndpoint({ provider: 'openai', model: 'gpt-realtime', apiKey: 'sk-x' });
    expect(e.url.toString()).toBe('wss://api.openai.com/v1/realtime?model=gpt-realtime');
    expect(e.dialect).toBe('openai');
  });
});

describe('redaction of Azure credentials (src/redact.ts)', () => {
  it('the api-key header value, as a header line, JSON or a Python dict; an Entra JWT and its Bearer header', async () => {
    const { redact } = await import('../../src/redact.js');
    const key = '0123456789abcdef0123456789abcdef';
    expect(redact(`api-key: ${key}`)).toBe('api-key: ***');
    expect(redact(`{"api-key":"${key}"}`)).toBe('{"api-key":"***"}');
    expect(redact(`{'User-Agent': 'LiveKit Agents', 'api-key': '${key}'}`)).toBe(`{'User-Agent': 'LiveKit Agents', 'api-key': '***'}`);
    expect(redact(`Api-Key: ${key}`)).toBe('Api-Key: ***');
    expect(redact('headers: api-key: ***, Authorization: Bearer ***')).toBe('headers: api-key: ***, Authorization: Bearer ***');
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJjb2duaXRpdmUifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    expect(redact(`Authorization: Bearer ${jwt}`)).not.toContain('c2lnbmF0dXJl');
    expect(redact('a monkey-key: not a header')).toBe('a monkey-key: not a header');
  });
});
