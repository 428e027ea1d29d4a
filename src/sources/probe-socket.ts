/**
 * The socket half of a probe, shared by the Realtime probe (probe.ts) and the GPT-Live probe (probe-live.ts):
 * the upgrade request, every socket event as a trace event (upgrade answer, a refused upgrade with its body,
 * connect errors, the close and who closed), JSON messages handed to the protocol's own reader, the bounded
 * close, and the run wrapper that turns an abort into `probe.interrupted`. What a protocol sends and expects
 * stays in its own module.
 */
import WebSocket from 'ws';
import type { TraceEvent } from '../diagnose/types.js';
import { Recorder } from './recorder.js';

export interface ProbeSocketOptions {
  url: URL;
  apiKey: string;
  /** Auth headers instead of `Authorization: Bearer <apiKey>` (Azure's api-key / Entra token: protocol/providers.ts). */
  headers?: Record<string, string>;
  /** The upgrade's handshake bound (each step's bound), ms. */
  stepTimeoutMs: number;
  onEvent?: (e: TraceEvent) => void;
}

export interface ProbeSocketRun {
  events: TraceEvent[];
  interrupted: boolean;
}

/** How long a clean close (1000) may take before the socket is terminated. */
const CLOSE_BOUND_MS = 1000;

export abstract class ProbeSocket {
  protected readonly rec: Recorder;
  protected readonly ws: WebSocket;
  /** The connection has ended (closed, refused, or the upgrade failed). */
  protected closed = false;
  /** We are closing it ourselves. */
  protected closing = false;
  protected interrupted = false;

  /** `api` names the session shape in the upgrade request's record; `extraHeaders` go beside the auth headers. */
  constructor(o: ProbeSocketOptions, api: string, extraHeaders: Record<string, string> = {}) {
    this.rec = new Recorder({ source: 'probe', onEvent: o.onEvent });
    const headers: Record<string, string> = { ...(o.headers ?? { Authorization: `Bearer ${o.apiKey}` }), 'User-Agent': 'lkdiag', ...extraHeaders };
    this.rec.record('probe.upgrade.request', { url: o.url.toString(), api, headers: Object.keys(headers) });
    this.ws = new WebSocket(o.url, { headers, handshakeTimeout: o.stepTimeoutMs });
    this.listen();
  }

  /** A message the server sent, parsed as JSON (a message that is not JSON is recorded as probe.protocol.error). */
  protected abstract onMessage(message: unknown): void;

  /** The exchange, step by step. */
  abstract run(): Promise<void>;

  /** Ends the exchange: settles the waits and closes the socket. */
  abstract close(): Promise<void>;

  result(): ProbeSocketRun {
    return { events: this.rec.events, interrupted: this.interrupted };
  }

  interrupt(): void {
    this.interrupted = true;
    this.rec.record('probe.interrupted', {});
  }

  /** A clean close (1000, `reason`) within CLOSE_BOUND_MS, else terminate; a socket not open yet is terminated. */
  protected endSocket(reason?: string): Promise<void> {
    this.closing = true;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, CLOSE_BOUND_MS);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, reason);
      else this.ws.terminate();
    });
  }

  /** Every socket event becomes a trace event. */
  private listen(): void {
    const { ws, rec } = this;
    ws.on('upgrade', (res) => rec.record('probe.upgrade.response', { status: res.statusCode ?? 101 }));
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const finish = () => {
        const location = res.headers.location;
        rec.record('probe.upgrade.response', {
          status: res.statusCode ?? 0,
          statusMessage: res.statusMessage,
          body: Buffer.concat(chunks).toString('utf8').slice(0, 2000),
          ...(typeof location === 'string' ? { location } : {}),
        });
        this.closed = true;
        rec.record('probe.close', { code: 1006, reason: `HTTP ${res.statusCode}`, by: 'server' });
        ws.terminate();
      };
      res.on('end', finish);
      res.on('error', finish);
    });
    ws.on('error', (err: NodeJS.ErrnoException) => {
      if (this.closed) return;
      this.closed = true;
      rec.record('probe.connect.error', { code: err.code ?? 'ERROR', message: err.message });
    });
    ws.on('message', (raw) => {
      let message: unknown;
      try {
        message = JSON.parse(raw.toString());
      } catch {
        rec.record('probe.protocol.error', { message: 'non-JSON message from server', bytes: String(raw).length });
        return;
      }
      this.onMessage(message);
    });
    ws.on('close', (code, reason) => {
      if (this.closed) return;
      this.closed = true;
      rec.record('probe.close', { code, reason: reason.toString(), by: this.closing ? 'client' : 'server' });
    });
  }
}

/** Runs one probe: an abort of `signal` interrupts it (recorded), and it is always closed. */
export async function runProbeSocket(p: ProbeSocket, signal: AbortSignal | undefined): Promise<ProbeSocketRun> {
  const onAbort = () => p.interrupt();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await p.run();
    return p.result();
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await p.close();
  }
}
