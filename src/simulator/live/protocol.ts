/**
 * GPT-Live wire facts the simulator serves, as livekit-agents 1.8.9 reads them
 * (livekit/agents/llm/_realtime/gpt_live.py and gpt_live_types.py; line numbers of 1.8.9).
 * Wordings the client never reads (error messages) are ours and say so in docs/simulator.md.
 */

/** `/v1/live/sessions` (OpenAI) and `/openai/v1/live/sessions` (Azure's v1 surface): `_live_sessions_url`, gpt_live.py:1254-1264. */
export function isLivePath(path: string): boolean {
  return /\/live\/sessions\/?$/.test(path);
}

/** Client event types (gpt_live_types.py ClientEvent, :190-202). */
export const LIVE_CLIENT_EVENTS = [
  'session.start',
  'session.update',
  'session.input_audio.append',
  'session.input_audio.mute',
  'session.input_audio.unmute',
  'session.instructions.append',
  'session.thinking.append',
  'session.commentary.append',
  'response.item.create',
  'response.create',
  'session.close',
] as const;
export type LiveClientEventType = (typeof LIVE_CLIENT_EVENTS)[number];

export function isLiveClientEvent(type: string): type is LiveClientEventType {
  return (LIVE_CLIENT_EVENTS as readonly string[]).includes(type);
}

/** Voices the service refuses with `forbidden` (third-party live probe, aplisay/llm-agent#306); every other name is accepted. */
export const FORBIDDEN_VOICES: ReadonlySet<string> = new Set(['fable', 'nova', 'onyx']);

/** The client's own defaults (gpt_live.py:36-38). */
export const LIVE_DEFAULTS = { model: 'gpt-live-1', voice: 'marin', backendModel: 'gpt-5.6-luna' } as const;

/** The acknowledgements the client logs and ignores (gpt_live.py:751-764). */
export const ACKS: Readonly<Record<string, string>> = {
  'session.update': 'session.updated',
  'session.input_audio.mute': 'session.input_audio.muted',
  'session.input_audio.unmute': 'session.input_audio.unmuted',
  'session.instructions.append': 'session.instructions.appended',
  'session.thinking.append': 'session.thinking.appended',
  'session.commentary.append': 'session.commentary.appended',
};

export const LIVE_MESSAGES = {
  notStarted: (type: string) => `Expected session.start as the first event, got ${type}.`,
  alreadyStarted: 'session.start may be sent only once per connection.',
  missingModel: "Missing required parameter: 'session.model'.",
  forbiddenVoice: (voice: string) => `The voice '${voice}' is not available for this session.`,
  unknownEvent: (type: string) => `Invalid value: '${type}'. Supported values are: ${LIVE_CLIENT_EVENTS.map((t) => `'${t}'`).join(', ')}.`,
  /** livekit/agents#7266: "A response.create with any call open is refused and the message names the missing call ids". */
  outputsRequired: (callIds: string[]) => `Function call outputs are required before response.create: missing output for ${callIds.join(', ')}.`,
  invalidJson: 'We could not parse the JSON body of your request. (Expected a JSON object.)',
};
