import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAMILIES, isEventKind, kindMeta, LEGACY_KINDS, upgradeLegacyEvent } from '../../src/events/index.js';
import { renderEventsDoc } from '../../src/events/doc.js';
import { parseLogFile } from '../../src/sources/logs/index.js';
import { loadCorpus } from '../helpers/corpus.js';

const DOC = new URL('../../docs/events.md', import.meta.url);
const LOGS = join(import.meta.dirname, '../../fixtures/logs');

describe('docs/events.md', () => {
  it('is the text generated from the registry', () => {
    const expected = renderEventsDoc(FAMILIES);
    const actual = readFileSync(DOC, 'utf8');
    // A plain boolean first, so the failure says what to do rather than dumping a diff of the whole file.
    expect(actual === expected, 'docs/events.md is out of date: run `npm run docs:events` (node scripts/gen-events-doc.mjs) and commit it').toBe(true);
  });

  it('documents every kind with a description, its sources, its fields and an example', () => {
    const doc = renderEventsDoc(FAMILIES);
    for (const f of FAMILIES) {
      for (const [kind, m] of Object.entries(f.kinds)) {
        const section = doc.split(`### \`${kind}\`\n`)[1]?.split('\n### ')[0] ?? '';
        expect(m.description.length, kind).toBeGreaterThan(0);
        expect(m.sources.length, kind).toBeGreaterThan(0);
        expect(section, kind).toContain(`Sources: ${m.sources.map((s) => `\`${s}\``).join(', ')}`);
        for (const field of Object.keys(m.fields)) expect(section, `${kind}.${field}`).toMatch(new RegExp(`\\| \`${field}\\??\` \\|`));
        expect(section, kind).toContain(JSON.stringify(m.example));
      }
    }
  });

  it('knows each kind once, in one family', () => {
    const all = FAMILIES.flatMap((f) => Object.keys(f.kinds));
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(80);
  });
});

describe('the vocabulary', () => {
  it('tells its kinds from others', () => {
    expect(isEventKind('agent.state')).toBe(true);
    expect(isEventKind('openai.response.done')).toBe(true);
    expect(isEventKind('openai.')).toBe(false);
    expect(isEventKind('room.agent.state')).toBe(false);
    expect(isEventKind('log.agent.fatal')).toBe(false);
    expect(kindMeta('openai.error').sources).toContain('log');
    expect(kindMeta('client.connected').sources).toEqual(['client']);
  });

  it('every kind the log parsers emit on the fixture corpus is registered, and no old kind', async () => {
    const seen = new Set<string>();
    for (const dir of [LOGS, join(LOGS, 'real')]) {
      for (const { name } of loadCorpus(dir)) for await (const e of parseLogFile(join(dir, `${name}.log`), { keepLines: true })) seen.add(e.kind);
    }
    expect(seen.size).toBeGreaterThan(20);
    for (const k of seen) {
      expect(isEventKind(k), k).toBe(true);
      expect(LEGACY_KINDS[k], k).toBeUndefined();
    }
  });

  it("reads the kinds an older lkdiag wrote as today's", () => {
    expect(upgradeLegacyEvent({ kind: 'log.agent.agent-state', data: { from: 'listening', to: 'thinking', line: 3 } })).toEqual({
      kind: 'agent.state',
      data: { from: 'listening', to: 'thinking', line: 3 },
    });
    expect(upgradeLegacyEvent({ kind: 'room.agent.state', data: { identity: 'a', state: 'speaking', previous: 'thinking' } })).toEqual({
      kind: 'agent.state',
      data: { identity: 'a', to: 'speaking', from: 'thinking' },
    });
    expect(upgradeLegacyEvent({ kind: 'room.transcription', data: { identity: 'a', role: 'agent', text: 'hi', final: true } })).toEqual({
      kind: 'agent.transcript',
      data: { identity: 'a', transcript: 'hi', final: true },
    });
    expect(upgradeLegacyEvent({ kind: 'room.transcription', data: { identity: 'u', role: 'user', text: 'yo', final: false } })).toEqual({
      kind: 'user.transcript',
      data: { identity: 'u', transcript: 'yo', final: false },
    });
    expect(upgradeLegacyEvent({ kind: 'client.connected', data: { url: 'x' } })).toEqual({ kind: 'client.connected', data: { url: 'x' } });
  });
});
