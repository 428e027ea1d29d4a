import { Config, ENV, describeSource, type Resolved } from '../config.js';
import { connectError, usageError, UserError, timeoutError } from '../errors.js';
import { registerSecret } from '../redact.js';

/** Where and how to reach a LiveKit server: API credentials, or a ready-made token. */
export interface LiveKitTarget {
  wsUrl: string;
  httpUrl: string;
  apiKey?: string;
  apiSecret?: string;
  token?: string;
  /** "LIVEKIT_URL from environment; …" for the stderr notice. */
  notice: string;
}

export interface LiveKitFlags {
  url?: string | undefined;
  apiKey?: string | undefined;
  apiSecret?: string | undefined;
  token?: string | undefined;
}

const ROOM_NAME = /^[\p{L}\p{N}_.:=@+-]{1,256}$/u;

export function validateRoomName(name: string): string {
  if (!ROOM_NAME.test(name)) {
    throw usageError(`invalid room name ${JSON.stringify(name)}`, 'Use 1–256 letters, digits or _ . : = @ + - (no spaces or slashes).');
  }
  return name;
}

/** Resolves LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET (or --token) with their sources. */
export function resolveLiveKit(flags: LiveKitFlags, config = new Config(), needApi = true): LiveKitTarget {
  registerSecret(flags.token);
  registerSecret(flags.apiSecret);
  const url = config.get(ENV.livekitUrl, flags.url);
  if (!url)
    throw usageError(`${ENV.livekitUrl} is not set`, `Set ${ENV.livekitUrl} (environment, .env.local or .env) or pass --url, e.g. ws://127.0.0.1:7880.`);
  let parsed: URL;
  try {
    parsed = new URL(url.value);
  } catch {
    throw usageError(`invalid LiveKit URL ${JSON.stringify(url.value)}`, 'Pass a ws://, wss://, http:// or https:// URL, e.g. wss://my-project.livekit.cloud.');
  }
  const toWs: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };
  const ws = toWs[parsed.protocol];
  if (!ws) throw usageError(`unsupported LiveKit URL scheme ${parsed.protocol}`, 'Use ws://, wss://, http:// or https://.');
  const wsUrl = url.value.replace(/^[a-z]+:/, ws);
  const httpUrl = wsUrl.replace(/^ws/, 'http');
  const key = config.get(ENV.livekitApiKey, flags.apiKey);
  const secret = config.get(ENV.livekitApiSecret, flags.apiSecret);
  const parts: Array<[string, Resolved | undefined]> = [[ENV.livekitUrl, url]];
  if (flags.token) {
    return {
      wsUrl,
      httpUrl,
      token: flags.token,
      ...(key && secret ? { apiKey: key.value, apiSecret: secret.value } : {}),
      notice: `${describeSource(ENV.livekitUrl, url)}; token from --token`,
    };
  }
  if (needApi && (!key || !secret)) {
    const missing = [!key ? ENV.livekitApiKey : '', !secret ? ENV.livekitApiSecret : ''].filter(Boolean).join(' and ');
    throw usageError(
      `${missing} not set`,
      `Set ${ENV.livekitApiKey} and ${ENV.livekitApiSecret} (environment, .env.local or .env), pass --api-key/--api-secret, or give a --token.`,
    );
  }
  parts.push([ENV.livekitApiKey, key], [ENV.livekitApiSecret, secret]);
  return {
    wsUrl,
    httpUrl,
    ...(key ? { apiKey: key.value } : {}),
    ...(secret ? { apiSecret: secret.value } : {}),
    notice: parts.map(([n, r]) => describeSource(n, r)).join('; '),
  };
}

/** Maps server-SDK and network failures to user errors (exit 3 for connect/auth). */
export function liveKitError(err: unknown, target: LiveKitTarget, what: string): UserError {
  if (err instanceof UserError) return err;
  const e = err as { status?: number; code?: string | number; message?: string; cause?: { code?: string } };
  const msg = e.message ?? String(err);
  if (e.status === 401 || /401|unauthorized|invalid token|signature/i.test(msg)) {
    return connectError(
      `${what}: the LiveKit server at ${target.httpUrl} refused the credentials`,
      'Check LIVEKIT_API_KEY and LIVEKIT_API_SECRET (or the --token) for this server.',
    );
  }
  if (/publication timed out/i.test(msg)) {
    return timeoutError(
      `${what}: the LiveKit server at ${target.wsUrl} did not confirm the track publication in time (${msg.slice(0, 120)})`,
      'The server or this machine is overloaded (fewer concurrent sessions, --concurrency), or the server cannot reach this host over UDP/TCP for media.',
    );
  }
  if (
    /fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|Connection refused|transport connection error|timed out/i.test(`${msg} ${e.cause?.code ?? ''}`)
  ) {
    return connectError(
      `${what}: cannot reach the LiveKit server at ${target.wsUrl} (${(e.cause?.code ?? msg).toString().slice(0, 120)})`,
      'Check LIVEKIT_URL and that the server is running and reachable from here.',
    );
  }
  if (typeof e.status === 'number')
    return connectError(`${what}: the LiveKit server answered HTTP ${e.status}: ${msg.slice(0, 160)}`, 'Check the URL, the credentials and the server logs.');
  return connectError(`${what}: ${msg.slice(0, 200)}`, 'Check LIVEKIT_URL and the credentials; re-run with --verbose for details.');
}

export interface TokenRequest {
  identity: string;
  name?: string;
  room: string;
  hidden?: boolean;
  canPublish?: boolean;
  canSubscribe?: boolean;
  canPublishData?: boolean;
  agent?: boolean;
  canManageAgentSession?: boolean;
  /** Agents dispatched when this join creates the room (token dispatch). */
  dispatchAgent?: string;
}

export async function mintToken(target: LiveKitTarget, req: TokenRequest): Promise<string> {
  if (target.token) return target.token;
  const { AccessToken, RoomConfiguration, RoomAgentDispatch } = await import('livekit-server-sdk');
  const at = new AccessToken(target.apiKey, target.apiSecret, { identity: req.identity, name: req.name ?? req.identity, ttl: '1h' });
  at.addGrant({
    roomJoin: true,
    room: req.room,
    canPublish: req.canPublish ?? false,
    canSubscribe: req.canSubscribe ?? true,
    canPublishData: req.canPublishData ?? false,
    ...(req.hidden ? { hidden: true } : {}),
    ...(req.agent ? { agent: true } : {}),
    ...(req.canManageAgentSession ? { canManageAgentSession: true } : {}),
  });
  if (req.dispatchAgent) at.roomConfig = new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName: req.dispatchAgent })] });
  const jwt = await at.toJwt();
  registerSecret(jwt);
  return jwt;
}

export async function serverClients(target: LiveKitTarget) {
  if (!target.apiKey || !target.apiSecret) {
    throw usageError('this needs LiveKit API credentials, not only a token', 'Set LIVEKIT_API_KEY and LIVEKIT_API_SECRET (or pass --api-key/--api-secret).');
  }
  const { RoomServiceClient, AgentDispatchClient } = await import('livekit-server-sdk');
  const opts = { requestTimeout: 10 };
  return {
    rooms: new RoomServiceClient(target.httpUrl, target.apiKey, target.apiSecret, opts),
    dispatch: new AgentDispatchClient(target.httpUrl, target.apiKey, target.apiSecret, opts),
  };
}

/** Maps ParticipantKind numbers (livekit_models.proto) to names used in events. */
export function kindName(kind: number | undefined): string {
  return ['standard', 'ingress', 'egress', 'sip', 'agent', 'connector', 'bridge'][kind ?? 0] ?? `kind-${kind}`;
}

/** A dispatch job's status by its name (JobStatus), as server.dispatch.state reports it. */
export function jobStatus(s: number): string {
  return ['JS_PENDING', 'JS_RUNNING', 'JS_SUCCESS', 'JS_FAILED'][s] ?? `JS_${s}`;
}
