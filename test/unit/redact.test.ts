import { describe, expect, it } from 'vitest';
import { redact, redactValue, registerSecret } from '../../src/redact.js';

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
