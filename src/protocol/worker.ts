/**
 * The agent worker protocol, as far as a worker that takes one explicit-dispatch job needs it: a
 * WebSocket to `<server>/agent` authorised with a token that has the `agent` grant, binary
 * WorkerMessage/ServerMessage (livekit_agent.proto, from @livekit/protocol). The order is the one
 * livekit-agents 1.8.9 uses (worker.py `_connection_task` 1087-1150: register, then the register
 * response as the first message; `_on_accept` 1395-1420: an AvailabilityResponse with
 * participant_identity and the `lk.agent.name` attribute, then the server's JobAssignment with the
 * join token). @livekit/protocol rather than @livekit/agents: these five messages are all a worker
 * needs, while @livekit/agents would bring its own process pool, job runner, logger and plugin
 * loader into a diagnostic that must stay one small bounded process.
 */
import {
  AvailabilityResponse,
  JobStatus,
  JobType,
  ParticipantPermission,
  RegisterWorkerRequest,
  ServerMessage,
  UpdateJobStatus,
  WorkerMessage,
} from '@livekit/protocol';
import type WebSocket from 'ws';

/** The attribute livekit-agents sets on its participant with the worker's agent name. */
export const AGENT_NAME_ATTRIBUTE = 'lk.agent.name';

export interface WorkerJob {
  jobId: string;
  dispatchId: string;
  room: string;
  token: string;
  /** The server's URL for the job, when it gives one. */
  url?: string;
}

export interface WorkerOptions {
  wsUrl: string;
  /** A JWT with the `agent` video grant. */
  authToken: string;
  agentName: string;
  identity: string;
  /** Attributes our participant joins with. */
  attributes: Record<string, string>;
  /** Take only a job for this room (others are declined). */
  room?: string;
  boundMs: number;
  signal: AbortSignal;
  onRegistered?: (workerId: string) => void;
  onDeclined?: (room: string) => void;
}

/** The URL of the worker endpoint (`/agent`) for a LiveKit server URL. */
export function workerUrl(wsUrl: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol.replace(/^http/, 'ws');
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/agent`;
  return u.toString();
}

export const registerMessage = (agentName: string, version: string) =>
  new WorkerMessage({
    message: {
      case: 'register',
      value: new RegisterWorkerRequest({
        type: JobType.JT_ROOM,
        agentName,
        version,
        allowedPermissions: new ParticipantPermission({ canPublish: true, canSubscribe: true, canPublishData: true, agent: true }),
      }),
    },
  });

export const availabilityMessage = (jobId: string, available: boolean, identity: string, attributes: Record<string, string>) =>
  new WorkerMessage({
    message: {
      case: 'availability',
      value: new AvailabilityResponse({ jobId, available, participantIdentity: identity, participantName: identity, participantAttributes: attributes }),
    },
  });

export const jobStatusMessage = (jobId: string, status: JobStatus) =>
  new WorkerMessage({ message: { case: 'updateJob', value: new UpdateJobStatus({ jobId, status }) } });

export { JobStatus };

/** A registered worker connection: it waits for one job and reports its status. */
export class WorkerConnection {
  private constructor(private readonly ws: WebSocket) {}

  /** Connects and registers; rejects with the server's refusal (e.g. 401) or a network error. */
  static async open(o: WorkerOptions): Promise<{ worker: WorkerConnection; job: Promise<WorkerJob | undefined> }> {
    const { default: WS } = await import('ws');
    const ws = new WS(workerUrl(o.wsUrl), { headers: { Authorization: `Bearer ${o.authToken}` }, handshakeTimeout: 10_000 });
    ws.binaryType = 'nodebuffer';
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`worker registration refused: HTTP ${res.statusCode}`)));
    });
    const worker = new WorkerConnection(ws);
    const job = worker.takeJob(o);
    ws.send(registerMessage(o.agentName, 'lkdiag-mock-agent').toBinary());
    return { worker, job };
  }

  private takeJob(o: WorkerOptions): Promise<WorkerJob | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), o.boundMs);
      const onAbort = () => done(undefined);
      o.signal.addEventListener('abort', onAbort, { once: true });
      const done = (job: WorkerJob | undefined) => {
        clearTimeout(timer);
        o.signal.removeEventListener('abort', onAbort);
        this.ws.off('message', onMessage);
        resolve(job);
      };
      const onMessage = (data: Buffer) => {
        const msg = ServerMessage.fromBinary(new Uint8Array(data));
        const m = msg.message;
        if (m.case === 'register') o.onRegistered?.(m.value.workerId);
        else if (m.case === 'availability' && m.value.job) {
          const room = m.value.job.room?.name ?? '';
          const take = !o.room || o.room === room;
          if (!take) o.onDeclined?.(room);
          this.send(availabilityMessage(m.value.job.id, take, o.identity, o.attributes));
        } else if (m.case === 'assignment' && m.value.job) {
          const j = m.value.job;
          done({ jobId: j.id, dispatchId: j.dispatchId, room: j.room?.name ?? '', token: m.value.token, ...(m.value.url ? { url: m.value.url } : {}) });
        }
      };
      this.ws.on('message', onMessage);
      this.ws.once('close', () => done(undefined));
    });
  }

  send(msg: WorkerMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(msg.toBinary());
  }

  close(): void {
    this.ws.close();
  }
}
