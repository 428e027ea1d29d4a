/**
 * `lkdiag drive`: lkdiag is the console broker a real agent connects to over TCP (console mode, no
 * LiveKit server). Its own facts (source `console`): the broker, the agent process, the user's
 * scripted speech (times known exactly: lkdiag sent it) and the agent's audio as lkdiag played it
 * out. Facts the agent session reports (state, items, errors) are the `agent.*` / `user.*` /
 * `conversation.*` kinds with source `console`.
 */
import type { KindsMeta } from './meta.js';

export interface DriveKinds {
  'drive.broker.listening': { host: string; port: number };
  'drive.agent.spawned': { command: string; pid?: number };
  'drive.agent.connected': { remote: string };
  'drive.agent.disconnected': { reason: string };
  'drive.agent.exited': { code: number | null; signal: string | null; expected: boolean; lastLines: string[] };
  'drive.agent.not-connected': { boundMs: number; spawned: boolean };
  'drive.user.speech-started': { turn: number; file: string; durationMs: number; bargeIn: boolean };
  'drive.user.speech-ended': { turn: number; bargeIn: boolean };
  'drive.agent.audio-started': { segment: number; dbfs: number };
  'drive.playout.flushed': { segment: number; receivedMs: number; bufferedMs: number };
  'drive.playout.finished': { segment: number; playedMs: number };
  'drive.playout.cleared': { segment: number; playedMs: number; droppedMs: number };
  'drive.wait.timeout': { step: number; what: 'session' | 'reply' | 'silence' | 'agent-audio'; boundMs: number };
  'drive.protocol-error': { message: string };
}

const S = ['console'] as const;

export const DRIVE_KINDS: KindsMeta<DriveKinds> = {
  'drive.broker.listening': {
    description: 'The console broker listens for the agent (TCP, loopback).',
    fields: { host: 'the address', port: 'the port the agent connects to (`--connect-addr host:port`)' },
    sources: S,
    example: { host: '127.0.0.1', port: 40123 },
  },
  'drive.agent.spawned': {
    description: 'lkdiag started the agent in console mode.',
    fields: { command: 'the command line (secrets redacted)', pid: '? its process id' },
    sources: S,
    example: { command: 'python -m livekit.agents console agent.py --connect-addr 127.0.0.1:40123', pid: 4242 },
  },
  'drive.agent.connected': {
    description: "The agent's console transport connected to the broker.",
    fields: { remote: 'its address' },
    sources: S,
    example: { remote: '127.0.0.1:51544' },
  },
  'drive.agent.disconnected': {
    description: "The agent's console transport closed.",
    fields: { reason: 'why (end of stream, socket error, a protocol error)' },
    sources: S,
    example: { reason: 'end of stream' },
  },
  'drive.agent.exited': {
    description: 'The agent process exited.',
    fields: {
      code: 'its exit code (null when a signal ended it)',
      signal: 'the signal that ended it, or null',
      expected: 'lkdiag ended it (after the script), not a crash',
      lastLines: 'the last lines it wrote (stdout/stderr)',
    },
    sources: S,
    example: { code: 1, signal: null, expected: false, lastLines: ['ModuleNotFoundError: No module named foo'] },
  },
  'drive.agent.not-connected': {
    description: 'The agent did not connect to the broker within the bound.',
    fields: { boundMs: 'how long lkdiag waited', spawned: 'lkdiag started the agent (not --listen)' },
    sources: S,
    example: { boundMs: 30000, spawned: true },
  },
  'drive.user.speech-started': {
    description: "The first sample of a scripted utterance was due on the wire (the user's speech starts).",
    fields: { turn: 'the turn index (0-based)', file: 'the WAV', durationMs: 'its duration', bargeIn: 'spoken into the agent reply' },
    sources: S,
    example: { turn: 0, file: 'fixtures/audio/speech-48k-mono.wav', durationMs: 2300, bargeIn: false },
  },
  'drive.user.speech-ended': {
    description: "The last sample of a scripted utterance was due on the wire (the exact end of the user's speech).",
    fields: { turn: 'the turn index', bargeIn: 'spoken into the agent reply' },
    sources: S,
    example: { turn: 0, bargeIn: false },
  },
  'drive.agent.audio-started': {
    description: 'The first agent audio frame with energy of a speech segment, at the time it plays (what a caller hears first).',
    fields: { segment: 'the playout segment (0-based, one per flush/clear)', dbfs: "the frame's RMS level" },
    sources: S,
    example: { segment: 0, dbfs: -23.5 },
  },
  'drive.playout.flushed': {
    description: 'The agent ended a speech segment (audio_playback_flush).',
    fields: { segment: 'the segment', receivedMs: 'audio received in the segment', bufferedMs: 'audio still to play' },
    sources: S,
    example: { segment: 0, receivedMs: 2100, bufferedMs: 1400 },
  },
  'drive.playout.finished': {
    description: 'The segment finished playing; lkdiag sent audio_playback_finished.',
    fields: { segment: 'the segment', playedMs: 'audio played' },
    sources: S,
    example: { segment: 0, playedMs: 2100 },
  },
  'drive.playout.cleared': {
    description: 'The agent was interrupted (audio_playback_clear): lkdiag dropped what was buffered (no ack).',
    fields: { segment: 'the segment', playedMs: 'audio played before the clear', droppedMs: 'audio dropped' },
    sources: S,
    example: { segment: 1, playedMs: 800, droppedMs: 1300 },
  },
  'drive.wait.timeout': {
    description: 'A bounded wait of the script passed its bound.',
    fields: { step: 'the script step (0-based)', what: 'session | reply | silence | agent-audio', boundMs: 'the bound' },
    sources: S,
    example: { step: 1, what: 'reply', boundMs: 20000 },
  },
  'drive.protocol-error': {
    description: 'A console message lkdiag could not read (over 1 MiB, undecodable).',
    fields: { message: 'what was wrong' },
    sources: S,
    example: { message: 'message of 2097152 bytes is over the 1 MiB bound' },
  },
};
