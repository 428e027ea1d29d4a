import { JobStatus, ParticipantInfo_Kind, type AgentDispatch, type ParticipantInfo } from '@livekit/protocol';
import { now, sleep } from './clock.js';
import type { serverClients } from './livekit.js';

type Clients = Awaited<ReturnType<typeof serverClients>>;

/** How long a run that is ending waits for an assigned agent to join before it deletes the room anyway. */
export const AGENT_ON_THE_WAY_GRACE_MS = 20_000;

/**
 * The agents the server has assigned a job for in this room that have not joined (yet). Each one will
 * still join — and joining re-creates a deleted room, which then stays up to the server's empty timeout
 * (300 s by default) with the agent waiting in it. Deleting the dispatch does not stop it: the server
 * sends a job termination, but livekit-agents ignores a termination for a job it has not launched yet
 * (worker.py `_handle_termination`: "safe to ignore"). `seen` are the identities in the room now or at
 * any time before (an agent that came and went is not on its way).
 */
export function agentsOnTheWay(dispatches: readonly AgentDispatch[], seen: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const d of dispatches) {
    for (const job of d.state?.jobs ?? []) {
      const identity = job.state?.participantIdentity;
      const status = job.state?.status;
      if (!identity || status === JobStatus.JS_SUCCESS || status === JobStatus.JS_FAILED) continue;
      if (!seen.has(identity)) out.push(identity);
    }
  }
  return out;
}

/**
 * How long a dispatch may show no job and still get one. livekit-server lists a job only when its job
 * request returns — about 5 s after the dispatch even when the worker accepts at once (measured on
 * v1.13.5) — and a worker has AssignJobTimeout (10 s) to answer.
 */
export const DISPATCH_SETTLE_MS = 16_000;

/** The participant attribute livekit-server gives an agent: the agent name its worker registered with. */
export const AGENT_NAME_ATTRIBUTE = 'lk.agent_name';

/** Agents seen in the room during the run. */
export interface SeenAgents {
  identities: Set<string>;
  /** Their agent names (AGENT_NAME_ATTRIBUTE; '' for a worker without a name). */
  names: Set<string>;
}

/**
 * A dispatch for `agentName` with no job listed yet may still get one — unless an agent of that name is
 * already in (its job exists; the list only lags). The room's automatic dispatch has agentName '' and
 * is only waited for when the run asked for no agent name.
 */
export function jobsMayStillCome(dispatches: readonly AgentDispatch[], agentName: string, seen: SeenAgents, sinceDispatchMs: number | undefined): boolean {
  if (sinceDispatchMs === undefined || sinceDispatchMs >= DISPATCH_SETTLE_MS || seen.names.has(agentName)) return false;
  return dispatches.some((d) => d.agentName === agentName && (d.state?.jobs ?? []).length === 0);
}

export interface TeardownOptions {
  room: string;
  dispatchId?: string;
  /** The agent name the run dispatched or waited for ('' for automatic dispatch). */
  agentName: string;
  seen: SeenAgents;
  /** The run saw no agent: a job may be assigned and its agent still starting. */
  agentMissing: boolean;
  /** Local time the dispatch was made (the API call, or the join for a token dispatch). */
  dispatchedAt?: number;
  graceMs?: number;
  onWaiting?: (identities: string[], boundMs: number) => void;
  onDeleted?: (room: string) => void;
}

/**
 * Deletes the room a run created — also after a failure or Ctrl-C — so that it stays deleted. When no
 * agent was seen, it first asks the server for the room's jobs: a dispatch that may still get a job
 * (younger than DISPATCH_SETTLE_MS) and an agent that was assigned but has not joined are waited for
 * (bounded by graceMs; a second Ctrl-C leaves at once), and the room is deleted once the agent is in,
 * which ends its job. Then the dispatch and the room are deleted, and the room is
 * watched for a bounded while and deleted again if a join brought it back.
 */
export async function teardownRoom(clients: Clients, o: TeardownOptions): Promise<void> {
  const graceMs = o.graceMs ?? AGENT_ON_THE_WAY_GRACE_MS;
  let onTheWay: string[] = [];
  if (o.agentMissing) {
    const seen: SeenAgents = { identities: new Set(o.seen.identities), names: new Set(o.seen.names) };
    const until = now() + graceMs;
    let announced = false;
    for (;;) {
      const [dispatches, participants] = await Promise.all([
        clients.dispatch.listDispatch(o.room).catch((): AgentDispatch[] => []),
        clients.rooms.listParticipants(o.room).catch((): ParticipantInfo[] => []),
      ]);
      for (const p of participants) {
        seen.identities.add(p.identity);
        if (p.kind === ParticipantInfo_Kind.AGENT) seen.names.add(p.attributes[AGENT_NAME_ATTRIBUTE] ?? '');
      }
      onTheWay = agentsOnTheWay(dispatches, seen.identities);
      const unsettled = jobsMayStillCome(dispatches, o.agentName, seen, o.dispatchedAt === undefined ? undefined : now() - o.dispatchedAt);
      if ((onTheWay.length === 0 && !unsettled) || now() >= until) break;
      if (!announced) o.onWaiting?.(onTheWay, Math.round(until - now()));
      announced = true;
      await sleep(250);
    }
  }
  if (o.dispatchId) await clients.dispatch.deleteDispatch(o.dispatchId, o.room).catch(() => undefined);
  const exists = () =>
    clients.rooms.listRooms([o.room]).then(
      (r) => r.length > 0,
      () => false,
    );
  // An agent that is still on its way after the grace period gets a longer watch.
  const stayGoneMs = onTheWay.length > 0 ? 8000 : 1000;
  const until = now() + stayGoneMs + 3000;
  let announced = false;
  let goneSince: number | undefined;
  while (now() < until) {
    if (await exists()) {
      await clients.rooms.deleteRoom(o.room).catch(() => undefined);
      if (!announced) o.onDeleted?.(o.room);
      announced = true;
      goneSince = undefined;
    } else {
      goneSince ??= now();
      if (now() - goneSince >= stayGoneMs) return; // gone, and stayed gone
    }
    await sleep(250);
  }
}
