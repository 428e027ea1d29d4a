import { ms, sec } from '../../../format/index.js';
import { defineCode } from '../kit.js';

/** A server API request that got no HTTP answer. */
export interface ApiFailure {
  call: string;
  message: string;
  code: string;
}
const apiNote = (f: ApiFailure | undefined): string =>
  f ? ` The server API did not answer either (${f.call}: ${f.message}${f.code ? ` ${f.code}` : ''}).` : '';
const intoRun = (afterMs: number | undefined): string => (afterMs !== undefined ? ` ${sec(afterMs)} into the run` : '');

export type ServerConnectionLostData =
  | { via: 'observer'; intoMs: number; reason: string; reconnectingMs: number; roomStillListed: boolean; api?: ApiFailure }
  | { via: 'client'; afterMs?: number; reason: string; message?: string; reconnectingForMs?: number; api?: ApiFailure }
  | { via: 'still-reconnecting'; intoMs: number; api?: ApiFailure }
  | { via: 'api'; failure: ApiFailure; when: string };

export interface RoomClosedMidRunData {
  afterMs?: number;
  reason: string;
  /** The room was closed (true) or the user removed from it (false). */
  roomClosed: boolean;
}

/** What a failed worker connection attempt failed with, read from its reason. */
export type UnreachableWhy = 'refused' | 'dns' | 'timeout' | 'tls' | 'auth' | 'http' | 'unreachable' | 'unknown';

export interface ServerUnreachableData {
  /** Failed attempts the log shows. */
  attempts: number;
  why: UnreachableWhy;
  /** The reason as logged (the exception line), when the log has it. */
  reason?: string;
  /** The host:port (or URL) the worker tried, when the reason names it. */
  host?: string;
  status?: number;
  /** The worker gave up (`after N attempts`). */
  gaveUp: boolean;
  /** A `registered worker` followed the last failure: the server was reachable again. */
  registeredAfter: boolean;
}

const UNREACHABLE_WHY: Readonly<Record<UnreachableWhy, string>> = {
  refused: 'nothing accepted the connection there (connection refused: no server listening, a wrong port)',
  dns: 'the host name did not resolve',
  timeout: 'the connection timed out (a firewall, a wrong host, the server down)',
  tls: 'the TLS handshake failed (wss:// to a server without TLS, or a certificate problem)',
  auth: 'the server refused the worker (HTTP 401/403: the API key and secret do not match the server, or the token is invalid)',
  http: 'the server answered the upgrade with an HTTP error',
  unreachable: 'the host could not be reached',
  unknown: 'the log does not say why (the reason was cut off or not logged)',
};

export interface AgentLeftData {
  identity: string;
  intoMs: number;
  reason: string;
  present: string[];
  /** The agent's last lk.agent.state before it left. */
  state?: string;
}

export interface JobAssignmentTimeoutData {
  /** Assignments that timed out. */
  count: number;
  error: string;
  agentName?: string;
  workerId?: string;
  jobId?: string;
  /** Whether the server went on to another worker (false: the job was lost). */
  retry?: boolean;
}

export interface JobFailedData {
  count: number;
  error?: string;
  jobId?: string;
  workerId?: string;
}

const agentOf = (name: string | undefined): string => (name ? ` for agent "${name}"` : ' for the default (unnamed) agent');

/** Findings about the LiveKit server, the connection to it, and who is in the room. docs/findings.md is generated from these. */
export const LIVEKIT = {
  jobAssignmentTimeout: defineCode<JobAssignmentTimeoutData>({
    code: 'server/job-assignment-timeout',
    severity: 'error',
    title: 'The worker did not accept the job in time',
    cause:
      "livekit-server offered the job to a registered worker (an availability request) and got no answer before its deadline: the server's JobRequest RPC timed out (3 s on the servers livekit/livekit#4541 speaks of) and the job was not assigned. The worker was there but slow to answer: its event loop was busy or overloaded (CPU at load_threshold, heavy prewarm or request_fnc), or it runs an agents version whose worker protocol this server does not answer the same way.",
    evidence:
      'livekit-server log: "failed to assign job to worker" with error "context deadline exceeded" (or "agent worker availability timeout"), usually with "retry": false; "failed to send job request" with "context deadline exceeded" / "request timed out" beside it.',
    fix: "Make the worker answer job requests at once: keep request_fnc fast (accept first, do slow work in the entrypoint), keep CPU-heavy work off the worker's main process, run more workers or lower load_threshold so a busy worker reports itself full instead of timing out, and keep livekit-agents and livekit-server current (a newer server waits longer for the answer).",
    detail: (d) =>
      `The server offered a job${agentOf(d.agentName)}${d.workerId ? ` to worker ${d.workerId}` : ''} and the assignment failed with "${d.error}"${d.count > 1 ? ` (${d.count} times)` : ''}${d.retry === false ? ': the server tried no other worker, so the job was lost' : ''}.`,
  }),
  jobFailed: defineCode<JobFailedData>({
    code: 'server/job-failed',
    severity: 'warning',
    title: 'The server recorded an agent job as failed',
    cause:
      "The worker reported the job's end to livekit-server with status JS_FAILED: the job's process crashed or exited, its entrypoint raised, or the agent participant left the room before the job ended. The server log says that it failed, not why: the worker's own log does.",
    evidence: 'livekit-server log: "job ended" with "status": "JS_FAILED" and its "error" (e.g. "agent worker left the room").',
    fix: "Read the worker's log around the same time (lkdiag trace log agent.log server.log puts both on one timeline) for the job's exception, exit or disconnection.",
    detail: (d) =>
      `The server logged a job${d.jobId ? ` (${d.jobId})` : ''} ended with JS_FAILED${d.error ? `: "${d.error}"` : ''}${d.count > 1 ? ` (${d.count} jobs)` : ''}.`,
  }),
  serverConnectionLost: defineCode<ServerConnectionLostData>({
    code: 'livekit/server-connection-lost',
    severity: 'error',
    exit: 3,
    title: 'The connection to the LiveKit server was lost mid-session',
    cause:
      'The server process died or restarted, or the network between lkdiag and the server (a proxy, a load balancer, a VPN, Wi-Fi) was cut while the session was going: the signal connection closed and did not come back, and the server API could not be reached. The session was not closed by the server: what the timeline shows after that moment is missing, not absent.',
    evidence:
      "room.observer.disconnected {connectionLost: true} (trace room: the SDK reconnected in vain or disconnected with SERVER_SHUTDOWN, SIGNAL_CLOSE, CONNECTION_TIMEOUT …, and the API did not confirm the room was closed), client.disconnected (send-preconnect, smoke: the synthetic user's Room disconnected before the run ended, or its join failed with reason JOIN_FAILED after the server API had answered), server.api.failed without an HTTP status (the API request got no answer).",
    fix: 'Check that livekit-server is running (its log, its process supervisor, an OOM kill) and that the network path from here to LIVEKIT_URL holds (proxy and load-balancer idle timeouts for WebSockets, firewalls). Then run the session again: this one cannot be diagnosed past the cut.',
    detail: (d) => {
      switch (d.via) {
        case 'observer': {
          const how =
            d.reason === 'RECONNECTING'
              ? `its connection dropped and did not come back (reconnecting for ${ms(d.reconnectingMs)})`
              : `it was disconnected with ${d.reason}`;
          const api = d.roomStillListed
            ? " The server API still lists the room: only the way from here to the server's signal connection is broken."
            : apiNote(d.api);
          return `The observer lost the LiveKit server ${sec(d.intoMs)} into the trace: ${how}, and the server did not say the room was closed.${api} The timeline ends there.`;
        }
        case 'client': {
          if (d.reason === 'JOIN_FAILED')
            return `The LiveKit server answered this run's API calls (room, dispatch), then the synthetic user's join failed${intoRun(d.afterMs)}${d.message ? ` (${d.message})` : ''}: the server went away in between, or a proxy or load balancer on the way passes HTTP but not WebSocket upgrades.${apiNote(d.api)} The run ends there.`;
          const tried = d.reconnectingForMs !== undefined ? `; it had been reconnecting for ${ms(d.reconnectingForMs)}` : '';
          return `The synthetic user lost its connection to the LiveKit server${intoRun(d.afterMs)} (${d.reason}${tried}) before the run was over.${apiNote(d.api)} The run ends there.`;
        }
        case 'still-reconnecting':
          return `The synthetic user's connection to the LiveKit server dropped ${sec(d.intoMs)} into the run and was still reconnecting when the run ended.${apiNote(d.api)} What came after the drop is missing from this run.`;
        case 'api':
          return `The LiveKit server API did not answer ${d.failure.call}${d.when ? ` (${d.when})` : ''}: ${d.failure.message}${d.failure.code ? ` ${d.failure.code}` : ''}.`;
      }
    },
  }),
  roomClosedMidRun: defineCode<RoomClosedMidRunData>({
    code: 'livekit/room-closed-mid-run',
    severity: 'error',
    title: 'The room was closed, or the user removed, while the run was going',
    cause:
      "The server ended the synthetic user's session before the run was over: the room was deleted (DeleteRoom from another tool, an empty or departure timeout), or the user was removed (RemoveParticipant, a second participant with the same identity).",
    evidence: 'client.disconnected with reason ROOM_DELETED, ROOM_CLOSED, PARTICIPANT_REMOVED or DUPLICATE_IDENTITY.',
    fix: 'Do not delete or reuse the room while a run is on it: give each run its own room (smoke does), and check for other tools or agents that delete rooms or remove participants.',
    detail: (d) =>
      `The synthetic user was disconnected${intoRun(d.afterMs)} with ${d.reason}: ${d.roomClosed ? 'the server closed the room' : 'the server removed the user from the room'} before the run was over.`,
  }),
  serverUnreachable: defineCode<ServerUnreachableData>({
    code: 'livekit/server-unreachable',
    severity: 'error',
    title: 'The worker could not connect to the LiveKit server',
    cause:
      'The agent worker could not open its connection to the LiveKit server at LIVEKIT_URL (the /agent WebSocket), so it never registered and no job can reach it: no server listening at that host and port (a local server not started, a wrong port, localhost inside a container), a host that does not resolve, a firewall, wss:// to a server without TLS, or an API key/secret the server does not accept. The worker retries, then gives up.',
    evidence:
      '"failed to connect to livekit, retrying in Ns" with the reason after it, in its traceback or its `error` extra (ClientConnectorError: Cannot connect to host … [Connect call failed], 401 Invalid response status …); "failed to connect to livekit after N attempts"; agents-js "failed to connect to LiveKit server, retrying".',
    fix: 'Check LIVEKIT_URL from where the agent runs (the scheme ws:// or wss://, the host, the port: 7880 for a local `livekit-server --dev`), that the server is running and reachable from there (not localhost from inside a container), and that LIVEKIT_API_KEY/LIVEKIT_API_SECRET belong to that server.',
    fixFor: (d) =>
      d.why === 'auth'
        ? 'Use the API key and secret of this server (livekit.yaml `keys:` or the Cloud project settings) in LIVEKIT_API_KEY / LIVEKIT_API_SECRET; a self-hosted server without TLS needs ws://, not wss://.'
        : d.why === 'tls'
          ? 'Use ws:// for a server without TLS (a local or self-hosted server on 7880), wss:// only behind TLS; check the certificate chain for wss://.'
          : undefined,
    detail: (d) => {
      const where = d.host ? ` (${d.host})` : '';
      const outcome = d.registeredAfter
        ? ' It registered later: the server was unreachable for a while.'
        : d.gaveUp
          ? ' It gave up.'
          : ' The log shows no registration after it.';
      return `The worker failed to connect to the LiveKit server${where} ${d.attempts === 1 ? 'once' : `${d.attempts} times`}: ${UNREACHABLE_WHY[d.why]}.${d.reason ? ` Reason: ${d.reason.slice(0, 300)}.` : ''}${outcome}`;
    },
  }),
  agentLeft: defineCode<AgentLeftData>({
    code: 'livekit/agent-left',
    severity: 'error',
    title: 'The agent left the room mid-session',
    cause:
      'The agent participant left while the user was still in the room, and not by its own choice: its worker or job process died (a crash, an OOM kill, SIGKILL, a deploy that did not drain), or its connection to the server was lost. The user was left in a room with no one to answer.',
    evidence:
      'room.participant.left for an agent participant with a server-side reason (SIGNAL_CLOSE, CONNECTION_TIMEOUT, UNKNOWN_REASON …, not CLIENT_INITIATED) before any user left and before the room closed; what the agent was doing then (its last lk.agent.state).',
    fix: "Read the agent's log and its host for how the process ended (exit code, OOM killer, a supervisor restart). Give the worker enough memory, and drain workers on deploy (SIGTERM, then wait for jobs to end) instead of killing them.",
    detail: (d) => {
      const doing =
        d.state !== undefined
          ? ` It was ${d.state} (lk.agent.state)${d.state === 'speaking' || d.state === 'thinking' ? ': the reply in progress was lost' : ''}.`
          : '';
      return `The agent ${d.identity} left ${sec(d.intoMs)} into the session with reason ${d.reason} while ${d.present.join(', ')} ${d.present.length > 1 ? 'were' : 'was'} still in the room.${doing}`;
    },
  }),
};

/** rtc-node / livekit_models DisconnectReason names by number (events may carry either). */
export const DISCONNECT_REASONS = [
  'UNKNOWN_REASON',
  'CLIENT_INITIATED',
  'DUPLICATE_IDENTITY',
  'SERVER_SHUTDOWN',
  'PARTICIPANT_REMOVED',
  'ROOM_DELETED',
  'STATE_MISMATCH',
  'JOIN_FAILURE',
  'MIGRATION',
  'SIGNAL_CLOSE',
  'ROOM_CLOSED',
  'USER_UNAVAILABLE',
  'USER_REJECTED',
  'SIP_TRUNK_FAILURE',
  'CONNECTION_TIMEOUT',
  'MEDIA_FAILURE',
  'AGENT_ERROR',
] as const;

/** A DisconnectReason as a name, whether the event carries its number or its name. */
export function reasonName(v: unknown): string {
  if (typeof v === 'number') return DISCONNECT_REASONS[v] ?? `REASON_${v}`;
  if (typeof v === 'string' && v) return v;
  return 'UNKNOWN_REASON';
}
