/**
 * lkdiag drive against the REAL reference agents (livekit-agents 1.8.9; @livekit/agents 1.9.0) in console mode, with the
 * simulator as its model (--model simulate): no LiveKit server. Each case is one `lkdiag drive` process
 * (the built CLI, as a user runs it); the cases run concurrently (each bounded; the CLI kills its agent
 * on the way out). Timing bounds are wide enough for a loaded 2-core machine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, codesOf, lkdiag, type JsonReport } from '../helpers/cli.js';
import { venvDir } from './harness.js';
import { e2ePrereqs } from './prereqs.js';

const { skip } = e2ePrereqs({ python: true, node: true });
const NODE_AGENT = join(ROOT, 'fixtures/agents/node/agent.mjs');
const PY = join(venvDir(), 'bin', 'python');
const AGENT = join(ROOT, 'fixtures/agents/python/agent.py');
const script = (name: string) => join(ROOT, 'fixtures/drive', `${name}.json`);

interface Turn {
  index: number;
  heardLatencyMs?: number;
  yieldMs?: number;
  yieldedBy?: string;
  answered: boolean;
  bargeIn: boolean;
  agentSpeechMs: number;
}
interface Gate {
  name: string;
  status: string;
  value: number | null;
}
type DriveReport = JsonReport & { turns: Turn[]; gates: Gate[] };

/** One drive run: --json on stdout; killed (and failing) after 85 s. */
async function drive(args: string[], env: Record<string, string> = {}) {
  const r = await lkdiag(['drive', '--json', '--python', PY, ...args], { env: { NO_COLOR: '1', ...env }, timeoutMs: 85_000 });
  let report: DriveReport | undefined;
  try {
    report = r.json<DriveReport>();
  } catch {
    throw new Error(
      `no JSON report (exit ${r.code}; stdout ${r.stdout.length} chars: ${JSON.stringify(r.stdout.slice(0, 300))} … ${JSON.stringify(r.stdout.slice(-300))}):\n${r.stderr.slice(-2000)}`,
    );
  }
  return { ...r, report };
}

const gate = (r: DriveReport, name: string) => r.gates.find((g) => g.name === name);

describe.skipIf(skip).concurrent('lkdiag drive × real livekit-agents 1.8.9 (console mode, simulated model)', () => {
  it('healthy two-turn session: exit 0, both turns answered, heard latency measured', { timeout: 90_000 }, async () => {
    expect(existsSync(PY)).toBe(true);
    const { code, report } = await drive(['--agent', AGENT, '--model', 'simulate', '--max-heard-latency', '6000']);
    expect(code).toBe(0);
    expect([report.schema, report.command, report.exitCode]).toEqual(['lkdiag/v1', 'drive', 0]);
    expect(report.turns.map((t) => t.answered)).toEqual([true, true]);
    for (const t of report.turns) {
      // VAD end-of-speech (~0.5 s of silence) + the simulated model + playout: well under 6 s, never negative
      expect(t.heardLatencyMs).toBeGreaterThan(200);
      expect(t.heardLatencyMs).toBeLessThan(6000);
      expect(t.agentSpeechMs).toBeGreaterThan(1000);
    }
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(gate(report, 'heard-latency')?.status).toBe('passed');
    expect(gate(report, 'all-answered')?.status).toBe('passed');
  });

  it('Node @livekit/agents 1.9.0 (node agent.mjs console, unmodified): healthy two turns, exit 0', { timeout: 90_000 }, async () => {
    const { code, report } = await drive(['--agent', NODE_AGENT, '--model', 'simulate', '--max-heard-latency', '6000']);
    expect(code).toBe(0);
    expect(report.turns.map((t) => t.answered)).toEqual([true, true]);
    for (const t of report.turns) {
      expect(t.heardLatencyMs).toBeGreaterThan(200);
      expect(t.heardLatencyMs).toBeLessThan(6000);
    }
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('slow model (delay-created=12000, a greeting): agent/generate-reply-timeout, heard-latency gate fails, exit 1', { timeout: 90_000 }, async () => {
    const { code, report } = await drive(
      ['--agent', AGENT, '--model', 'simulate:delay-created=12000', '--script', script('slow-greeting'), '--max-heard-latency', '3000'],
      { LKDIAG_AGENT_GREET: '1' },
    );
    expect(code).toBe(1);
    expect(codesOf(report)).toContain('error:agent/generate-reply-timeout');
    const heard = gate(report, 'heard-latency');
    expect(heard?.status).toBe('failed');
    // the turn's reply is created 12 s after response.create: heard ≥ 11 s
    expect(heard?.value).toBeGreaterThan(11_000);
    expect(heard?.value).toBeLessThan(20_000);
  });

  it('barge-in 3.5 s into a long reply: time to yield measured (audio_playback_clear), the cancel named', { timeout: 90_000 }, async () => {
    const { code, report } = await drive(['--agent', AGENT, '--model', 'simulate:reply-audio=24000', '--script', script('barge-in'), '--max-yield', '2000']);
    expect(code).toBe(0);
    const barge = report.turns.find((t) => t.bargeIn)!;
    expect(barge.yieldedBy).toBe('clear');
    // the agent's VAD must hear the speech first: tens to hundreds of ms, bounded by the gate
    expect(barge.yieldMs).toBeGreaterThan(0);
    expect(barge.yieldMs).toBeLessThan(2000);
    expect(report.turns[0]!.agentSpeechMs).toBeLessThan(8000); // the 24 s reply was cut short
    expect(codesOf(report)).toContain('info:agent/response-cancelled-by-user-speech');
    expect(gate(report, 'yield')?.status).toBe('passed');
  });

  it('an agent that crashes at start: drive/agent-exited with its exception, exit 3, no hang', { timeout: 90_000 }, async () => {
    const { code, report, ms } = await drive(['--agent', join(ROOT, 'fixtures/drive/agents/crash_at_start.py'), '--model', 'simulate']);
    expect(code).toBe(3);
    expect(codesOf(report)).toEqual(['error:drive/agent-exited']);
    expect(report.findings[0]!.detail).toContain('RuntimeError: LKDIAG_CRASH_FIXTURE_KEY is not set');
    expect(ms).toBeLessThan(60_000);
  });

  it('an agent started as a worker, not in console mode, never connects: exit 4 within the bound', { timeout: 90_000 }, async () => {
    const cmd = `sh -c "exec ${PY} ${AGENT} start" {addr}`;
    const { code, report, ms } = await drive(['--agent-cmd', cmd, '--connect-timeout', '6'], {
      LIVEKIT_URL: 'ws://127.0.0.1:9',
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: 'secret-secret-secret-secret-secret',
    });
    expect(code).toBe(4);
    expect(codesOf(report)).toContain('error:drive/agent-not-connected');
    // 6 s bound + script load + the agent's SIGTERM shutdown (≤ 5 s, then SIGKILL)
    expect(ms).toBeLessThan(30_000);
  });
});
