/**
 * Real-client check for GPT-Live: livekit-agents 1.8.9's own GPTLiveModel (unmodified) against the simulator's
 * /v1/live/sessions, driven by test/e2e/py/sim_gpt_live.py (session() directly, no room). Three runs in
 * parallel: a turn with a backend tool call (delegation → function call → output → continuation), a
 * session.closed{expired} (what the plugin does: reconnects silently, the history as startup input), and a
 * forbidden voice (fatal: the session ends with a non-recoverable error). Bounds: each run ≤ 40 s (the driver's
 * own waits are ≤ 20 s), the file ≤ 60 s on a loaded 2-core machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = join(ROOT, 'test/e2e/py/sim_gpt_live.py');
const WAV = join(ROOT, 'fixtures/audio/speech-24k-mono.wav');
const TXT = join(ROOT, 'fixtures/audio/speech-24k-mono.txt');
/** The reference venv: livekit-agents 1.8.9 + livekit-plugins-openai 1.8.9 (scripts/setup-agent-venv.sh). */
const PYTHON = process.env.LKDIAG_PYTHON ?? join(homedir(), '.cache/lkdiag/venv-22b4078bd7ac/bin/python');

function usable(py: string): boolean {
  if (!existsSync(py)) return false;
  try {
    execFileSync(py, ['-c', 'from livekit.plugins.openai.realtime import GPTLiveModel'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
const missing = !usable(PYTHON);
if (missing && process.env.CI)
  throw new Error(`simulator-gpt-live: ${PYTHON} has no GPTLiveModel (livekit-agents ≥ 1.8.9). Run: bash scripts/setup-agent-venv.sh`);

interface Run {
  exception?: string;
  server: Array<{ t: number; type: string; reason?: string; error?: { code: string } }>;
  client: Array<{ t: number; type: string; input?: Array<{ role: string; content: Array<{ text: string }> }> | null }>;
  user_transcripts: string[];
  assistant_text: string;
  audio_bytes: number;
  function_calls: Array<{ name: string; arguments: string }>;
  reconnects: number;
  errors: Array<{ error: string; recoverable: boolean }>;
  warnings: string[];
  log_errors: string[];
  timed_out?: boolean;
  aclose_exception?: string;
}

function runPython(baseUrl: string, extra: string[]): Promise<{ run: Run; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(PYTHON, [SCRIPT, '--base-url', baseUrl, '--wav', WAV, ...extra], {
      env: { ...process.env, OPENAI_API_KEY: 'sk-test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolvePromise({ run: JSON.parse(out.trim().split('\n').at(-1) ?? '') as Run, stderr: err, ms: Date.now() - t0 });
      } catch {
        reject(new Error(`python exited ${code} without a JSON summary.\n${err.slice(-3000)}`));
      }
    });
  });
}

describe.skipIf(missing)('livekit-agents 1.8.9 GPTLiveModel against the GPT-Live simulator', () => {
  let sim: Simulator;
  const logs: string[] = [];
  let tools: { run: Run; stderr: string; ms: number };
  let expired: { run: Run; stderr: string; ms: number };
  let forbidden: { run: Run; stderr: string; ms: number };
  const text = readFileSync(TXT, 'utf8').trim();

  beforeAll(async () => {
    const wav = new wavefile.WaveFile(readFileSync(WAV));
    sim = await startSimulator({ log: (l) => logs.push(l), transcripts: [{ text, pcm24k: Int16Array.from(wav.getSamples(false, Int16Array)) }] });
    [tools, expired, forbidden] = await Promise.all([
      runPython(sim.baseUrl, ['--tools']),
      runPython(sim.urlFor(['live-close-expired']), ['--after-s', '1']),
      runPython(sim.urlFor(['live-forbidden-voice']), ['--timeout', '5']),
    ]);
  }, 55_000);

  afterAll(async () => {
    await sim?.close();
  });

  it('a turn: the oracle transcript, a backend tool call answered, the continuation spoken, audio out, closed on request', () => {
    const r = tools.run;
    expect(r.exception, tools.stderr.slice(-3000)).toBeUndefined();
    expect(r.timed_out).toBeUndefined();
    expect(r.user_transcripts).toEqual([text]);
    expect(r.function_calls).toEqual([{ name: 'get_weather', arguments: '{"city":"lkdiag"}' }]);
    expect(r.assistant_text).toContain('sunny in lkdiag');
    expect(r.audio_bytes).toBeGreaterThan(24000 * 2); // over a second of 24 kHz PCM16
    expect(r.client.map((e) => e.type)).toEqual(['session.start', 'response.item.create', 'response.create', 'session.close']);
    expect(r.server.filter((e) => e.type === 'session.closed').map((e) => e.reason)).toEqual(['close_requested']);
    expect([r.errors, r.warnings, r.log_errors, r.reconnects]).toEqual([[], [], [], 0]);
    const conn = sim.recording.connections.find((c) => c.client('response.create').length > 0)!;
    expect(conn.path).toBe('/v1/live/sessions');
    expect(conn.headers.authorization).toBe('REDACTED');
    expect(conn.headers['openai-beta']).toBeUndefined();
    expect(conn.server('error')).toEqual([]);
  });

  it('session.closed{expired}: the plugin reconnects at once, with no error, the conversation as startup input', () => {
    const r = expired.run;
    expect(r.exception, expired.stderr.slice(-3000)).toBeUndefined();
    const closed = r.server.filter((e) => e.type === 'session.closed').map((e) => e.reason);
    expect(closed).toEqual(['expired', 'close_requested']);
    expect(r.reconnects).toBe(1);
    // no error — except when the plugin's audio send races the server's close (seen under load): then one
    // recoverable "GPT-Live send failed" and "retrying in 0.1s", and the same reconnect
    expect(r.errors.every((e) => e.recoverable && e.error === 'GPT-Live send failed')).toBe(true);
    expect(r.warnings.every((w) => w.startsWith('OpenAI Live API connection failed, retrying in'))).toBe(true);
    expect(r.log_errors).toEqual([]);
    const starts = r.client.filter((e) => e.type === 'session.start');
    expect(starts).toHaveLength(2);
    expect(starts[0]!.input ?? null).toBeNull();
    expect(starts[1]!.input?.map((i) => [i.role, i.content[0]!.text])).toEqual([
      ['user', text],
      ['assistant', `I heard: ${text}`],
    ]);
    const reopenedMs = r.server.filter((e) => e.type === 'session.started')[1]!.t - r.server.find((e) => e.reason === 'expired')!.t;
    expect(reopenedMs).toBeLessThan(5000); // no backoff: a new session right away (measured ~30 ms idle)
  });

  it('a forbidden voice: error code forbidden is fatal — a non-recoverable error, no retry, no session', () => {
    const r = forbidden.run;
    expect(r.exception, forbidden.stderr.slice(-3000)).toBeUndefined();
    expect(r.server.map((e) => e.type)).toEqual(['error']);
    expect(r.server[0]!.error?.code).toBe('forbidden');
    expect(r.errors.map((e) => e.recoverable)).toEqual([false]);
    expect(r.log_errors).toContain('gpt-live returned an error');
    expect(r.client.map((e) => e.type)).toEqual(['session.start']);
    expect(r.aclose_exception).toBe('APIError: GPT-Live returned an error'); // aclose() re-raises it
    expect(r.timed_out).toBeUndefined();
  });

  it('each run stays within its bound', () => {
    for (const x of [tools, expired, forbidden]) expect(x.ms).toBeLessThan(40_000);
  });
});
