import { describe, expect, it } from 'vitest';
import { prng } from '../../src/audio/pcm.js';
import { redact, redactBytes, redactValue, registerSecret } from '../../src/redact.js';

describe('redact', () => {
  it('removes registered secrets wherever they appear', () => {
    registerSecret('my-livekit-secret-xyz');
    expect(redact('a my-livekit-secret-xyz b my-livekit-secret-xyz')).toBe('a *** b ***');
  });
  it('removes credential-shaped strings it was not told about', () => {
    expect(redact('key sk-proj-abcdefghijklmnop end')).toBe('key sk-*** end');
    expect(redact('Authorization: Bearer abcdefgh12345678')).toBe('Authorization: Bearer ***');
    expect(redact('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyMSJ9.c2lnbmF0dXJlMTIzNDU2')).toBe('token <jwt:***>');
    expect(redact('ws://h/rtc?access_token=abc.def.ghi&x=1')).toBe('ws://h/rtc?access_token=***&x=1');
  });
  it('deep-redacts JSON values', () => {
    registerSecret('deep-secret-value-1');
    expect(redactValue({ a: ['deep-secret-value-1'], b: { c: 'x deep-secret-value-1' } })).toEqual({ a: ['***'], b: { c: 'x ***' } });
  });
  it('leaves ordinary text alone', () => {
    expect(redact('response.created took 11.2 s')).toBe('response.created took 11.2 s');
  });
});

describe('redact: the quick pre-check skips nothing', () => {
  // the patterns as they were before the pre-check, applied unconditionally (guards kept)
  const PATTERNS: Array<[(s: string) => boolean, RegExp, string]> = [
    [(s) => s.includes('sk-'), /\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-***'],
    [(s) => s.includes('earer'), /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***'],
    [(s) => s.includes('eyJ'), /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '<jwt:***>'],
    [(s) => s.includes('=') && /token|api[-_]key/i.test(s), /([?&](?:access_token|token|api-key|api_key)=)[^&\s"']+/gi, '$1***'],
  ];
  const unguarded = (text: string): string => {
    let out = text;
    for (const [guard, re, rep] of PATTERNS) if (guard(out)) out = out.replace(re, rep);
    return out;
  };
  const FRAGMENTS = [
    'sk-',
    'sk-proj-abcdefghijklmnop',
    'SK-ABCDEFGHIJKL',
    'Bearer abcdefgh12345678',
    'BEARER ABCDEFGH12345678',
    'bearer xyzxyzxyzxyz',
    'earer',
    'eyJ',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyMSJ9.c2lnbmF0dXJlMTIzNDU2',
    '?token=abcdef',
    '&api_key=zzz',
    '&API-KEY=zzz',
    '?access_token=a.b.c',
    'token',
    '=',
    'k-',
    'rer',
    'yJ',
    ' ',
    'x',
    '"',
    '{"t":1}',
    'é',
  ];

  it('gives what the patterns give, on text with and without credential-like pieces', () => {
    const rand = prng(7);
    for (let i = 0; i < 5000; i++) {
      let text = '';
      const n = Math.floor(rand() * 12);
      for (let k = 0; k < n; k++) text += FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)];
      expect(redact(text), text).toBe(unguarded(text));
    }
  });
});

describe('redactBytes: bytes passed on as they are only when redact() would change nothing', () => {
  it('writes what redact() of the decoded text gives, for valid and invalid UTF-8', () => {
    registerSecret('sécret-ünïcode-42');
    registerSecret('plain-secret-abc');
    const PIECES = [
      '{"t":1,"kind":"x"}\n',
      'sécret-ünïcode-42',
      'plain-secret-abc',
      'sk-abcdefghijklmnop',
      'Bearer abcdefgh12345678',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyMSJ9.c2lnbmF0dXJlMTIzNDU2',
      '?token=abc',
      'k-',
      'rer',
      'yJ',
      '=',
      'héllo €uro 😀',
      ' ',
      'x',
    ];
    const BYTES = [
      Buffer.from([0xff]),
      Buffer.from([0xc3]),
      Buffer.from([0xe2, 0x82]),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('sécret-ünïcode-42').subarray(0, 3),
    ];
    const rand = prng(11);
    let passedOn = 0;
    for (let i = 0; i < 5000; i++) {
      const parts: Buffer[] = [];
      const n = Math.floor(rand() * 10);
      for (let k = 0; k < n; k++)
        parts.push(rand() < 0.1 ? BYTES[Math.floor(rand() * BYTES.length)]! : Buffer.from(PIECES[Math.floor(rand() * PIECES.length)]!));
      const chunk = Buffer.concat(parts);
      // a Uint8Array view into a larger buffer, as a caller may pass
      const whole = Buffer.concat([Buffer.from('pre'), chunk]);
      const view = new Uint8Array(whole.buffer, whole.byteOffset + 3, chunk.length);
      const want = Buffer.from(redact(chunk.toString('utf8')));
      for (const input of [chunk, view]) {
        const got = redactBytes(input);
        expect(Buffer.from(typeof got === 'string' ? Buffer.from(got) : got).equals(want), chunk.toString('utf8')).toBe(true);
        if (typeof got !== 'string') passedOn++;
      }
    }
    expect(passedOn).toBeGreaterThan(500);
  });
});
