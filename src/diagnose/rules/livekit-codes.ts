import type { FindingMeta } from '../types.js';

/** Findings about the LiveKit server, the connection to it, and who is in the room. docs/findings.md is generated from these. */
export const LIVEKIT = {
  serverConnectionLost: {
    code: 'livekit/server-connection-lost',
    severity: 'error',
    exit: 3,
    title: 'The connection to the LiveKit server was lost mid-session',
    cause:
      'The server process died or restarted, or the network between lkdiag and the server (a proxy, a load balancer, a VPN, Wi-Fi) was cut while the session was going: the signal connection closed and did not come back, and the server API could not be reached. The session was not closed by the server: what the timeline shows after that moment is missing, not absent.',
    evidence:
      'room.observer.disconnected {connectionLost: true} (trace room: the SDK reconnected in vain or disconnected with SERVER_SHUTDOWN, SIGNAL_CLOSE, CONNECTION_TIMEOUT …, and the API did not confirm the room was closed), client.disconnected (send-preconnect, smoke: the synthetic user\'s Room disconnected before the run ended), server.api.failed without an HTTP status (the API request got no answer).',
    fix:
      'Check that livekit-server is running (its log, its process supervisor, an OOM kill) and that the network path from here to LIVEKIT_URL holds (proxy and load-balancer idle timeouts for WebSockets, firewalls). Then run the session again: this one cannot be diagnosed past the cut.',
  },
  roomClosedMidRun: {
    code: 'livekit/room-closed-mid-run',
    severity: 'error',
    title: 'The room was closed, or the user removed, while the run was going',
    cause:
      'The server ended the synthetic user\'s session before the run was over: the room was deleted (DeleteRoom from another tool, an empty or departure timeout), or the user was removed (RemoveParticipant, a second participant with the same identity).',
    evidence: 'client.disconnected with reason ROOM_DELETED, ROOM_CLOSED, PARTICIPANT_REMOVED or DUPLICATE_IDENTITY.',
    fix: 'Do not delete or reuse the room while a run is on it: give each run its own room (smoke does), and check for other tools or agents that delete rooms or remove participants.',
  },
  agentLeft: {
    code: 'livekit/agent-left',
    severity: 'error',
    title: 'The agent left the room mid-session',
    cause:
      'The agent participant left while the user was still in the room, and not by its own choice: its worker or job process died (a crash, an OOM kill, SIGKILL, a deploy that did not drain), or its connection to the server was lost. The user was left in a room with no one to answer.',
    evidence:
      'room.participant.left for an agent participant with a server-side reason (SIGNAL_CLOSE, CONNECTION_TIMEOUT, UNKNOWN_REASON …, not CLIENT_INITIATED) before any user left and before the room closed; what the agent was doing then (its last lk.agent.state).',
    fix:
      'Read the agent\'s log and its host for how the process ended (exit code, OOM killer, a supervisor restart). Give the worker enough memory, and drain workers on deploy (SIGTERM, then wait for jobs to end) instead of killing them.',
  },
} as const satisfies Record<string, FindingMeta>;

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
