/** lkdiag drive's finding codes: the agent process and its console connection. */
import { sec } from '../../../format/index.js';
import { defineCode } from '../kit.js';

export interface NotConnectedData {
  boundMs: number;
  spawned: boolean;
  lastLine?: string;
}

export interface AgentExitedData {
  code: number | null;
  signal: string | null;
  /** The agent had connected to the broker before it exited. */
  connected: boolean;
  lastLines: string[];
}

const tail = (lines: readonly string[]) =>
  lines.length
    ? `\nIts last lines:\n${lines
        .slice(-6)
        .map((l) => `  ${l}`)
        .join('\n')}`
    : ' It wrote nothing.';

export const DRIVE = {
  agentNotConnected: defineCode<NotConnectedData>({
    code: 'drive/agent-not-connected',
    severity: 'error',
    title: 'The agent never connected to the console broker',
    cause:
      'lkdiag drive listens on loopback and the agent, in console mode, connects to it (`--connect-addr`). It did not within the bound: the agent was not started in console mode (a `start`/`dev` worker waits for a LiveKit server instead), its start is slow (imports, model downloads), or --listen was given and nothing was started.',
    evidence: 'drive.agent.not-connected: no connection within the bound (drive.agent.spawned shows the command).',
    fix: 'Start the agent with `console --connect-addr HOST:PORT` (livekit-agents ≥ 1.6 `python -m livekit.agents console agent.py`, agents-js ≥ 1.4.7 `node agent.js console`); raise --connect-timeout for a slow start.',
    exit: 4,
    detail: (d) =>
      `No agent connected within ${sec(d.boundMs)}${d.spawned ? ' of starting it' : ' (--listen: lkdiag did not start it)'}.${d.lastLine ? ` Its last line: ${d.lastLine}` : ''}`,
  }),
  agentExited: defineCode<AgentExitedData>({
    code: 'drive/agent-exited',
    severity: 'error',
    title: 'The agent process exited during the session',
    cause:
      'The agent process ended before lkdiag finished the script: it crashed at start (an import error, a missing key, a raised entrypoint — the log rules name the cause, e.g. job/entrypoint-failed) or during the session.',
    evidence: "drive.agent.exited with expected false, and the agent's last log lines.",
    fix: 'Read its last lines (and the other findings, which come from its log); reproduce with the same command by hand.',
    exit: 3,
    detail: (d) =>
      `The agent exited ${d.signal ? `on ${d.signal}` : `with code ${d.code}`} ${d.connected ? 'during the session' : 'before it connected'}.${tail(d.lastLines)}`,
  }),
} as const;
