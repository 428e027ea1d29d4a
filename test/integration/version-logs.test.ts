// The version matrix (issue #12 item 2): fixtures/logs/versions/<lang>-<version>-<scenario>-<level>.log
// are agent logs captured by scripts/version-matrix.mjs (real livekit-agents / @livekit/agents of each
// version, a real livekit-server, the lkdiag simulator's fault scenarios, one synthetic-user session
// each), with <name>.expected.json: the exact `severity:code` findings of `trace log` (sorted) and its
// exit code. Every capture must get them, and one cause must get one code in every version that shows it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lkdiag } from '../helpers/cli.js';

const DIR = join(import.meta.dirname, '../../fixtures/logs/versions');

interface Expected {
  agent: string;
  scenario: string;
  /** Python: default (INFO) or debug; Node: info (its default) or debug. */
  level: 'default' | 'info' | 'debug';
  simulator: string[];
  findings: string[];
  exitCode: number;
}

const NAME = /^(python|node)-(\d+\.\d+\.\d+)-([a-z0-9-]+)-(default|info|debug)$/;

/** Scenario names of the two halves of the matrix that are one cause. */
const ALIAS: Record<string, string> = { 'fail-insufficient-quota': 'insufficient-quota' };
const groupOf = (scenario: string) => ALIAS[scenario] ?? scenario;

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.expected.json'))
  .map((f) => {
    const name = f.replace(/\.expected\.json$/, '');
    const m = NAME.exec(name);
    return { name, lang: m?.[1], version: m?.[2], expected: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Expected };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

/** The code each fault's cause must get, at both levels, in every version that runs the scenario. */
const CAUSE: Record<string, string> = {
  'delay-created': 'error:agent/generate-reply-timeout',
  'upgrade-401': 'error:openai/invalid-api-key',
  'invalid-api-key': 'error:openai/invalid-api-key',
  'insufficient-quota': 'error:openai/quota-exceeded',
  'expire-after': 'warning:openai/session-expired',
  'active-response': 'error:openai/active-response-conflict',
  'barge-in': 'warning:agent/response-cancelled-by-user-speech',
  'pre-connect': 'info:preconnect/consumed',
};

/**
 * livekit-plugins-openai 1.0.x speaks the beta Realtime protocol (OpenAI-Beta header, session.update
 * without session.type); the simulator, like the GA API, rejects those updates, so every 1.0.x session
 * shows that cause first.
 */
const BETA_ERA = /^python-1\.0\./;
const BETA_BASELINE = 'error:openai/session-update-rejected';

/** Dev credentials only (devkey/secret, sk-test): no key, token or secret of any other shape. */
const SECRETISH = /(sk-[A-Za-z0-9]{20,}|eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{10,}|api[_-]?secret"?\s*[:=]\s*"?(?!secret\b)[A-Za-z0-9]{8,})/i;

async function traceLog(file: string): Promise<{ codes: string[]; exitCode: number | null }> {
  const r = await lkdiag(['trace', 'log', '--json', file], { timeoutMs: 60_000 });
  const last = r.stdout.trimEnd().split('\n').at(-1) ?? '{}';
  const report = JSON.parse(last) as { findings?: Array<{ severity: string; code: string }> };
  return { codes: (report.findings ?? []).map((f) => `${f.severity}:${f.code}`).sort(), exitCode: r.code };
}

describe('fixtures/logs/versions: the version matrix', () => {
  it('holds captures of several versions and every scenario', () => {
    expect(cases.every((c) => c.lang && c.version)).toBe(true);
    const versions = new Set(cases.filter((c) => c.lang === 'python').map((c) => c.version));
    expect(versions.size).toBeGreaterThanOrEqual(6);
    const scenarios = new Set(cases.map((c) => groupOf(c.expected.scenario)));
    for (const s of ['healthy', ...Object.keys(CAUSE)]) expect(scenarios, s).toContain(s);
  });

  describe.concurrent('each capture: its exact findings and exit code', () => {
    for (const { name, expected } of cases) {
      it(name, async () => {
        expect(readFileSync(join(DIR, `${name}.log`), 'utf8')).not.toMatch(SECRETISH);
        const got = await traceLog(join(DIR, `${name}.log`));
        expect(got.codes).toEqual(expected.findings);
        expect(got.exitCode).toBe(expected.exitCode);
      });
    }
  });

  describe('one cause, one code, in every version that shows it', () => {
    for (const [scenario, code] of Object.entries(CAUSE)) {
      it(`${scenario}: ${code}`, () => {
        const group = cases.filter((c) => groupOf(c.expected.scenario) === scenario);
        expect(group.length).toBeGreaterThan(0);
        expect(group.filter((c) => !c.expected.findings.includes(code)).map((c) => `${c.name}: ${c.expected.findings.join(' ')}`)).toEqual([]);
        for (const c of group) expect(c.expected.exitCode, c.name).toBe(c.expected.findings.some((f) => f.startsWith('error:')) ? 1 : 0);
      });
    }

    it('healthy: no error finding (1.0.x: only the rejected beta session.update)', () => {
      const group = cases.filter((c) => c.expected.scenario === 'healthy');
      expect(group.length).toBeGreaterThan(0);
      for (const c of group) {
        const errors = c.expected.findings.filter((f) => f.startsWith('error:'));
        if (BETA_ERA.test(c.name)) expect(errors.length, c.name).toBeGreaterThan(0);
        expect(
          errors.filter((f) => !(BETA_ERA.test(c.name) && f === BETA_BASELINE)),
          c.name,
        ).toEqual([]);
      }
    });
  });
});
