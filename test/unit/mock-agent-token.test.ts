import { describe, expect, it } from 'vitest';
import { agentToken } from '../../src/sources/mock-agent.js';

const target = {
  wsUrl: 'ws://127.0.0.1:7880',
  httpUrl: 'http://127.0.0.1:7880',
  apiKey: 'devkey',
  apiSecret: 'secret-secret-secret-secret-secret',
  notice: '',
};
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('mock-agent join token (--room)', () => {
  it('grants canUpdateOwnMetadata to the agent: without it livekit-server refuses every lk.agent.state change after the join', async () => {
    const c = claims(await agentToken(target, 'r1', 'lkdiag-agent-1', 'agent', { 'lk.agent.state': 'initializing' }));
    expect(c['video']).toMatchObject({
      roomJoin: true,
      room: 'r1',
      agent: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
      canUpdateOwnMetadata: true,
    });
    expect(c['kind']).toBe('agent');
    expect(c['attributes']).toEqual({ 'lk.agent.state': 'initializing' });
  });

  it('the never-active observer stays hidden and sets nothing', async () => {
    const c = claims(await agentToken(target, 'r1', 'lkdiag-agent-1', 'observer', {}));
    expect(c['video']).toMatchObject({ hidden: true, canPublish: false });
    expect((c['video'] as Record<string, unknown>)['canUpdateOwnMetadata']).toBeUndefined();
    expect(c['kind']).toBeUndefined();
  });
});
