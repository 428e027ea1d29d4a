/**
 * What every event family module declares besides its types: the registry metadata that
 * docs/events.md is generated from (scripts/gen-events-doc.mjs) and that runtime checks use.
 */

/** Who saw an event. The same fact keeps one kind whatever saw it; `source` says who. */
export type EventSource =
  | 'probe' // our own Realtime API client (probe-openai)
  | 'openai' // a Realtime API event seen on the wire by the probe
  | 'log' // a line parsed from an agent's log (may carry a Realtime event too), or a file doctor read
  | 'room' // the LiveKit room as a participant sees it
  | 'session' // lk.agent.session events from the agent
  | 'client' // our synthetic user (send-preconnect)
  | 'server' // the LiveKit server API (rooms, dispatch)
  | 'simulator' // lkdiag's Realtime API simulator
  | 'console' // lkdiag drive: the console broker a real agent connects to (src/sources/console-broker.ts)
  | 'report'; // an agent's session_report.json (src/sources/logs/session-report.ts)

export const EVENT_SOURCES: readonly EventSource[] = ['probe', 'openai', 'log', 'room', 'session', 'client', 'server', 'simulator', 'console', 'report'];

/** The fields every event parsed from an agent log line carries (source `log`). */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';
export type LogLineFields = {
  /** debug | info | warning | error | critical */
  level: LogLevel;
  logger: string;
  message: string;
  /** 1-based line number in the input. */
  line: number;
};
export type LogLineField = keyof LogLineFields;

/** The declared keys of D (not its index signature, if it has one). */
export type KnownKeys<D> = keyof { [K in keyof D as string extends K ? never : number extends K ? never : K]: true };

/** A field's doc: an optional field's starts with `? ` (the compiler checks it against the type). */
export type FieldDoc<D, F extends keyof D> = object extends Pick<D, F> ? `? ${string}` : string;

/**
 * One line of documentation per declared data field, `? ` first for the optional ones. The log-line
 * fields of kinds that carry them (their data has `level`) are documented once, for all.
 */
export type FieldDocs<D> = {
  readonly [F in 'level' extends KnownKeys<D> ? Exclude<KnownKeys<D>, LogLineField> : KnownKeys<D>]-?: F extends keyof D ? FieldDoc<D, F> : never;
};

/** Registry metadata of one kind. */
export interface KindMeta<D> {
  /** One sentence: what fact this kind records. */
  readonly description: string;
  /** Every data field with a one-line doc (`?` in the rendered doc when the type makes it optional). */
  readonly fields: FieldDocs<D>;
  /** Which sources emit it. */
  readonly sources: readonly EventSource[];
  /** A realistic `data` value (checked against the data type by the compiler). */
  readonly example: D;
  /** Where it comes from, when that is worth saying (e.g. the exact log message). */
  readonly from?: string;
}

/** A family's registry: metadata for every kind of its kind → data map, none missing. */
export type KindsMeta<M> = { readonly [K in keyof M]-?: KindMeta<M[K]> };

/** The documentation of one family. */
export interface FamilyMeta {
  readonly name: string;
  readonly title: string;
  /** Markdown prose rendered above the family's table. */
  readonly intro: string;
  readonly kinds: Readonly<Record<string, KindMeta<unknown>>>;
}
