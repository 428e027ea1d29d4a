import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { liveKitError, resolveLiveKit } from '../../src/sources/livekit.js';

const target = resolveLiveKit({ url: 'ws://127.0.0.1:7880', apiKey: 'devkey', apiSecret: 'secret' });

describe('liveKitError: what rtc-node and the server SDK throw, as the two-line errors', () => {
  it('a publication the server did not confirm (seen with 10 concurrent users on 2 cores) is a bound that elapsed: exit 4', () => {
    const e = liveKitError(
      new Error('room error engine: internal error: track publication timed out, no response received from the server'),
      target,
      'publishing the microphone',
    );
    expect(e.exitCode).toBe(EXIT.timeout);
    expect(e.message).toMatch(/^publishing the microphone: the LiveKit server at ws:\/\/127\.0\.0\.1:7880 did not confirm the track publication in time/);
    expect(e.hint).toMatch(/overloaded/);
  });

  it('refused credentials and an unreachable server stay exit 3', () => {
    expect(liveKitError(Object.assign(new Error('unauthorized'), { status: 401 }), target, 'listing rooms').exitCode).toBe(EXIT.connect);
    expect(liveKitError(new Error('fetch failed', { cause: { code: 'ECONNREFUSED' } }), target, 'listing rooms').message).toMatch(
      /cannot reach the LiveKit server .*ECONNREFUSED/,
    );
  });
});
