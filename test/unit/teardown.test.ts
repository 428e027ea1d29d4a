import { AgentDispatch, JobStatus } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { DISPATCH_SETTLE_MS, agentsOnTheWay, jobsMayStillCome, type SeenAgents } from '../../src/sources/teardown.js';

const dispatch = (...jobs: Array<{ identity?: string; status: JobStatus }>) =>
  new AgentDispatch({
    id: 'AD_1',
    agentName: 'a',
    room: 'r',
    state: { jobs: jobs.map((j, i) => ({ id: `AJ_${i}`, state: { status: j.status, participantIdentity: j.identity ?? '' } })) },
  });

describe('agentsOnTheWay: assigned agents that have not joined (their join would re-create a deleted room)', () => {
  it('an assigned job whose agent is not in the room is on its way', () => {
    expect(agentsOnTheWay([dispatch({ identity: 'agent-AJ_0', status: JobStatus.JS_RUNNING })], new Set(['user']))).toEqual(['agent-AJ_0']);
    expect(agentsOnTheWay([dispatch({ identity: 'agent-AJ_0', status: JobStatus.JS_PENDING })], new Set())).toEqual(['agent-AJ_0']);
  });
  it('an agent in the room, or one seen earlier in the run, is not', () => {
    expect(agentsOnTheWay([dispatch({ identity: 'agent-AJ_0', status: JobStatus.JS_RUNNING })], new Set(['user', 'agent-AJ_0']))).toEqual([]);
  });
  it('a job that ended, or was never accepted by a worker (no identity), is not', () => {
    expect(agentsOnTheWay([dispatch({ identity: 'agent-AJ_0', status: JobStatus.JS_SUCCESS })], new Set())).toEqual([]);
    expect(agentsOnTheWay([dispatch({ identity: 'agent-AJ_0', status: JobStatus.JS_FAILED })], new Set())).toEqual([]);
    expect(agentsOnTheWay([dispatch({ status: JobStatus.JS_PENDING })], new Set())).toEqual([]);
    expect(agentsOnTheWay([new AgentDispatch({ id: 'AD_2', agentName: 'a', room: 'r' })], new Set())).toEqual([]);
  });
  it('several dispatches: only the missing agents', () => {
    const ds = [
      dispatch({ identity: 'a1', status: JobStatus.JS_RUNNING }, { identity: 'a2', status: JobStatus.JS_RUNNING }),
      dispatch({ identity: 'a3', status: JobStatus.JS_RUNNING }),
    ];
    expect(agentsOnTheWay(ds, new Set(['a2']))).toEqual(['a1', 'a3']);
  });
});

describe("jobsMayStillCome: a dispatch without a job is final only after the server's assignment timeout", () => {
  const empty = (agentName: string) => new AgentDispatch({ id: `AD_${agentName}`, agentName, room: 'r', state: {} });
  const none = (): SeenAgents => ({ identities: new Set(), names: new Set() });
  it("a young dispatch for the run's agent with no job may still get one", () => {
    expect(jobsMayStillCome([empty('a')], 'a', none(), 350)).toBe(true);
    expect(jobsMayStillCome([empty(''), empty('a')], 'a', none(), DISPATCH_SETTLE_MS - 1)).toBe(true);
  });
  it('after DISPATCH_SETTLE_MS, with a job, or with no known dispatch time, it is final', () => {
    expect(jobsMayStillCome([empty('a')], 'a', none(), DISPATCH_SETTLE_MS)).toBe(false);
    expect(jobsMayStillCome([dispatch({ identity: 'x', status: JobStatus.JS_RUNNING })], 'a', none(), 100)).toBe(false);
    expect(jobsMayStillCome([empty('a')], 'a', none(), undefined)).toBe(false);
    expect(jobsMayStillCome([], 'a', none(), 100)).toBe(false);
  });
  it('an agent of that name already in: the job exists, the list only lags', () => {
    expect(jobsMayStillCome([empty('a')], 'a', { identities: new Set(['agent-AJ_1']), names: new Set(['a']) }, 350)).toBe(false);
  });
  it("the room's automatic dispatch (no agent name) does not hold up a run that dispatched a named agent", () => {
    expect(jobsMayStillCome([empty(''), dispatch({ identity: 'x', status: JobStatus.JS_RUNNING })], 'a', none(), 350)).toBe(false);
    expect(jobsMayStillCome([empty('')], '', none(), 350)).toBe(true);
  });
});
