/**
 * What the simulator saw, per connection: redacted headers, client events (audio replaced
 * by its byte length), server events, the input audio, and how the socket closed.
 */
import { EventEmitter } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { concatPcm16 } from '../audio/pcm.js';
import type { RealtimeEvent } from '../protocol/realtime.js';

const SECRET_HEADERS = new Set(['authorization', 'api-key', 'proxy-authorization', 'cookie', 'x-api-key', 'openai-organization', 'openai-project']);
const SECRET_QUERY = new Set(['api-key', 'api_key', 'key', 'token', 'access_token']);

export const REDACTED = 'REDACTED';

export interface TimedEvent {
  /** Epoch ms. */
  t: number;
  event: RealtimeEvent;
}

export interface ServerEventRecord {
  t: number;
  type: string;
  /** The event as sent, audio deltas replaced by `{ delta_bytes }`. */
  event: RealtimeEvent;
}

export class ConnectionRecord {
  readonly id: string;
  readonly path: string;
  readonly openedAt = Date.now();
  readonly headers: Record<string, string>;
  scenarios: string[];
  model: string | null = null;
  /** HTTP status when the upgrade was refused (no WebSocket then). */
  upgradeStatus: number | null = null;
  readonly clientEvents: TimedEvent[] = [];
  readonly serverEvents: ServerEventRecord[] = [];
  closeCode: number | null = null;
  closeReason: string | null = null;
  closedAt: number | null = null;
  private readonly chunks: Int16Array[] = [];
  private audioCache: Int16Array | null = null;

  constructor(id: string, path: string, headers: Record<string, string | string[] | undefined>, scenarios: string[]) {
    this.id = id;
    this.path = redactPath(path);
    this.headers = redactHeaders(headers);
    this.scenarios = scenarios;
  }

  /** PCM16 24 kHz mono: every `input_audio_buffer.append`, in order. */
  get inputAudio(): Int16Array {
    if (!this.audioCache) this.audioCache = concatPcm16(...this.chunks);
    return this.audioCache;
  }

  addAudio(samples: Int16Array): void {
    this.chunks.push(samples);
    this.audioCache = null;
  }

  /** Client events of a type. */
  client(type: string): RealtimeEvent[] {
    return this.clientEvents.filter((e) => e.event.type === type).map((e) => e.event);
  }

  /** Server events of a type. */
  server(type: string): RealtimeEvent[] {
    return this.serverEvents.filter((e) => e.type === type).map((e) => e.event);
  }

  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      path: this.path,
      headers: this.headers,
      scenarios: this.scenarios,
      model: this.model,
      openedAt: this.openedAt,
      upgradeStatus: this.upgradeStatus,
      clientEvents: this.clientEvents,
      serverEvents: this.serverEvents,
      inputAudio: { samples: this.inputAudio.length, sampleRate: 24000, file: `input-${this.id}.wav` },
      closeCode: this.closeCode,
      closeReason: this.closeReason,
      closedAt: this.closedAt,
    };
  }
}

export class Recording {
  readonly connections: ConnectionRecord[] = [];
  private readonly emitter = new EventEmitter();
  private counter = 0;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** @internal */
  newConnection(path: string, headers: Record<string, string | string[] | undefined>, scenarios: string[]): ConnectionRecord {
    const rec = new ConnectionRecord(`conn${++this.counter}`, path, headers, scenarios);
    this.connections.push(rec);
    this.emitter.emit('connection', rec);
    this.changed();
    return rec;
  }

  /** @internal Signal that something was recorded (wakes {@link waitFor}). */
  changed(): void {
    this.emitter.emit('change');
  }

  /** Calls `fn` for every new connection (including refused upgrades). Returns an unsubscribe function. */
  onConnection(fn: (c: ConnectionRecord) => void): () => void {
    this.emitter.on('connection', fn);
    return () => this.emitter.off('connection', fn);
  }

  /** Resolves with connection number `index` (0-based; default the first) once it exists. */
  waitForConnection(timeoutMs = 5000, index = 0): Promise<ConnectionRecord> {
    return this.waitFor(() => this.connections[index], timeoutMs, `connection #${index + 1}`);
  }

  /** Resolves with the first truthy value of `probe()`, re-evaluated on every recorded change. */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const v = probe();
        if (v) {
          cleanup();
          resolve(v);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`simulator recording: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.emitter.off('change', check);
      };
      this.emitter.on('change', check);
      check();
    });
  }

  toJSON(): { connections: Record<string, unknown>[] } {
    return { connections: this.connections.map((c) => c.toJSON()) };
  }

  /** Writes `events.json` and one `input-<connId>.wav` per connection into `dir`. Returns the files written. */
  async writeTo(dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const files: string[] = [];
    const events = join(dir, 'events.json');
    await writeFile(events, JSON.stringify(this.toJSON(), null, 2));
    files.push(events);
    for (const c of this.connections) {
      const wav = new wavefile.WaveFile();
      wav.fromScratch(1, 24000, '16', c.inputAudio);
      const file = join(dir, `input-${c.id}.wav`);
      await writeFile(file, wav.toBuffer());
      files.push(file);
    }
    return files;
  }
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function redactPath(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return path;
  const params = new URLSearchParams(path.slice(q + 1));
  for (const k of [...params.keys()]) if (SECRET_QUERY.has(k.toLowerCase())) params.set(k, REDACTED);
  return `${path.slice(0, q)}?${params.toString()}`;
}
