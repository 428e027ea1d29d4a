/**
 * The top-level commands as `lkdiag --help` lists them, without loading them: the root help needs
 * only each command's name, its help term and its summary, so cli.ts registers the full command
 * (its module, its options' imports) only for the command being run or asked about, and a stub
 * from this table for the others (start-up: bench/startup.mjs). Each command module takes its
 * summary from here; test/unit/cli-catalog.test.ts checks the terms against the real commands.
 */
export const COMMAND_CATALOG = {
  'probe-openai': { term: 'probe-openai [options]', summary: 'probe the OpenAI Realtime API step by step, with timings and a verdict in LiveKit terms' },
  'mock-openai': { term: 'mock-openai [options]', summary: 'run the built-in OpenAI Realtime API simulator (GA shape) with fault scenarios' },
  'send-preconnect': {
    term: 'send-preconnect [options]',
    summary: 'be a user who speaks while the agent joins: send a byte-exact pre-connect audio buffer, then live audio',
  },
  'mock-agent': {
    term: 'mock-agent [options]',
    summary: "be the agent for a client developer: check the client's pre-connect buffer as livekit-agents reads it, then answer",
  },
  doctor: {
    term: 'doctor [options] [path]',
    summary: "check an agent project's LiveKit/OpenAI versions and setup code against known failure causes (offline)",
  },
  trace: { term: 'trace', summary: 'one timeline of room, agent-session, agent-log and Realtime events, explained' },
  smoke: { term: 'smoke [options]', summary: 'the CI check: run a real user session against a deployed agent and fail on the gates that did not pass' },
  report: { term: 'report', summary: 'work with the --json reports lkdiag wrote (merge the shards of a smoke run)' },
  drive: {
    term: 'drive [options]',
    summary: 'be the console broker for a real agent (no LiveKit server): play scripted turns and barge-ins, measure heard latency',
  },
} as const;

export type CommandName = keyof typeof COMMAND_CATALOG;
export const COMMAND_NAMES = Object.keys(COMMAND_CATALOG) as CommandName[];

export const summaryOf = (name: CommandName): string => COMMAND_CATALOG[name].summary;
