/**
 * A tiny Realtime client for tests and harnesses: connect, send, wait for events.
 * Not a probe (see src/sources/probe.ts); it only makes assertions easy.
 */
import WebSocket from 'ws';
import type { RealtimeEvent } from '../protocol/realtime.js';

export type EventMatcher = string | ((e: RealtimeEvent) => boolean);

export interface UpgradeRefusal {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export class SimClient {
  readonly events: RealtimeEvent[] = [];
  closeCode: number | null = null;
  closeReason = '';
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.events.push(JSON.parse(data.toString()) as RealtimeEvent);
      for (const w of [...this.waiters]) w();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        for (const w of [...this.waiters]) w();
        resolve({ code, reason: this.closeReason });
      });
    });
  }

  /** Connects to `url` (http(s) or ws(s)); rejects with an {@link UpgradeRefusal}-carrying Error on a non-101. */
  static connect(url: string, opts: { apiKey?: string | null; headers?: Record<string, string> } = {}): Promise<SimClient> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.apiKey !== null) headers.Authorization = `Bearer ${opts.apiKey ?? 'sk-test'}`;
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers });
    const client = new SimClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          const err = new Error(`upgrade refused: HTTP ${res.statusCode}`) as Error & { refusal: UpgradeRefusal };
          err.refusal = { status: res.statusCode ?? 0, body, headers: res.headers };
          ws.terminate();
          reject(err);
        });
      });
      ws.once('error', reject);
    });
  }

  /** The refusal of an upgrade expected to fail. */
  static async refusal(url: string, opts: { apiKey?: string | null; headers?: Record<string, string> } = {}): Promise<UpgradeRefusal> {
    try {
      const c = await SimClient.connect(url, opts);
      c.close();
    } catch (e) {
      const r = (e as { refusal?: UpgradeRefusal }).refusal;
      if (r) return r;
      throw e;
    }
    throw new Error('expected the upgrade to be refused, but it succeeded');
  }

  send(event: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(event));
  }

  /** Index to pass as `from` so a later wait only sees newer events. */
  mark(): number {
    return this.events.length;
  }

  of(type: string): RealtimeEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  /** Resolves with the first event at index ≥ `from` matching `m`. */
  waitFor(m: EventMatcher, timeoutMs = 5000, from = 0): Promise<RealtimeEvent> {
    const match = typeof m === 'string' ? (e: RealtimeEvent) => e.type === m : m;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        for (let i = from; i < this.events.length; i++) {
          if (match(this.events[i]!)) {
            done();
            resolve(this.events[i]!);
            return;
          }
        }
        if (this.closeCode !== null) {
          done();
          reject(new Error(`socket closed (${this.closeCode} ${this.closeReason}) before ${describe(m)}; got: ${this.types(from).join(', ')}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe(m)}; got: ${this.types(from).join(', ')}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Event types received from index `from` on (audio deltas collapsed for readability). */
  types(from = 0): string[] {
    const out: string[] = [];
    for (const e of this.events.slice(from)) {
      if (out.at(-1) === e.type && e.type.endsWith('.delta')) continue;
      out.push(e.type);
    }
    return out;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }
}

function describe(m: EventMatcher): string {
  return typeof m === 'string' ? m : 'a matching event';
}
