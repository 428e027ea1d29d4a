/**
 * The event vocabulary every lkdiag command shares: one kind per fact, whatever saw it; `source`
 * says who saw it. Each family module declares its kinds (a kind → data map) and their registry
 * metadata; this module joins them into `TraceEvent`, the union discriminated on `kind`.
 * docs/events.md is generated from FAMILIES (scripts/gen-events-doc.mjs).
 */
import { CLIENT_KINDS, type ClientKinds } from './client.js';
import { DOCTOR_KINDS, type DoctorKinds } from './doctor.js';
import { DRIVE_KINDS, type DriveKinds } from './drive.js';
import { LIVE_KINDS, type LiveKinds } from './live.js';
import { LOG_KINDS, type LogKinds } from './log.js';
import { MOCK_AGENT_KINDS, type MockAgentKinds } from './mock-agent.js';
import type { EventSource, FamilyMeta, KindMeta } from './meta.js';
import { type AnyOpenAIEventData, OPENAI_KINDS, type OpenAIEventData, type OpenAIKinds } from './openai.js';
import { PROBE_KINDS, type ProbeKinds } from './probe.js';
import { ROOM_KINDS, type RoomKinds } from './room.js';
import { SERVER_KINDS, type ServerKinds } from './server.js';
import { SESSION_KINDS, type SessionKinds } from './session.js';
import { SIMULATOR_KINDS, type SimulatorKinds } from './simulator.js';

export type { EventSource, FamilyMeta, KindMeta, KindsMeta, LogLevel, LogLineFields } from './meta.js';
export { EVENT_SOURCES } from './meta.js';
export type {
  AnyOpenAIEventData,
  TypedOpenAIEventData,
  ListedRealtimeEvent,
  ListedRealtimeType,
  OpenAIEventData,
  RealtimeEventOf,
  TracedRealtimeEvent,
  UnlistedRealtimeEvent,
} from './openai.js';
export type { ItemMetrics } from './session.js';
export type { DispatchJob } from './server.js';
export type { ParticipantKindName } from './room.js';

/** Every kind → its data. */
export interface KindMap
  extends OpenAIKinds,
    ProbeKinds,
    LogKinds,
    RoomKinds,
    SessionKinds,
    ClientKinds,
    ServerKinds,
    SimulatorKinds,
    DoctorKinds,
    DriveKinds,
    MockAgentKinds,
    LiveKinds {}

/** Every kind: the literals of each family, and `openai.${string}` for Realtime events. */
export type EventKind = keyof KindMap & string;

/** A Realtime API event of any type. */
export interface AnyOpenAIEvent {
  t: number;
  source: EventSource;
  kind: `openai.${string}`;
  data: AnyOpenAIEventData;
}

/** A Realtime API event of type T (`openai.<T>`), its `data.event` the SDK's type for T. */
export interface TypedOpenAIEvent<T extends string> {
  t: number;
  source: EventSource;
  kind: `openai.${T}`;
  data: OpenAIEventData<T>;
}

/** A Realtime API event of type T (any type when T is `string`). */
export type OpenAIEvent<T extends string = string> = string extends T ? AnyOpenAIEvent : TypedOpenAIEvent<T>;

type Build<K extends EventKind> = K extends `openai.${infer T}` ? OpenAIEvent<T> : { t: number; source: EventSource; kind: K; data: KindMap[K] };

/** The event of kind K (a union when K is). */
export type EventOf<K extends EventKind> = K extends EventKind ? Build<K> : never;
/** The data of kind K. */
export type DataOf<K extends EventKind> = EventOf<K>['data'];

/**
 * One observed fact. `t` is epoch milliseconds on the source's clock. `TraceEvent` is the union of
 * every kind, discriminated on `kind`; `TraceEvent<K>` is the event of kind K.
 */
export type TraceEvent<K extends EventKind = EventKind> = EventOf<K>;

/** Events whose kind starts with P (what `timeline.ofKind('P*')` returns). */
export type PrefixEvent<P extends string> = P extends `openai.${infer R}`
  ? OpenAIEvent<`${R}${string}`>
  : 'openai.' extends `${P}${string}`
    ? Extract<TraceEvent, { kind: `${P}${string}` }> | OpenAIEvent
    : Extract<TraceEvent, { kind: `${P}${string}` }>;

/** Builds an event of kind K, its data checked against the kind. */
export function traceEvent<K extends EventKind>(t: number, source: EventSource, kind: K, data: DataOf<K>): EventOf<K> {
  // K is generic here, so the compiler cannot see that {kind: K, data: DataOf<K>} is EventOf<K>: it is, by definition.
  return { t, source, kind, data } as EventOf<K>;
}

/** Whether an event is a Realtime API event (`openai.*`). */
export function isOpenAIEvent(e: TraceEvent): e is AnyOpenAIEvent {
  return e.kind.startsWith('openai.');
}

/** An event's data as plain fields, for code that presents any event generically (renderers, JSON). */
export function fieldsOf(e: TraceEvent): Readonly<Record<string, unknown>> {
  return e.data;
}

/** The families, in the order docs/events.md documents them. */
export const FAMILIES: readonly FamilyMeta[] = [
  {
    name: 'openai',
    title: 'Realtime API (`openai.*`) — any source',
    intro:
      'Built with `realtimeTraceEvent(t, source, direction, event)` (`src/protocol/realtime-events.ts`): `kind = "openai.<GA event type>"` (beta names normalised to GA), `data = { direction, event }`, audio payloads elided. The probe (source `probe` for what it sent, `openai` for what it received), and agent-log parsers (source `log`, from `LK_OPENAI_DEBUG` output) produce these. `timeline.openai(type)` returns them with `data.event` typed as the SDK\'s event of that type.',
    kinds: OPENAI_KINDS,
  },
  {
    name: 'probe',
    title: 'Probe (`probe.*`, source `probe`)',
    intro: "probe-openai's own client: the WebSocket upgrade, the close, its bounds.",
    kinds: PROBE_KINDS,
  },
  {
    name: 'log',
    title: 'Agent logs (`log.*`, source `log`)',
    intro:
      'Every event parsed from an agent log line carries `level` (`debug|info|warning|error|critical`), `logger`, `message` and `line` (1-based line number), plus the fields below. Facts other sources see too (agent state, transcripts, conversation items) are the `agent.*` / `user.*` / `conversation.*` kinds with source `log`; Realtime events found in `LK_OPENAI_DEBUG` output are `openai.*` events (source `log`). "From" quotes the exact message text (Python unless noted).',
    kinds: LOG_KINDS,
  },
  {
    name: 'session',
    title: 'Agent session (`agent.*`, `user.*`, `conversation.*`, `session.*`)',
    intro:
      "One kind per fact, whatever saw it: from the agent log (source `log`, with the log-line fields), from lk.agent.session events decoded with @livekit/protocol (source `session`, with the sending agent's `identity`), or from the room (source `room`: the `lk.agent.state` attribute, lk.transcription text streams). Rules that must not count one fact twice de-duplicate by `source`. `session.*` are the lk.agent.session protocol's own facts.",
    kinds: SESSION_KINDS,
  },
  {
    name: 'room',
    title: 'Room (`room.*`, source `room`) — trace room, send-preconnect, smoke',
    intro:
      'The LiveKit room as a participant sees it. The hidden observer of `trace room` reports itself with `room.observer.*`, never `client.*` (it is not the user).',
    kinds: ROOM_KINDS,
  },
  {
    name: 'client',
    title: 'Synthetic user (`client.*`, source `client`) — send-preconnect, smoke',
    intro: 'What the synthetic user did and saw.',
    kinds: CLIENT_KINDS,
  },
  {
    name: 'mockagent',
    title: 'Mock agent (`mockagent.*`, source `room`) — mock-agent',
    intro: "What `lkdiag mock-agent`, standing in for a LiveKit agent, saw of a client's pre-connect buffer.",
    kinds: MOCK_AGENT_KINDS,
  },
  {
    name: 'server',
    title: 'Server API (`server.*`, source `server`)',
    intro: 'Rooms and agent dispatch, through the LiveKit server API.',
    kinds: SERVER_KINDS,
  },
  {
    name: 'simulator',
    title: 'Simulator (source `simulator`)',
    intro: 'The Realtime API simulator records what it exchanges as `openai.*` events; it has no kinds of its own yet (src/events/simulator.ts).',
    kinds: SIMULATOR_KINDS,
  },
  {
    name: 'live',
    title: 'GPT-Live (`live.*` on the wire, `log.live.*` from agent logs)',
    intro:
      'OpenAI GPT-Live (`/v1/live/sessions`), its own protocol: `probe-openai --api live` records what it sent (source `probe`) and received (source `openai`); `trace log` reads livekit-agents 1.8.9 GPTLiveSession wordings (source `log`).',
    kinds: LIVE_KINDS,
  },
  {
    name: 'doctor',
    title: 'Doctor (`doctor.*`, source `log` / `server`)',
    intro: "`lkdiag doctor`'s facts about an agent project. Files on disk are read like logs, so their source is `log`; the server check's is `server`.",
    kinds: DOCTOR_KINDS,
  },
  {
    name: 'drive',
    title: 'Console broker (`drive.*`, source `console`) — lkdiag drive',
    intro:
      "`lkdiag drive` is the console broker a real agent connects to (no LiveKit server). Its own facts; the agent session's events it decodes are the `agent.*` / `user.*` / `conversation.*` kinds with source `console`.",
    kinds: DRIVE_KINDS,
  },
];

const LITERAL_KINDS = new Map<string, KindMeta<unknown>>();
for (const f of FAMILIES) for (const [k, m] of Object.entries(f.kinds)) if (!k.startsWith('openai.')) LITERAL_KINDS.set(k, m);

/** Whether a string is a kind of the vocabulary (any `openai.<type>`, or a registered literal). */
export function isEventKind(kind: string): kind is EventKind {
  return kind.startsWith('openai.') ? kind.length > 'openai.'.length : LITERAL_KINDS.has(kind);
}

/** The registry metadata of a kind. */
export function kindMeta(kind: EventKind): KindMeta<unknown> {
  const meta = kind.startsWith('openai.') ? OPENAI_KINDS['openai.<type>'] : LITERAL_KINDS.get(kind);
  if (meta === undefined) throw new Error(`no registry entry for ${kind}`); // every literal kind has one (KindsMeta)
  return meta;
}

export { LEGACY_KINDS, upgradeLegacyEvent } from './legacy.js';
