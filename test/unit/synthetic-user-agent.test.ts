import { afterEach, describe, expect, it, vi } from 'vitest';
import { PARTICIPANT_STATE_ACTIVE, PUBLISH_ON_BEHALF_ATTRIBUTE } from '../../src/protocol/preconnect.js';
import { Recorder } from '../../src/sources/recorder.js';
import { type AgentCandidate, waitForActiveAgent } from '../../src/sources/synthetic-user.js';

afterEach(() => {
  vi.useRealTimers();
});

const AGENT = 4;
const agent = (identity: string, active = false, attributes: Record<string, string> = {}): AgentCandidate => ({
  identity,
  kind: AGENT,
  attributes,
  info: { state: active ? PARTICIPANT_STATE_ACTIVE : 0 },
});
const clientKinds = (rec: Recorder) => rec.events.filter((e) => e.source === 'client').map((e) => `${e.kind} ${JSON.stringify(e.data)}`);

describe('waitForActiveAgent: the first ACTIVE agent, woken by participant events (no polling)', () => {
  it('an agent already ACTIVE: joined then active at once, no wait', async () => {
    const rec = new Recorder({ source: 'client' });
    const a = agent('agent-1', true);
    await expect(waitForActiveAgent(rec, () => [a], 1000, new AbortController().signal)).resolves.toBe(a);
    expect(clientKinds(rec)).toEqual(['client.agent.joined {"identity":"agent-1"}', 'client.agent.active {"identity":"agent-1"}']);
  });
  it('an agent that joins, then becomes ACTIVE: looked at again on each room.participant.* event, and only then', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'client' });
    const room: AgentCandidate[] = [];
    let looks = 0;
    const p = waitForActiveAgent(
      rec,
      () => {
        looks++;
        return room;
      },
      10_000,
      new AbortController().signal,
    );
    await vi.advanceTimersByTimeAsync(2000);
    expect(looks).toBe(1); // nothing happened: nothing looked at (no polling)
    const a = agent('agent-1');
    room.push(a);
    rec.record('room.participant.joined', { identity: 'agent-1', kind: 'agent' }, 'room');
    await vi.advanceTimersByTimeAsync(0);
    expect(looks).toBe(2);
    expect(clientKinds(rec)).toEqual(['client.agent.joined {"identity":"agent-1"}']);
    a.info.state = PARTICIPANT_STATE_ACTIVE;
    rec.record('room.participant.active', { identity: 'agent-1', kind: 'agent' }, 'room');
    await expect(p).resolves.toBe(a);
    expect(clientKinds(rec)).toEqual(['client.agent.joined {"identity":"agent-1"}', 'client.agent.active {"identity":"agent-1"}']);
  });
  it('an avatar worker (publishing on behalf of the agent) is never the agent', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'client' });
    const avatar = agent('avatar-1', true, { [PUBLISH_ON_BEHALF_ATTRIBUTE]: 'agent-1' });
    const real = agent('agent-1', true);
    await expect(waitForActiveAgent(rec, () => [avatar, real], 1000, new AbortController().signal)).resolves.toBe(real);
    const p = waitForActiveAgent(new Recorder({ source: 'client' }), () => [avatar], 1000, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(p).resolves.toBeUndefined();
  });
  it('no ACTIVE agent within the bound: client.timeout {wait, boundMs, agentJoined} as it stood at expiry', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'client' });
    const room: AgentCandidate[] = [];
    const p = waitForActiveAgent(rec, () => room, 5000, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(3000);
    room.push(agent('agent-1'));
    rec.record('room.participant.joined', { identity: 'agent-1', kind: 'agent' }, 'room');
    await vi.advanceTimersByTimeAsync(1999);
    expect(rec.events.some((e) => e.kind === 'client.timeout')).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(p).resolves.toBeUndefined();
    expect(clientKinds(rec)).toEqual([
      'client.agent.joined {"identity":"agent-1"}',
      'client.timeout {"wait":"agent-active","boundMs":5000,"agentJoined":true}',
    ]);
  });
  it('Ctrl-C (or a lost connection) ends the wait at once, without a timeout event', async () => {
    vi.useFakeTimers();
    const rec = new Recorder({ source: 'client' });
    const ac = new AbortController();
    const p = waitForActiveAgent(rec, () => [], 60_000, ac.signal);
    await vi.advanceTimersByTimeAsync(100);
    ac.abort();
    await expect(p).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(rec.events).toEqual([]);
  });
});
