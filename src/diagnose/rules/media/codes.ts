import { defineCode } from '../kit.js';

export interface RoomConnectFailedData {
  reason?: string;
  count: number;
}
export interface SignalReconnectingData {
  attempts: number;
  reasons: string[];
}
export interface TtsFailedData {
  attempts: number;
  /** Every failure said it would retry (a later attempt may have worked). */
  retried: boolean;
  tts?: string;
  reason?: string;
}

const times = (n: number): string => (n === 1 ? 'once' : `${n} times`);

/** Findings about the agent's own connection to the room (the Rust SDK's rtc_engine, from the agent log). */
export const ROOM = {
  connectFailed: defineCode<RoomConnectFailedData>({
    code: 'room/connect-failed',
    severity: 'error',
    title: 'The agent could not join the room',
    cause:
      'The SDK reached the signal server but the media (WebRTC) connection never came up: UDP/TCP to the server\'s media ports blocked, TURN not reachable, or a server behind NAT advertising the wrong IP ("wait_pc_connection timed out").',
    evidence: '"error while connecting to a room: …" (livekit_ffi).',
    fix: "Open the server's RTC ports (UDP 50000-60000 or the configured range, TCP 7881) from the agent host, set rtc.use_external_ip / node_ip on a self-hosted server, or enable TURN.",
    detail: (d) => `The agent's SDK logged "error while connecting to a room${d.reason ? `: ${d.reason}` : ''}" ${times(d.count)}.`,
  }),
  signalReconnecting: defineCode<SignalReconnectingData>({
    code: 'room/signal-reconnecting',
    severity: 'warning',
    title: "The room's signal connection dropped and the SDK resumed it",
    cause:
      'The WebSocket to the LiveKit server closed (network, a server restart or a load balancer) and the SDK resumed the session; audio may have stalled meanwhile.',
    evidence: '"resuming connection... attempt: N" or "received session close: … Resume" (livekit::rtc_engine).',
    fix: 'If it repeats, check the network path to the server and proxy/LB idle timeouts; the server log tells why it closed the session.',
    detail: (d) => `The SDK resumed the room connection (${d.attempts} line(s))${d.reasons.length ? `; close reasons: ${d.reasons.join('; ')}` : ''}.`,
  }),
  duplicateIdentity: defineCode<object>({
    code: 'room/duplicate-identity',
    severity: 'error',
    title: 'The agent was removed: another participant joined with its identity',
    cause:
      'Two participants connected to the room with the same identity (a second agent process or a token reused); the server keeps the newest and removes the other.',
    evidence: 'LeaveRequest with reason DuplicateIdentity ("received leave request: … reason: DuplicateIdentity").',
    fix: 'Give every connection its own identity (livekit-agents names the agent per job; custom tokens must not reuse an identity), and make sure only one agent process joins per job.',
    detail: () => 'The server sent a LeaveRequest with reason DuplicateIdentity: another connection joined with this identity and replaced the agent.',
  }),
  reconnectFailed: defineCode<object>({
    code: 'room/reconnect-failed',
    severity: 'error',
    title: 'The agent could not reconnect to the room',
    cause: 'Resuming and then a full reconnect failed: the agent is out of the room and its session ends.',
    evidence: '"failed to reconnect to the livekit room" (livekit::rtc_engine), usually after "resuming connection failed".',
    fix: 'Find why the connection dropped (the server log, the network); a room that was closed meanwhile cannot be rejoined.',
    detail: () => 'The SDK logged "failed to reconnect to the livekit room": the agent left the room for good.',
  }),
};

export interface SttClosedData {
  count: number;
  exception: string;
}
export interface GeminiClosedData {
  reason: string;
  count: number;
}

export interface GeminiConnectFailedData {
  /** `after N attempts`, when the plugin said. */
  attempts?: number;
  /** Retry lines before it gave up. */
  retries: number;
  /** The close code Google sent before, if the log shows one. */
  closedWith?: number;
}
export interface GeminiGoAwayData {
  count: number;
  timeLeft?: string;
}

/** Findings about Gemini Live (livekit-plugins-google realtime), from the agent log. */
export const GEMINI = {
  closed1007: defineCode<GeminiClosedData>({
    code: 'gemini/closed-1007',
    severity: 'error',
    title: 'Gemini Live closed the session with 1007 (invalid payload)',
    cause: 'Google rejected the setup or a message: an option the model or modality does not support (a voice on a text-only session, a bad config field).',
    evidence: '"received 1007 (invalid frame payload data) <reason>" in a Gemini record or traceback.',
    fix: 'Read the reason: remove the option it names (e.g. voice with modalities=["TEXT"]) or use a model that supports it.',
    detail: (d) => `Gemini Live closed with 1007${d.count > 1 ? ` (${times(d.count)})` : ''}: ${d.reason}`,
  }),
  closed1008: defineCode<GeminiClosedData>({
    code: 'gemini/closed-1008',
    severity: 'error',
    title: 'Gemini Live closed the session with 1008 (policy violation)',
    cause:
      'The model is not found for this API version (v1beta vs v1alpha, Vertex vs Gemini API) or does not support the operation requested (a tool, a feature, bidiGenerateContent).',
    evidence: '"received 1008 (policy violation) <reason>".',
    fix: 'Use a Live model available to this API (check the model name and api_version / vertexai settings), or drop the unsupported feature.',
    detail: (d) => `Gemini Live closed with 1008${d.count > 1 ? ` (${times(d.count)})` : ''}: ${d.reason}`,
  }),
  closed1011: defineCode<GeminiClosedData>({
    code: 'gemini/closed-1011',
    severity: 'error',
    title: 'Gemini Live closed the session with 1011 (internal error)',
    cause: "An error on Google's side (often transient, sometimes a preview model's instability or an input it fails on).",
    evidence: '"received 1011 (internal error) …".',
    fix: 'Retry; if it repeats at the same point, try another model version and report it to Google with the session details.',
    detail: (d) => `Gemini Live closed with 1011${d.count > 1 ? ` (${times(d.count)})` : ''}: ${d.reason || 'internal error'}`,
  }),
  connectFailed: defineCode<GeminiConnectFailedData>({
    code: 'gemini/connect-failed',
    severity: 'error',
    title: 'The Gemini Live session could not be opened and the plugin gave up',
    cause:
      'livekit-plugins-google raised APIConnectionError("Failed to connect to Gemini Live"): the first connection failed (the plugin does not retry a session that never connected: a wrong key, model, api_version or Vertex setting, a rejected setup) or every retry failed; the agent has no model for the rest of the session.',
    evidence:
      '"APIConnectionError: Failed to connect to Gemini Live[ after N attempts]" (the exception ending a traceback), after "Gemini Realtime API error: …".',
    fix: 'Read the "Gemini Realtime API error:" line before it: fix the key (GOOGLE_API_KEY, or the Vertex project/location), the model name for that API (Gemini API vs Vertex AI) and the options it names; test the same model with google-genai alone.',
    detail: (d) =>
      `The plugin gave up on Gemini Live${d.attempts !== undefined ? ` after ${d.attempts} attempts` : ''}${d.retries > 0 ? ` (${d.retries} retry line(s) before)` : ''}${d.closedWith ? `; Google had closed with ${d.closedWith}` : ''}.`,
  }),
  handshakeTimeout: defineCode<object>({
    code: 'gemini/handshake-timeout',
    severity: 'error',
    title: 'The Gemini Live WebSocket handshake timed out',
    cause:
      "The TLS/WebSocket opening handshake to Google's Live endpoint did not complete in time (websockets' TimeoutError): the network path (a proxy, a firewall, a region where the endpoint is slow or blocked), or a host too busy to finish it.",
    evidence: '"TimeoutError: timed out during opening handshake" in a Gemini record or traceback.',
    fix: 'Check that the agent host reaches generativelanguage.googleapis.com (or the Vertex endpoint) on 443 without a proxy in the way; set HTTPS_PROXY if one is required; retry from another network to compare.',
    detail: () => 'The WebSocket to Gemini Live timed out during its opening handshake.',
  }),
  goAway: defineCode<GeminiGoAwayData>({
    code: 'gemini/go-away',
    severity: 'warning',
    title: 'Gemini Live announced the end of the session (GoAway)',
    cause:
      'Google sends GoAway before it closes a Live connection (its session/connection time limit). livekit-plugins-google then closes and reopens the session — not seamlessly: a reply in progress can be cut and the context is sent again.',
    evidence: '"Gemini server indicates disconnection soon. Time left: …".',
    fix: 'Expected on long sessions; if replies break at that point, enable session resumption / context window compression in the Gemini options, or keep sessions shorter than the limit.',
    detail: (d) => `Gemini Live sent GoAway ${times(d.count)}${d.timeLeft ? ` (time left: ${d.timeLeft})` : ''}; the plugin reconnects.`,
  }),
};

export interface AzureDeploymentData {
  what: 'deployment-not-found' | 'resource-not-found' | 'realtime-404';
  count: number;
  /** The line that said it, or the Realtime URL refused. */
  said?: string;
}

/** Findings about Azure OpenAI (livekit-plugins-openai with_azure / an Azure endpoint), from the agent log. */
export const AZURE = {
  deploymentError: defineCode<AzureDeploymentData>({
    code: 'azure/deployment-error',
    severity: 'error',
    title: 'Azure OpenAI has no such deployment (or does not serve this path or api-version)',
    cause:
      'Azure routes a request by resource, deployment name and api-version: a deployment name that is not one of the resource\'s deployments (the model name is not the deployment name) answers 404 DeploymentNotFound; a path or api-version it does not serve (the realtime path on a resource or api-version without it) answers 404 "Resource not found" — a Realtime WebSocket upgrade is refused with 404.',
    evidence:
      "DeploymentNotFound / \"The API deployment for this resource does not exist\" or {'code': '404', 'message': 'Resource not found'} in a record or traceback; a 404 WebSocket upgrade after \"connecting to Realtime API: wss://…openai.azure.com…\".",
    fix: 'Pass the deployment name from Azure AI Foundry (Deployments) as azure_deployment (not the model name), the resource endpoint as azure_endpoint (AZURE_OPENAI_ENDPOINT), and an api_version that the deployment supports (for Realtime, the one Azure documents for that model).',
    detail: (d) =>
      `${d.what === 'deployment-not-found' ? 'Azure answered DeploymentNotFound' : d.what === 'resource-not-found' ? 'Azure answered 404 Resource not found' : 'The Realtime upgrade to Azure was refused with 404'}${d.count > 1 ? ` (${times(d.count)})` : ''}${d.said ? `: ${d.said}` : ''}.`,
  }),
};

/** Findings about speech-to-text (from the agent log). */
export const STT = {
  connectionClosed: defineCode<SttClosedData>({
    code: 'stt/connection-closed',
    severity: 'error',
    title: "The speech-to-text stream's connection closed",
    cause:
      "The STT provider's streaming WebSocket closed unexpectedly (status -1: no HTTP status, the socket itself): the network, a provider-side limit or idle timeout, an invalid key or model. The framework retries; meanwhile the user's speech is not transcribed.",
    evidence: '"… STT connection closed unexpectedly" (APIStatusError) ending a traceback.',
    fix: "Check the STT plugin's key, model and language options and the network path; if it repeats after idle periods, look for the provider's session limits.",
    detail: (d) => `${d.exception}${d.count > 1 ? ` (${times(d.count)})` : ''}`,
  }),
};

/** Findings about the speech pipeline's plugins (from the agent log). */
export const TTS = {
  synthesisFailed: defineCode<TtsFailedData>({
    code: 'tts/synthesis-failed',
    severity: 'error',
    title: 'Text-to-speech failed',
    cause:
      'The TTS provider rejected or did not answer the request: a bad voice/model/format option (HTTP 4xx), an invalid key, a quota, or no audio returned ("no audio frames were pushed"). The agent says nothing for that reply.',
    evidence: '"failed to synthesize speech" (with the error in its traceback), agents-js "Error in SynthesizeStream".',
    fix: "Read the provider's error: fix the voice, model or output format option it names, the key or the quota; test the TTS plugin alone.",
    detail: (d) =>
      `TTS failed ${times(d.attempts)}${d.tts ? ` (${d.tts})` : ''}${d.reason ? `: ${d.reason}` : ''}.${d.retried ? ' The framework retried; the log does not show whether a later attempt worked.' : ''}`,
  }),
};
