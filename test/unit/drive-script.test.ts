import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultScriptPath, loadScript, noiseSamples } from '../../src/drive/script.js';
import { UserError } from '../../src/errors.js';
import { rmsDbfs } from '../../src/audio/pcm.js';

const WAV = join(process.cwd(), 'fixtures/audio/speech-48k-mono.wav');
const WAV24 = join(process.cwd(), 'fixtures/audio/preconnect-part1.wav');

function script(name: string, body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkdiag-drive-script-'));
  const f = join(dir, name);
  writeFileSync(f, body);
  return f;
}

function errorOf(f: string): { message: string; hint: string; exitCode: number } {
  try {
    loadScript(f);
  } catch (err) {
    if (err instanceof UserError) return { message: err.message, hint: err.hint, exitCode: err.exitCode };
    throw err;
  }
  throw new Error('no error');
}

describe('drive script', () => {
  it('loads every step kind (JSON), WAVs at 48 kHz mono', () => {
    const f = script(
      'ok.json',
      JSON.stringify({
        reply_timeout_ms: 7000,
        turns: [
          { say: WAV },
          { wait: 'reply' },
          { wait: { for: 'silence', timeout_ms: 900 } },
          { pause: 250 },
          { pause: { ms: 10 } },
          { barge_in: { wav: WAV24, after_ms: 800 } },
          { noise: { ms: 100, level: -40 } },
          'hangup',
        ],
      }),
    );
    const s = loadScript(f);
    expect(s.steps.map((x) => x.kind)).toEqual(['say', 'wait', 'wait', 'pause', 'pause', 'barge_in', 'noise', 'hangup']);
    const say = s.steps[0]!;
    expect(say.kind === 'say' && Math.abs(say.samples.length / 48 - 1910)).toBeLessThan(10);
    const barge = s.steps[5]!;
    // a 24 kHz file is resampled to 48 kHz: twice the samples of its 3.47 s
    expect(barge.kind === 'barge_in' && Math.abs(barge.samples.length / 48 - 3470)).toBeLessThan(10);
    expect(s.steps[1]).toEqual({ kind: 'wait', for: 'reply', timeoutMs: 7000 });
    expect(s.steps[2]).toEqual({ kind: 'wait', for: 'silence', timeoutMs: 900 });
    expect(s.steps[6]).toEqual({ kind: 'noise', ms: 100, level: -40 });
  });

  it('reads YAML, paths relative to the script', () => {
    const f = script('s.yaml', `turns:\n  - say: ${WAV}\n  - wait: reply\n  - hangup\n`);
    expect(loadScript(f).steps.map((x) => x.kind)).toEqual(['say', 'wait', 'hangup']);
  });

  it('the default script plays the bundled fixtures', () => {
    const s = loadScript(defaultScriptPath());
    expect(s.steps.filter((x) => x.kind === 'say').length).toBe(2);
    expect(s.steps.at(-1)).toEqual({ kind: 'hangup' });
  });

  const cases: Array<[string, string, string, RegExp]> = [
    [
      'missing WAV',
      'script.json',
      JSON.stringify({ turns: [{ say: 'a.wav' }, { wait: 'reply' }, { say: 'nope.wav' }] }),
      /^script\.json: turns\[0\]\.say: file not found \(a\.wav\)$/,
    ],
    [
      'missing barge-in WAV',
      'script.json',
      JSON.stringify({ turns: [{ barge_in: { wav: 'x.wav', after_ms: 5 } }] }),
      /^script\.json: turns\[0\]\.barge_in\.wav: file not found \(x\.wav\)$/,
    ],
    ['unknown step', 'script.json', JSON.stringify({ turns: [{ shout: 'x' }] }), /^script\.json: turns\[0\]: must NOT have additional properties 'shout'$/],
    [
      'bad wait',
      'script.json',
      JSON.stringify({ turns: [{ wait: 'forever' }] }),
      /^script\.json: turns\[0\]\.wait: must be equal to one of the allowed values \(reply, silence\)$/,
    ],
    [
      'barge-in without after_ms',
      'script.json',
      JSON.stringify({ turns: [{ barge_in: { wav: 'x.wav' } }] }),
      /^script\.json: turns\[0\]\.barge_in: must have required property 'after_ms'$/,
    ],
    ['negative pause', 'script.json', JSON.stringify({ turns: [{ pause: -5 }] }), /^script\.json: turns\[0\]\.pause: must be >= 0$/],
    [
      'two actions in a step',
      'script.json',
      JSON.stringify({ turns: [{ pause: 5, wait: 'reply' }] }),
      /^script\.json: turns\[0\]: must NOT have more than 1 properties$/,
    ],
    ['no turns', 'script.json', JSON.stringify({}), /^script\.json: \(top level\): must have required property 'turns'$/],
    ['not JSON', 'script.json', '{ turns: [', /^script\.json: not valid JSON \(/],
    ['not YAML', 'script.yaml', 'turns: [a, b', /^script\.yaml: not valid YAML \(/],
  ];
  for (const [what, name, body, message] of cases) {
    it(`exit 2 with the step named: ${what}`, () => {
      const e = errorOf(script(name, body));
      expect(e.exitCode).toBe(2);
      expect(e.message).toMatch(message);
      expect(e.hint.length).toBeGreaterThan(10);
    });
  }

  it('a script that does not exist', () => {
    const e = errorOf('/nonexistent/s.json');
    expect([e.exitCode, e.message]).toEqual([2, 's.json: file not found (/nonexistent/s.json)']);
  });

  it('noise has the level asked for', () => {
    expect(Math.abs(rmsDbfs(noiseSamples(500, -40)) + 40)).toBeLessThan(0.5);
  });
});
