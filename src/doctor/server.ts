/**
 * Optional, bounded read of a LiveKit server's version (a source: emits `doctor.server`).
 * The server publishes no version over plain HTTP; it is in the signalling JoinResponse
 * (`serverInfo.version`). So this opens the `/rtc` WebSocket with a short-lived token for a
 * throwaway room (hidden, no publish), reads the first SignalResponse and closes. Needs
 * LIVEKIT_API_KEY/SECRET; bounded to 3 s by default.
 */
import type { TraceEvent } from '../diagnose/types.js';

export interface ServerProbe {
  url: string;
  apiKey?: string;
  apiSecret?: string;
  timeoutMs?: number;
}

export type ServerResult = { ok: true; version: string; event: TraceEvent } | { ok: false; reachable: boolean; message: string; event: TraceEvent };

export async function readServerVersion(p: ServerProbe): Promise<ServerResult> {
  const timeoutMs = p.timeoutMs ?? 3000;
  const wsBase = p.url.replace(/^http/, 'ws').replace(/\/+$/, '');
  const fail = (reachable: boolean, message: string): ServerResult => ({
    ok: false,
    reachable,
    message,
    event: { t: Date.now(), source: 'server', kind: 'doctor.server.error', data: { url: p.url, reachable, message } },
  });
  if (!p.apiKey || !p.apiSecret) {
    // Without credentials only reachability can be checked.
    try {
      const res = await fetch(wsBase.replace(/^ws/, 'http'), { signal: AbortSignal.timeout(timeoutMs) });
      return fail(true, `reachable (HTTP ${res.status}) but the version needs LIVEKIT_API_KEY and LIVEKIT_API_SECRET`);
    } catch (e) {
      return fail(false, (e as Error).message);
    }
  }
  const [{ AccessToken }, { SignalResponse }, { default: WebSocket }] = await Promise.all([
    import('livekit-server-sdk'),
    import('@livekit/protocol'),
    import('ws'),
  ]);
  const at = new AccessToken(p.apiKey, p.apiSecret, { identity: `lkdiag-doctor-${process.pid}`, ttl: 60 });
  at.addGrant({ roomJoin: true, room: `lkdiag-doctor-${Date.now()}`, hidden: true, canPublish: false, canSubscribe: false, canPublishData: false });
  const token = await at.toJwt();
  return new Promise<ServerResult>((resolve) => {
    const ws = new WebSocket(`${wsBase}/rtc?access_token=${encodeURIComponent(token)}&protocol=16&auto_subscribe=0&sdk=js&version=lkdiag`);
    const done = (r: ServerResult) => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => done(fail(false, `no answer within ${timeoutMs} ms`)), timeoutMs);
    ws.on('unexpected-response', (_req, res) => done(fail(true, `HTTP ${res.statusCode} on /rtc`)));
    ws.on('error', (e) => done(fail(false, e.message)));
    ws.on('message', (data: Buffer) => {
      try {
        const msg = SignalResponse.fromBinary(new Uint8Array(data));
        if (msg.message.case !== 'join') return;
        const version = msg.message.value.serverInfo?.version || msg.message.value.serverVersion;
        if (!version) return done(fail(true, 'the server sent no version'));
        done({
          ok: true,
          version,
          event: { t: Date.now(), source: 'server', kind: 'doctor.server', data: { url: p.url, version, edition: msg.message.value.serverInfo?.edition } },
        });
      } catch (e) {
        done(fail(true, `unreadable signal message: ${(e as Error).message}`));
      }
    });
  });
}
