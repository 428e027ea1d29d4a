/**
 * HTTP server + WebSocket upgrade handling: paths, auth, per-connection scenarios,
 * upgrade-time faults. The protocol itself is in connection.ts.
 */
import { STATUS_CODES, createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MESSAGES, maskApiKey } from '../protocol/realtime.js';
import { azureUpgradeAnswer, deploymentOf, isAzurePath } from './azure.js';
import { Connection } from './connection.js';
import { isXaiModel } from './xai.js';
import { routeLive } from './live/upgrade.js';
import { Recording } from './recording.js';
import type { ConnectionRecord } from './recording.js';
import { type SimulatorUsageError, parseScenarios, scenarioEffects, scenarioToString, scenariosFromUrl } from './scenarios.js';
import type { Scenario } from './scenarios.js';
import { TranscriptOracle } from './transcripts.js';
import type { TranscriptReference } from './transcripts.js';

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Scenarios applied to every connection (per-connection ones from the URL are added). */
  scenarios?: string[];
  log?: (line: string) => void;
  /** Audio streaming speed relative to real time (default 3, like a real model; tests use more). */
  audioPace?: number;
  /** Reference clips for the transcript oracle (see transcripts.ts). */
  transcripts?: TranscriptReference[];
}

export interface Simulator {
  port: number;
  host: string;
  /** `http://HOST:PORT/v1` — give it to a LiveKit plugin as base URL. */
  baseUrl: string;
  /** A base URL selecting per-connection scenarios: `http://HOST:PORT/scenario/<a>+<b>/v1`. */
  urlFor(scenarios: string[]): string;
  /**
   * The same for LiveKit's Python plugin, which uses non-standard paths verbatim:
   * `http://HOST:PORT/scenario/<a>+<b>/v1/realtime`.
   */
  pythonUrlFor(scenarios: string[]): string;
  recording: Recording;
  close(): Promise<void>;
}

export const DEFAULT_AUDIO_PACE = 3;

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  const defaults = parseScenarios(opts.scenarios ?? []);
  const pace = opts.audioPace && opts.audioPace > 0 ? opts.audioPace : DEFAULT_AUDIO_PACE;
  const oracle = new TranscriptOracle(opts.transcripts ?? []);
  const recording = new Recording();
  const connections = new Set<{ dispose(): void }>();

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', simulator: 'lkdiag' }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(errorBody(MESSAGES_HTTP.notFound(req.method ?? 'GET', path ?? '/'), null, 'invalid_request_error'));
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    let perConn: Scenario[];
    const { names, path } = scenariosFromUrl(url);
    try {
      perConn = parseScenarios(names);
    } catch (e) {
      const err = e as SimulatorUsageError;
      log(`[simulator] refused upgrade ${url.pathname}: ${err.message}`);
      return refuse(socket, 400, errorBody(`lkdiag simulator: ${err.message} ${err.hint}`, 'lkdiag_unknown_scenario', 'invalid_request_error'));
    }
    const all = [...defaults, ...perConn];
    const fx = scenarioEffects(all);
    const rec = recording.newConnection(`${url.pathname}${url.search}`, req.headers, all.map(scenarioToString));
    rec.model = deploymentOf(url); // `model`, or an Azure legacy URL's `deployment`
    const refuseRec = (status: number, body: string, headers: Record<string, string> = {}, contentType?: string): void => {
      rec.upgradeStatus = status;
      log(`[simulator ${rec.id}] upgrade ${url.pathname} refused with HTTP ${status}`);
      refuse(socket, status, body, headers, contentType);
      recording.changed();
    };
    const azure = azureUpgradeAnswer(url, path, all);
    if (azure) return refuseRec(azure.status, azure.body, azure.headers, azure.contentType);
    const track = (c: { dispose(): void }, ws: { on(e: 'close', f: () => void): unknown }) => {
      connections.add(c);
      ws.on('close', () => connections.delete(c));
    };
    const liveRefuse = (s: 401 | 403 | 404 | 429) => refuseRec(s, upgradeFaultBody(s, bearer(req), rec.model), s === 429 ? { 'retry-after': '1' } : {});
    if (
      routeLive({
        req,
        socket,
        head,
        path,
        fx,
        rec,
        apiKey: bearer(req),
        wss,
        pace,
        oracle,
        log,
        onChange: () => recording.changed(),
        refuse: liveRefuse,
        track,
      })
    )
      return;
    if (!path.replace(/\/+$/, '').endsWith('/realtime')) {
      return refuseRec(404, errorBody(MESSAGES_HTTP.notFound('GET', url.pathname), null, 'invalid_request_error'));
    }
    const apiKey = bearer(req);
    if (fx.upgradeStatus) {
      return refuseRec(fx.upgradeStatus, upgradeFaultBody(fx.upgradeStatus, apiKey, rec.model), fx.upgradeStatus === 429 ? { 'retry-after': '1' } : {});
    }
    if (!apiKey) return refuseRec(401, errorBody(MESSAGES_HTTP.noKey, null, 'invalid_request_error'));
    wss.handleUpgrade(req, socket, head, (ws) => {
      const betaHeader = req.headers['openai-beta'] !== undefined;
      log(`[simulator ${rec.id}] open ${url.pathname} model=${rec.model ?? '(none)'} scenarios=${rec.scenarios.join('+') || '(none)'}`);
      const dialect = { azureDeployment: isAzurePath(path), xai: isXaiModel(rec.model) };
      const conn = new Connection(ws, rec, fx, { pace, log, oracle, model: rec.model, apiKey, betaHeader, ...dialect, onChange: () => recording.changed() });
      connections.add(conn);
      ws.on('close', () => connections.delete(conn));
      conn.start();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const prefix = (scenarios: string[]): string => {
    parseScenarios(scenarios); // validate early, with a usage error
    return scenarios.length ? `/scenario/${scenarios.map((n) => encodeURIComponent(n).replace(/%3D/gi, '=')).join('+')}` : '';
  };

  return {
    port,
    host,
    baseUrl: `${origin}/v1`,
    urlFor: (scenarios) => `${origin}${prefix(scenarios)}/v1`,
    pythonUrlFor: (scenarios) => `${origin}${prefix(scenarios)}/v1/realtime`,
    recording,
    close: async () => {
      for (const c of connections) c.dispose();
      connections.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const MESSAGES_HTTP = {
  notFound: (method: string, path: string) => `Invalid URL (${method} ${path})`,
  noKey:
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
  forbidden: 'You have insufficient permissions for this operation. Missing scopes: api.model.request.',
};

function errorBody(message: string, code: string | null, type: string): string {
  return JSON.stringify({ error: { message, type, param: null, code } }, null, 2);
}

function upgradeFaultBody(status: number, apiKey: string, model: string | null): string {
  switch (status) {
    case 401:
      return errorBody(MESSAGES.invalidApiKey(maskApiKey(apiKey)), 'invalid_api_key', 'invalid_request_error');
    case 403:
      return errorBody(MESSAGES_HTTP.forbidden, null, 'invalid_request_error');
    case 404:
      return errorBody(MESSAGES_HTTP.notFound('GET', '/v1/realtime'), null, 'invalid_request_error');
    default:
      return errorBody(MESSAGES.rateLimited(model ?? 'gpt-realtime'), 'rate_limit_exceeded', 'requests');
  }
}

function bearer(req: IncomingMessage): string {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m && m[1]!.trim()) return m[1]!.trim();
  }
  const apiKey = req.headers['api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : '';
}

function refuse(socket: Duplex, status: number, body: string, headers: Record<string, string> = {}, contentType = 'application/json'): void {
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `Content-Type: ${contentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

export type { ConnectionRecord };
