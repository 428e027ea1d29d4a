/**
 * GPT-Live (`/v1/live/sessions`) findings. What the client does with each fact is livekit-agents 1.8.9's
 * GPTLiveSession (llm/_realtime/gpt_live.py), read in the installed package; the service's behaviour
 * behind function_call_outputs_required is livekit/agents#7266 (live probes by its author).
 */
import { defineCode } from '../kit.js';

export interface LiveConnectData {
  status?: number;
  error?: string;
  /** From an agent log: the plugin gave up after retrying. */
  gaveUp?: boolean;
}
export interface LiveRetryData {
  retries: number;
  retryInS?: number;
}
export interface LiveClosedData {
  reason: string;
  /** The session's voice seconds when it closed, if reported. */
  seconds?: number;
}
export interface LiveErrorData {
  code: string;
  message: string;
  param?: string;
}
export interface LiveVoiceData {
  voice?: string;
  message: string;
}
export interface LiveContinuationData {
  openCalls: string[];
}
export interface LiveTimeoutData {
  step: string;
  boundMs: number;
}

export const LIVE = {
  connectFailed: defineCode<LiveConnectData>({
    code: 'live/connect-failed',
    severity: 'error',
    exit: 3,
    title: 'GPT-Live refused or could not be reached',
    cause:
      'The WebSocket upgrade to …/live/sessions was refused (401: the key; 403: no GPT-Live access; 404: a wrong path — Azure serves it only on /openai/v1/live/sessions) or the connection failed. livekit-agents retries a refused upgrade like any connection error, then gives up.',
    evidence:
      'The upgrade response (probe.upgrade.response) or the connection error; in agent logs "OpenAI Live API connection failed after N attempts" / "gpt-live session failed".',
    fix: 'Check OPENAI_API_KEY (Azure: AZURE_OPENAI_API_KEY or an Entra token) and that the account has GPT-Live; on Azure use the v1 surface (base URL https://<resource>.openai.azure.com/openai/v1).',
    detail: (d) =>
      d.gaveUp
        ? 'The GPT-Live plugin gave up connecting after its retries.'
        : d.status
          ? `The upgrade to GPT-Live was refused with HTTP ${d.status}.`
          : `The connection to GPT-Live failed${d.error ? `: ${d.error}` : ''}.`,
  }),
  connectRetrying: defineCode<LiveRetryData>({
    code: 'live/connect-retrying',
    severity: 'warning',
    title: 'The GPT-Live plugin lost its connection and retried',
    cause:
      'GPTLiveSession could not connect (or the socket closed unexpectedly) and retried with backoff; the user heard nothing meanwhile. A reconnect is a new session reseeded from the history.',
    evidence: '"OpenAI Live API connection failed, retrying in Ns" (warning).',
    fix: 'If it repeats, check the network path to the service; a refused upgrade (401/403/404) is retried too and never succeeds.',
    detail: (d) =>
      `The plugin retried the GPT-Live connection ${d.retries === 1 ? 'once' : `${d.retries} times`}${d.retryInS !== undefined ? ` (next attempt in ${d.retryInS}s)` : ''}.`,
  }),
  sessionExpired: defineCode<LiveClosedData>({
    code: 'live/session-expired',
    severity: 'warning',
    title: 'GPT-Live closed the session: expired',
    cause:
      'The service ended the session at its time limit (2 hours, per third-party probes) with session.closed reason expired. livekit-agents 1.8.9 logs it only at debug and reconnects at once, reseeding the conversation as startup history: the user may notice a gap, and what was being said is lost.',
    evidence: 'session.closed{reason: expired}; in agent logs "gpt-live session closed" with reason expired (debug).',
    fix: 'Nothing to fix for a long call; to recycle sessions earlier on your own terms, set GPTLiveModel(max_session_duration=…).',
    detail: (d) => `The service closed the GPT-Live session as expired${d.seconds !== undefined ? ` after ${d.seconds} s of voice` : ''}.`,
  }),
  closedContent: defineCode<LiveClosedData>({
    code: 'live/closed-content',
    severity: 'error',
    title: 'GPT-Live closed the session over its content',
    cause:
      'The service ended the session with session.closed reason content (a content policy decision). livekit-agents 1.8.9 does not surface the reason (debug log only) and opens a new session with the same history, which may be closed again.',
    evidence: 'session.closed{reason: content}; in agent logs "gpt-live session closed" with reason content (debug).',
    fix: "Review the conversation and instructions against OpenAI's usage policies; log at debug (or LK_OPENAI_DEBUG=1) to see the reason in production.",
    detail: () => 'The service closed the GPT-Live session with reason content.',
  }),
  connectionLost: defineCode<LiveClosedData>({
    code: 'live/connection-lost',
    severity: 'error',
    title: 'GPT-Live closed the session: connection lost',
    cause:
      'The service reported session.closed reason connection_lost: it lost the connection carrying the session. The plugin reconnects with a new session; the turn in progress is lost.',
    evidence: 'session.closed{reason: connection_lost}; in agent logs "gpt-live session closed" with reason connection_lost.',
    fix: 'Check the network between the agent and the service (proxies, idle timeouts); if it repeats, capture LK_OPENAI_DEBUG=1 logs for OpenAI support.',
    detail: () => 'The service closed the GPT-Live session with reason connection_lost.',
  }),
  remoteHangup: defineCode<LiveClosedData>({
    code: 'live/remote-hangup',
    severity: 'warning',
    title: 'GPT-Live closed the session: remote hangup',
    cause: 'The service reported session.closed reason remote_hangup: the remote side ended the session.',
    evidence: 'session.closed{reason: remote_hangup}.',
    fix: 'Expected when the call was ended on purpose; otherwise find who ended it.',
    detail: () => 'The service closed the GPT-Live session with reason remote_hangup.',
  }),
  forbiddenVoice: defineCode<LiveVoiceData>({
    code: 'live/forbidden-voice',
    severity: 'error',
    title: 'GPT-Live refused the voice (forbidden)',
    cause:
      "session.start asked for a voice the service does not allow (fable, nova and onyx are refused, per third-party probes). `forbidden` is one of the plugin's fatal codes: the session ends with a non-recoverable error, no retry, and the agent never speaks.",
    evidence: 'error{code: forbidden} answering session.start; in agent logs "gpt-live returned an error" with code forbidden.',
    fix: 'Use a GPT-Live voice (GPTLiveVoices: beacon, cedar, cinder, marin, stone, vesper — marin is the default) or an authorized custom voice {"id": "voice_…"}.',
    detail: (d) => `GPT-Live refused ${d.voice ? `the voice '${d.voice}'` : 'the voice'} with forbidden: ${d.message}`,
  }),
  fatalError: defineCode<LiveErrorData>({
    code: 'live/fatal-error',
    severity: 'error',
    title: 'GPT-Live returned a fatal error',
    cause:
      'An error whose code or type is one livekit-agents treats as fatal (insufficient_quota, credit_balance_exhausted, invalid_api_key, account_deactivated, billing_hard_limit_reached, forbidden): the session ends with a non-recoverable error and is not retried.',
    evidence: 'The `error` event; in agent logs "gpt-live returned an error".',
    fix: 'Fix the account (key, quota, billing, access) the error names.',
    detail: (d) => `GPT-Live returned the fatal error ${d.code}: ${d.message}`,
  }),
  error: defineCode<LiveErrorData>({
    code: 'live/error',
    severity: 'warning',
    title: 'GPT-Live returned an error',
    cause:
      'The service answered a client event with an error the plugin treats as recoverable: it emits it and the session goes on, but what that event asked for did not happen.',
    evidence: 'The `error` event (with client_event_id); in agent logs "gpt-live returned an error".',
    fix: 'Read the error message and its param: it names what the client event got wrong.',
    detail: (d) => `GPT-Live returned ${d.code}${d.param ? ` (param ${d.param})` : ''}: ${d.message}`,
  }),
  continuationRefused: defineCode<LiveContinuationData>({
    code: 'live/continuation-refused',
    severity: 'error',
    title: 'A response.create was refused: a delegated function call was still unanswered',
    cause:
      'GPT-Live refuses response.create with function_call_outputs_required while any function call in the session has no output. Clients that gated the continuation per backend response (livekit-agents before livekit/agents#7266, agents-js before #2495) sent it early and never sent another: the backend never answered again and the agent promised an answer it never gave.',
    evidence: 'error{code: function_call_outputs_required} naming the missing call ids, after a response.create.',
    fix: 'Upgrade livekit-agents / @livekit/agents to a release with the session-wide continuation gate (#7266 / #2495); own clients must send one response.create only when every open call has its function_call_output.',
    detail: (d) => `response.create was refused with function_call_outputs_required${d.openCalls.length ? `; unanswered: ${d.openCalls.join(', ')}` : ''}.`,
  }),
  continuationDeadlock: defineCode<LiveContinuationData>({
    code: 'live/continuation-deadlock',
    severity: 'error',
    exit: 4,
    title: 'The delegated work never continued: response.create went out with a call unanswered',
    cause:
      'A response.create was sent while a delegated function call had no output, and nothing came back — no continuation, no refusal — within the bound: the delegation is stuck and the voice model keeps waiting (agents-js #2495 / livekit/agents #7266).',
    evidence: 'response.create (with the open call ids) and no response.event or error after it before the probe gave up.',
    fix: 'Send response.create only once every open call has its function_call_output (the session-wide gate of #7266 / #2495); upgrade the plugin that sent it.',
    detail: (d) => `response.create was sent with ${d.openCalls.join(', ')} unanswered, and the backend never answered.`,
  }),
  noSessionStarted: defineCode<LiveTimeoutData>({
    code: 'live/no-session-started',
    severity: 'error',
    exit: 4,
    title: 'GPT-Live never answered session.start',
    cause: 'The socket opened but no session.started (or error) came within the bound; the plugin sends nothing else before it, so the agent is silent.',
    evidence: 'session.start and no session.started within the bound.',
    fix: 'Check that the endpoint is GPT-Live (/v1/live/sessions) and not a proxy that accepts and holds the socket.',
    detail: (d) => `No session.started within ${d.boundMs} ms of session.start.`,
  }),
  noReply: defineCode<LiveTimeoutData>({
    code: 'live/no-reply',
    severity: 'error',
    exit: 4,
    title: 'GPT-Live did not hear or answer the user within the bound',
    cause:
      'After the user’s audio, a transcript or the model’s audio did not arrive within the bound: the audio did not reach the model, the input was muted, or the service stalled.',
    evidence: 'A probe step (input-transcript, first-audio, output-transcript) that timed out.',
    fix: 'Check the input format (24 kHz mono PCM16), that input is not muted, and the service status.',
    detail: (d) => `The ${d.step} step did not happen within ${d.boundMs} ms.`,
  }),
};
