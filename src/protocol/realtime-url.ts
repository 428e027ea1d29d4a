import { usageError } from '../errors.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-realtime';

const APPEND_REALTIME = new Set(['', '/v1', '/openai', '/openai/v1']);

/**
 * The Realtime WebSocket URL for a base URL, with the same semantics as LiveKit's Python plugin
 * (`process_base_url`): http(s) → ws(s); `/realtime` appended when the path is empty, `/v1`,
 * `/openai` or `/openai/v1` (trailing slashes ignored); any other path used as given; `model`
 * added to the query unless one is present.
 */
export function realtimeUrl(baseUrl: string, model: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw usageError(`invalid base URL: ${JSON.stringify(baseUrl)}`, 'Pass an absolute URL such as https://api.openai.com/v1 or http://127.0.0.1:8080/v1.');
  }
  const protocols: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };
  const protocol = protocols[url.protocol];
  if (!protocol) {
    throw usageError(`unsupported base URL scheme ${url.protocol} in ${JSON.stringify(baseUrl)}`, 'Use http, https, ws or wss.');
  }
  const out = new URL(url.toString().replace(/^[a-z]+:/, protocol));
  const trimmed = out.pathname.replace(/\/+$/, '');
  if (APPEND_REALTIME.has(trimmed)) out.pathname = `${trimmed}/realtime`;
  if (!out.searchParams.has('model')) out.searchParams.set('model', model);
  return out;
}

/** True when the base URL is OpenAI's own API (so the REST model list can be checked). */
export function isOpenAIHost(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}
