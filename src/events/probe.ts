/** probe-openai's own client (`probe.*`, source `probe`): the WebSocket upgrade, close, bounds. */
import type { KindsMeta } from './meta.js';

export interface ProbeKinds {
  'probe.upgrade.request': { url: string; api: string; headers: string[] };
  'probe.upgrade.response': { status: number; statusMessage?: string; body?: string; socket?: 'unknown'; location?: string };
  'probe.connect.error': { code: string; message: string };
  'probe.protocol.error': { message: string; bytes?: number };
  'probe.close': { code: number; reason: string; by: 'client' | 'server' };
  'probe.timeout': { step: string; boundMs: number };
  'probe.models.check': { model: string; status: number; found: boolean };
  'probe.interrupted': Record<string, never>;
}

const P = ['probe'] as const;

export const PROBE_KINDS: KindsMeta<ProbeKinds> = {
  'probe.upgrade.request': {
    description: 'The probe opens the Realtime WebSocket.',
    fields: { url: 'the URL (no secrets)', api: '`ga` or `beta`', headers: 'the header names sent (never their values)' },
    sources: P,
    example: { url: 'wss://api.openai.com/v1/realtime?model=gpt-realtime', api: 'ga', headers: ['Authorization'] },
  },
  'probe.upgrade.response': {
    description: 'The HTTP answer to the upgrade: 101, or the refusal with its body.',
    fields: {
      status: 'HTTP status',
      statusMessage: '? HTTP status text (refusals)',
      body: '? the first 2000 characters of a refusal body',
      socket: "? 'unknown': read from a log that does not say which WebSocket was refused (Node's uncaught-error block)",
      location: '? the Location header of a redirect (3xx)',
    },
    // log: the status of a refused upgrade as an agent's traceback states it (aiohttp's WSServerHandshakeError: 403)
    sources: ['probe', 'log'],
    example: { status: 401, statusMessage: 'Unauthorized', body: '{"error":{"code":"invalid_api_key"}}' },
  },
  'probe.connect.error': {
    description: 'The connection could not be made (DNS, TCP, TLS).',
    fields: { code: 'Node error code, e.g. `ECONNREFUSED`', message: 'the error message' },
    sources: P,
    example: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' },
  },
  'probe.protocol.error': {
    description: 'The server sent something that is not a Realtime event (not JSON).',
    fields: { message: 'what was wrong', bytes: '? size of the message' },
    sources: P,
    example: { message: 'non-JSON message from server', bytes: 12 },
  },
  'probe.close': {
    description: 'The WebSocket closed.',
    fields: { code: 'WebSocket close code', reason: 'close reason', by: 'who closed it: `client` or `server`' },
    sources: P,
    example: { code: 1000, reason: '', by: 'client' },
  },
  'probe.timeout': {
    description: 'A probe step did not complete within its bound.',
    fields: { step: 'the step that waited (e.g. `session.created`)', boundMs: 'the bound, ms' },
    sources: P,
    example: { step: 'response.done', boundMs: 15000 },
  },
  'probe.models.check': {
    description: 'GET /v1/models/<model>: whether the model exists for this key.',
    fields: { model: 'the model asked for', status: 'HTTP status', found: 'whether it exists' },
    sources: P,
    example: { model: 'gpt-realtime', status: 404, found: false },
  },
  'probe.interrupted': {
    description: 'The probe was interrupted (Ctrl-C) before it finished.',
    fields: {},
    sources: P,
    example: {},
  },
};
