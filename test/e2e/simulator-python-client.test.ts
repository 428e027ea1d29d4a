/**
 * Real-client check: LiveKit's own Python OpenAI plugin (unmodified) against the simulator.
 * Needs a Python with livekit-agents + livekit-plugins-openai: env LKDIAG_PYTHON, or the venv
 * made by `bash scripts/setup-agent-venv.sh` (~/.cache/lkdiag/venv-* or $LKDIAG_CACHE/venv-*).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = join(ROOT, 'test/e2e/py/sim_client.py');
const SPEECH_WAV = join(ROOT, 'fixtures/audio/speech-24k-mono.wav');
const SPEECH_TXT = join(ROOT, 'fixtures/audio/speech-24k-mono.txt');

function findPython(): { python?: string; tried: string[] } {
  const tried: string[] = [];
  const candidates: string[] = [];
  if (process.env.LKDIAG_PYTHON) candidates.push(process.env.LKDIAG_PYTHON);
  for (const cache of [process.env.LKDIAG_CACHE, join(homedir(), '.cache/lkdiag')]) {
    if (!cache || !existsSync(cache)) continue;
    for (const d of readdirSync(cache)
      .filter((n) => n.startsWith('venv-'))
      .sort())
      candidates.push(join(cache, d, 'bin/python'));
  }
  for (const py of candidates) {
    tried.push(py);
    if (!existsSync(py)) continue;
    try {
      execFileSync(py, ['-c', 'import livekit.agents, livekit.plugins.openai'], { stdio: 'ignore', timeout: 60_000 });
      return { python: py, tried };
    } catch {
      /* not usable */
    }
  }
  return { tried };
}

const found = findPython();
const missing = !found.python;
if (missing) {
  const what = `a Python with livekit-agents + livekit-plugins-openai (tried: ${found.tried.join(', ') || 'LKDIAG_PYTHON unset, no ~/.cache/lkdiag/venv-*'})`;
  if (process.env.CI) {
    throw new Error(`simulator-python-client: missing ${what}. Run: bash scripts/setup-agent-venv.sh`);
  }
  console.warn(
    [
      '',
      '#'.repeat(78),
      '# SKIPPING simulator-python-client e2e test',
      `# missing: ${what}`,
      '# fix:     bash scripts/setup-agent-venv.sh   (or set LKDIAG_PYTHON)',
      '#'.repeat(78),
      '',
    ].join('\n'),
  );
}

interface PyResult {
  ok: boolean;
  plugin_version: string;
  exception?: string;
  phases: Record<string, any>;
  client_events: Array<{ t: number; type: string; event_id?: string }>;
  server_events: Array<{ t: number; type: string; event: any }>;
  unhandled: string[];
  errors: string[];
  warnings: string[];
}

function runPython(python: string, baseUrl: string): Promise<{ result: PyResult; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python, [SCRIPT, '--base-url', baseUrl, '--wav', SPEECH_WAV], {
      env: { ...process.env, LK_OPENAI_DEBUG: '1', OPENAI_API_KEY: 'sk-test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        resolvePromise({ result: JSON.parse(last) as PyResult, stderr: err });
      } catch {
        reject(new Error(`python exited ${code} without a JSON summary.\nstdout:\n${out}\nstderr:\n${err.slice(-4000)}`));
      }
    });
  });
}

describe.skipIf(missing)('LiveKit Python plugin against the simulator', () => {
  let sim: Simulator;
  const logs: string[] = [];
  let run: { result: PyResult; stderr: string };

  beforeAll(async () => {
    const wav = new wavefile.WaveFile(readFileSync(SPEECH_WAV));
    const pcm = Int16Array.from(wav.getSamples(false, Int16Array));
    sim = await startSimulator({
      log: (l) => logs.push(l),
      transcripts: [{ text: readFileSync(SPEECH_TXT, 'utf8').trim(), pcm24k: pcm }],
    });
    run = await runPython(found.python!, sim.baseUrl);
    if (process.env.LKDIAG_E2E_VERBOSE) console.log(JSON.stringify(run.result, null, 2), run.stderr);
  }, 150_000);

  afterAll(async () => {
    await sim?.close();
  });

  it('connects, updates the session, and is never rejected', () => {
    const r = run.result;
    expect(r.exception, run.stderr.slice(-3000)).toBeUndefined();
    const conn = sim.recording.connections[0]!;
    expect(conn.headers.authorization).toBe('REDACTED');
    expect(JSON.stringify(sim.recording.toJSON())).not.toContain('sk-test');
    expect(conn.path).toMatch(/^\/v1\/realtime\?model=gpt-realtime/);
    expect(conn.client('session.update').length).toBeGreaterThanOrEqual(1);
    expect(conn.server('session.updated').length).toBe(conn.client('session.update').length);
    // the only error allowed is a benign late cancel (both plugins drop it by message prefix)
    const errors = conn.server('error').map((e) => (e.error as { code: string }).code);
    expect(
      errors.filter((c) => c !== 'response_cancel_not_active'),
      logs.join('\n'),
    ).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(sim.recording.connections).toHaveLength(1); // no reconnects
  });

  it('generate_reply gets a spoken, user-initiated reply that completes', () => {
    const g = run.result.phases.generate_reply;
    expect(g.user_initiated).toBe(true);
    expect(g.audio_frames).toBeGreaterThan(0);
    expect(g.audio_ms).toBeGreaterThan(1000);
    expect(g.modalities).toEqual(['audio', 'text']);
    expect(g.text.length).toBeGreaterThan(0);
    const done = run.result.server_events.filter((e) => e.type === 'response.done').map((e) => e.event.response);
    expect(done[0].status).toBe('completed');
    expect(done[0].metadata.client_event_id).toMatch(/^response_create_/);
  });

  it('interrupt cancels with client_cancelled and truncate is accepted', () => {
    const done = run.result.server_events.filter((e) => e.type === 'response.done').map((e) => e.event.response);
    expect(done[1].status).toBe('cancelled');
    expect(done[1].status_details).toEqual({ type: 'cancelled', reason: 'client_cancelled' });
    expect(run.result.server_events.some((e) => e.type === 'conversation.item.truncated')).toBe(true);
  });

  it('server VAD: speech started/stopped, the oracle transcript, and an auto reply', () => {
    const v = run.result.phases.server_vad;
    const kinds = v.events.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('speech_started');
    expect(kinds).toContain('speech_stopped');
    const tr = v.events.find((e: { kind: string }) => e.kind === 'transcript');
    expect(tr?.text).toBe(readFileSync(SPEECH_TXT, 'utf8').trim());
    expect(v.auto_reply.audio_frames).toBeGreaterThan(0);
    const conn = sim.recording.connections[0]!;
    const autoCreated = conn.server('response.created').at(-1)!;
    expect((autoCreated.response as { metadata: unknown }).metadata).toBeNull();
  });
});
