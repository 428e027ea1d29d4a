import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { allCodes } from '../../src/diagnose/catalogue.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { DOCTOR_RULES } from '../../src/diagnose/rules/doctor/index.js';
import { SETUP } from '../../src/diagnose/rules/doctor/codes.js';
import { DOCTOR_CATALOGUE } from '../../src/doctor/catalogue.data.js';
import { CATALOGUE_SCHEMA } from '../../src/doctor/catalogue.schema.js';
import { discover } from '../../src/doctor/discover.js';
import { rangeIsValid } from '../../src/doctor/ranges.js';
import { readdirSync } from 'node:fs';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { traceEvent } from '../../src/events/index.js';

const PROJECTS = readdirSync('fixtures/projects').filter((d) => d !== 'no-deps');
/** The server entry needs --url: its fixture is a recorded doctor.server fact. */
const SERVER_FACT = traceEvent(0, 'server', 'doctor.server', { url: 'ws://old:7880', version: '1.8.4' });

async function codesOf(dir: string, extra: TraceEvent[] = []) {
  const d = await discover(`fixtures/projects/${dir}`, {});
  return diagnose([...d.events, ...extra], DOCTOR_RULES, { command: 'doctor' });
}

describe('doctor catalogue', () => {
  it('validates against its JSON Schema', () => {
    const ajv = new Ajv({ allErrors: true });
    const ok = ajv.validate(CATALOGUE_SCHEMA, DOCTOR_CATALOGUE);
    expect(ajv.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
  it('has unique ids, code = deps/<id>, valid ranges, and is in the global CATALOGUE', () => {
    const ids = DOCTOR_CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const global = new Set(allCodes().map((m) => m.code));
    for (const e of DOCTOR_CATALOGUE) {
      expect(e.code).toBe(`deps/${e.id}`);
      expect(rangeIsValid(e.affected), e.affected).toBe(true);
      expect(global.has(e.code)).toBe(true);
    }
    for (const m of Object.values(SETUP)) expect(global.has(m.code)).toBe(true);
  });
  it('every catalogue entry is triggered by some fixture project', async () => {
    const seen = new Set<string>();
    for (const p of PROJECTS) for (const f of await codesOf(p, p === 'py-poetry-old' ? [SERVER_FACT] : [])) seen.add(f.code);
    for (const e of DOCTOR_CATALOGUE) expect(seen.has(e.code), e.code).toBe(true);
    for (const m of Object.values(SETUP))
      if (m.code !== SETUP.regexFallback.code && m.code !== SETUP.temperatureIgnored.code) expect(seen.has(m.code), m.code).toBe(true);
  });
});

describe('doctor rules on fixture projects (exact codes)', () => {
  const expected: Record<string, string[]> = {
    'py-healthy': [],
    'py-pipfile': ['deps/error-correlation-gap:warning', 'deps/fatal-errors-retried-python:warning', 'deps/truncate-zero-python:warning'],
    'py-poetry-old': [
      'deps/beta-header-python:error',
      'deps/error-correlation-gap:warning',
      'deps/fatal-errors-retried-python:warning',
      'deps/generate-reply-5s-timeout:warning',
      'deps/no-preconnect-python:error',
      'deps/swift-empty-trackid:warning',
      'deps/truncate-zero-python:warning',
    ],
    'py-broken-uv': [
      'deps/beta-header-python:error',
      'deps/error-correlation-gap:warning',
      'deps/fatal-errors-retried-python:warning',
      'deps/generate-reply-5s-timeout:warning',
      'deps/truncate-zero-python:warning',
      'deps/webm-opus-preconnect:error',
      'setup/allow-interruptions-server-vad:error',
      'setup/beta-model:error',
      'setup/connect-before-start:error',
      'setup/create-response-without-interrupt:warning',
      'setup/lk-openai-debug-not-integer:error',
      'setup/js-preconnect-publish-options:warning',
      'setup/preconnect-disabled:warning',
      'setup/temperature-out-of-range:error',
    ],
    'node-broken-yarn': [
      'deps/beta-header-node:error',
      'deps/error-correlation-gap-node:warning',
      'deps/fatal-errors-retried-node:warning',
      'deps/no-preconnect-node:error',
      'deps/truncate-zero-node:warning',
      'setup/azure-preview-retired:warning',
      'setup/beta-shape:error',
      'setup/connect-before-start:info',
      'setup/lk-openai-debug-not-integer:warning',
    ],
    'py-azure-ga': [
      'deps/error-correlation-gap:warning',
      'deps/fatal-errors-retried-python:warning',
      'deps/generate-reply-5s-timeout:warning',
      'deps/truncate-zero-python:warning',
      'setup/azure-old-url:warning',
      'setup/azure-preview-retired:warning',
      'setup/azure-realtime-ga-shape:warning',
    ],
    'node-trap': ['deps/no-preconnect-node:warning', 'deps/npm-latest-trap:error'],
    'node-pnpm-healthy': ['deps/no-preconnect-node:warning'],
  };
  for (const [dir, codes] of Object.entries(expected)) {
    it(dir, async () => {
      const got = (await codesOf(dir)).map((f) => `${f.code}:${f.severity}`).sort();
      expect(got).toEqual([...codes].sort());
    });
  }
  it('the server entry fires from a doctor.server fact and escalates with pre-connect clients', async () => {
    const f = (await codesOf('py-poetry-old', [SERVER_FACT])).find((x) => x.code === 'deps/server-drops-preconnect-flag');
    expect(f?.severity).toBe('error'); // the Swift client in that project sends pre-connect audio
    const healthy = (await codesOf('py-healthy', [SERVER_FACT])).find((x) => x.code === 'deps/server-drops-preconnect-flag');
    expect(healthy?.severity).toBe('warning');
  });
  it('temperature within range on GA is only info', async () => {
    const e = traceEvent(0, 'log', 'doctor.setup', {
      check: 'temperature',
      file: 'a.py',
      line: 1,
      snippet: '',
      language: 'python',
      parser: 'ast',
      value: 0.8,
      beta: false,
    });
    expect(diagnose([e], DOCTOR_RULES, { command: 'doctor' }).map((f) => `${f.code}:${f.severity}`)).toEqual(['setup/temperature-ignored:info']);
  });
  it('the regex fallback reports the same setup facts and says so', async () => {
    const { regexScan } = await import('../../src/doctor/setup-python.js');
    const r = regexScan('fixtures/projects/py-broken-uv', ['agent.py']);
    expect(new Set(r.facts.map((f) => f.check))).toEqual(
      new Set(['env', 'connect-before-start', 'realtime-model', 'model', 'temperature', 'turn-detection', 'allow-interruptions', 'preconnect-disabled']),
    );
    expect(r.parser).toBe('regex');
  });
});
