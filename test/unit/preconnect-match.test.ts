import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { MIN_SETTLING_WORDS, preconnectMatch } from '../../src/sources/preconnect-session.js';
import type { Sidecar } from '../../src/sources/sidecar.js';

const sidecar: Sidecar = {
  file: 'two-part.json',
  parts: [
    { text: 'Hello, my name is Alice and I need help with my order.', startMs: 0, endMs: 3466 },
    { text: 'The package arrived yesterday with a broken blue umbrella inside.', startMs: 3466, endMs: 7051 },
  ],
};
const one: Sidecar = { file: 'one.txt', parts: [{ text: 'Hello, my name is Alice and I need help with my order.', startMs: 0, endMs: 3466 }] };
const user = (text: string): TraceEvent => ({ t: 1, source: 'room', kind: 'user.transcript', data: { final: true, transcript: text } });

describe('preconnectMatch: what the transcript can and cannot settle', () => {
  it('the buffered words in the transcript: matched', () => {
    const m = preconnectMatch([user('Hello, my name is Alice and I need help with my order.'), user('The package arrived')], sidecar, 3600);
    expect(m).toMatchObject({ transcriptMatched: true, expectedText: sidecar.parts[0]!.text });
    expect(m.unsettled).toBeUndefined();
  });

  it('recognised speech without the buffered words: not matched (the transcript settles it)', () => {
    const m = preconnectMatch([user('The package arrived yesterday with a broken blue umbrella inside.')], sidecar, 3600);
    expect(m.transcriptMatched).toBe(false);
    expect(m.unsettled).toBeUndefined();
  });

  it('an unrecognised item where the buffered words should be: unsettled, not "missing"', () => {
    const m = preconnectMatch([user('[unrecognized speech 7.3 s]')], sidecar, 3600);
    expect(m.transcriptMatched).toBeUndefined();
    expect(m.unsettled).toBe('unrecognised');
  });

  it(`a buffer holding fewer than ${MIN_SETTLING_WORDS} words (0.43 s of a single utterance): unsettled`, () => {
    const m = preconnectMatch([user('[unrecognized speech 7.3 s]')], one, 430);
    expect(m).toMatchObject({ unsettled: 'short-buffer', bufferedMs: 430 });
    expect(m.transcriptMatched).toBeUndefined();
  });

  it('a buffer that holds no utterance of a two-part WAV in full is also short', () => {
    expect(preconnectMatch([user('The package arrived')], sidecar, 430).unsettled).toBe('short-buffer');
  });

  it('no transcript at all: nothing to settle, no verdict from it', () => {
    const m = preconnectMatch([], sidecar, 3600);
    expect(m.transcriptMatched).toBeUndefined();
    expect(m.unsettled).toBeUndefined();
  });
});
