// Public-log corpus (fixtures/logs/public/, lkdiag issue #12): verbatim log excerpts that users posted
// in public threads, each with a metadata file naming the thread, the cause the thread established and
// the finding codes lkdiag should give. `trace log --json` (the built CLI) runs on every excerpt:
//   - it never crashes: exit 0 or 1 with a report, or exit 2 with exactly `error: …` and `hint: …`;
//   - healthy excerpts get no error finding;
//   - every other excerpt gets all its expected codes, or is listed in known-misses.json with the reason.
//     A listed excerpt that now gets its codes fails the test, so the list can only shrink.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lkdiag, type JsonReport } from '../helpers/cli.js';

const DIR = join(import.meta.dirname, '../../fixtures/logs/public');
const REL = 'fixtures/logs/public';

interface Meta {
  thread: string;
  title: string;
  posted: string | null;
  versions: string | null;
  runtime: 'python' | 'node' | 'server' | 'unknown';
  form: string;
  cause: string;
  causeEstablishedBy: string;
  expected: string[];
  healthy: boolean;
}

interface Outcome {
  code: number | null;
  report?: JsonReport;
  stderr: string;
}

const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.log'))
  .map((f) => f.slice(0, -'.log'.length))
  .sort();
const metaOf = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Meta;
const knownMisses = JSON.parse(readFileSync(join(DIR, 'known-misses.json'), 'utf8')) as Record<string, string>;
const codesDoc = readFileSync(join(DIR, 'CODES.md'), 'utf8');
const sourcesDoc = readFileSync(join(DIR, 'SOURCES.md'), 'utf8');

const SECRETISH = /(sk-[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{10,}|api[_-]?secret"?\s*[:=]\s*"?(?!secret\b)[A-Za-z0-9]{16,})/i;
const CODE = /^[a-z]+\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe('fixtures/logs/public: metadata', () => {
  it('has the corpus the issue asks for: ≥ 60 excerpts from ≥ 40 threads, ≥ 10 healthy', () => {
    const metas = names.map(metaOf);
    expect(names.length).toBeGreaterThanOrEqual(60);
    expect(new Set(metas.map((m) => m.thread)).size).toBeGreaterThanOrEqual(40);
    expect(metas.filter((m) => m.healthy).length).toBeGreaterThanOrEqual(10);
  });

  it.each(names)('%s: .json with a thread URL and the fields, listed in SOURCES.md, no secret', (name) => {
    expect(name).toMatch(/^\d{3}-[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(existsSync(join(DIR, `${name}.json`)), `${name}.json`).toBe(true);
    const m = metaOf(name);
    expect(m.thread).toMatch(/^https:\/\/[^\s/]+\/\S+$/);
    expect(m.title.length).toBeGreaterThan(0);
    expect(['python', 'node', 'server', 'unknown']).toContain(m.runtime);
    expect(m.form.length).toBeGreaterThan(0);
    expect(m.cause.length).toBeGreaterThan(0);
    expect(m.causeEstablishedBy.length).toBeGreaterThan(0);
    expect(typeof m.healthy).toBe('boolean');
    expect(Array.isArray(m.expected)).toBe(true);
    // healthy ⇔ nothing expected; every expected code is a stable code listed in CODES.md
    expect(m.expected.length === 0).toBe(m.healthy);
    for (const c of m.expected) {
      expect(c).toMatch(CODE);
      expect(codesDoc, `CODES.md lists ${c}`).toContain(`\`${c}\``);
    }
    expect(sourcesDoc, 'SOURCES.md lists the excerpt').toContain(`| ${name}.log | ${m.thread} |`);
    expect(readFileSync(join(DIR, `${name}.log`), 'utf8')).not.toMatch(SECRETISH);
  });

  it('every .json has its .log, and known-misses.json names only non-healthy excerpts', () => {
    const jsons = readdirSync(DIR)
      .filter((f) => f.endsWith('.json') && /^\d{3}-/.test(f))
      .map((f) => f.slice(0, -'.json'.length));
    expect(jsons.sort()).toEqual(names);
    for (const [name, why] of Object.entries(knownMisses)) {
      expect(names, `known-misses.json: ${name}`).toContain(name);
      expect(metaOf(name).healthy, `${name} is healthy`).toBe(false);
      expect(why.length).toBeGreaterThan(10);
    }
  });
});

describe('fixtures/logs/public: trace log --json on every excerpt', () => {
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    if (!existsSync(join(DIR, '../../../dist/cli.js'))) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` first');
    // Two at a time: the machine has two cores shared with everyone.
    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const r = await lkdiag(['trace', 'log', '--json', `${REL}/${name}.log`], { timeoutMs: 30_000 });
        const last = r.stdout.trim().split('\n').at(-1) ?? '';
        let report: JsonReport | undefined;
        if (last.startsWith('{')) report = JSON.parse(last) as JsonReport;
        outcomes.set(name, { code: r.code, report, stderr: r.stderr });
      }
    };
    await Promise.all([worker(), worker()]);

    const sick = names.filter((n) => !metaOf(n).healthy);
    const named = sick.filter((n) => namesAll(n)).length;
    const healthy = names.filter((n) => metaOf(n).healthy);
    const clean = healthy.filter((n) => errorCodes(n).length === 0).length;
    console.log(`public logs: ${named}/${sick.length} non-healthy excerpts named, ${clean} healthy with 0 errors`);
  }, 300_000);

  const codes = (name: string) => new Set((outcomes.get(name)?.report?.findings ?? []).map((f) => f.code));
  const errorCodes = (name: string) => (outcomes.get(name)?.report?.findings ?? []).filter((f) => f.severity === 'error').map((f) => f.code);
  const namesAll = (name: string) => {
    const got = codes(name);
    return metaOf(name).expected.every((c) => got.has(c));
  };

  it.each(names)('%s', (name) => {
    const o = outcomes.get(name);
    expect(o, 'ran').toBeDefined();
    // never a crash: a report (exit 0/1, matching its exitCode), or the two-line input error (exit 2)
    if (o!.code === 2) {
      const lines = o!.stderr.trim().split('\n');
      expect(lines, o!.stderr).toHaveLength(2);
      expect(lines[0]).toMatch(/^error: \S/);
      expect(lines[1]).toMatch(/^hint: \S/);
    } else {
      expect([0, 1], o!.stderr).toContain(o!.code);
      expect(o!.report, 'the last stdout line is the report').toBeDefined();
      expect(o!.report!.schema).toBe('lkdiag/v1');
      expect(o!.report!.exitCode).toBe(o!.code);
    }
    expect(o!.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace

    const m = metaOf(name);
    if (m.healthy) {
      expect(errorCodes(name), 'a healthy excerpt gets no error finding').toEqual([]);
      return;
    }
    const hit = namesAll(name);
    const got = [...codes(name)].sort().join(', ') || '(none)';
    if (name in knownMisses) {
      expect(hit, `${name} now gets ${m.expected.join(', ')}: remove it from known-misses.json`).toBe(false);
    } else {
      expect(hit, `${name} expects ${m.expected.join(', ')}, got ${got} (exit ${o!.code}); fix lkdiag or list it in known-misses.json`).toBe(true);
    }
  });
});
