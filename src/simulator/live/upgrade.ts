/**
 * The simulator's one routing hook for GPT-Live: an upgrade on `…/live/sessions` (OpenAI `/v1/live/sessions`,
 * Azure `/openai/v1/live/sessions`) is served here. Auth as the client sends it (gpt_live.py:580-592):
 * `Authorization: Bearer` (OpenAI, Entra) or `api-key` (Azure key); no OpenAI-Beta header.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { ConnectionRecord } from '../recording.js';
import type { ScenarioEffects } from '../scenarios.js';
import type { TranscriptOracle } from '../transcripts.js';
import { isLivePath } from './protocol.js';
import { LiveSession } from './session.js';

export interface LiveUpgrade {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  path: string;
  fx: ScenarioEffects;
  rec: ConnectionRecord;
  apiKey: string;
  wss: WebSocketServer;
  pace: number;
  oracle: TranscriptOracle;
  log: (line: string) => void;
  onChange: () => void;
  /** Refuses the upgrade with the status (and the Realtime simulator's bodies). */
  refuse(status: 401 | 403 | 404 | 429): void;
  /** Keeps the session so the server can dispose of it on shutdown. */
  track(session: { dispose(): void }, ws: WebSocket): void;
}

/** Serves the upgrade when its path is a GPT-Live one; false otherwise (the Realtime path goes on). */
export function routeLive(u: LiveUpgrade): boolean {
  if (!isLivePath(u.path)) return false;
  if (u.fx.upgradeStatus) {
    u.refuse(u.fx.upgradeStatus);
    return true;
  }
  if (!u.apiKey) {
    u.refuse(401);
    return true;
  }
  u.wss.handleUpgrade(u.req, u.socket, u.head, (ws) => {
    u.log(`[simulator ${u.rec.id}] open ${u.path} (GPT-Live) scenarios=${u.rec.scenarios.join('+') || '(none)'}`);
    const session = new LiveSession(ws, u.rec, u.fx, { pace: u.pace, log: u.log, oracle: u.oracle, onChange: u.onChange });
    u.track(session, ws);
    session.start();
  });
  return true;
}
