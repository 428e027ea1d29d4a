/** lkdiag drive's rules: the agent process (its own events, source `console`). Pure. */
import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { DRIVE } from './codes.js';

export const agentProcess = defineRule({
  id: 'drive.agent-process',
  codes: [DRIVE.agentNotConnected, DRIVE.agentExited],
  check(t) {
    const out: Finding[] = [];
    const exited = t.ofKind('drive.agent.exited').find((e) => !e.data.expected);
    const connected = t.first('drive.agent.connected');
    if (exited) {
      const { code, signal, lastLines } = exited.data;
      out.push(report(DRIVE.agentExited, { code, signal, connected: connected !== undefined && connected.t <= exited.t, lastLines }, [exited]));
    }
    const missing = t.first('drive.agent.not-connected');
    if (missing && !exited) {
      const spawned = t.first('drive.agent.spawned');
      out.push(report(DRIVE.agentNotConnected, { boundMs: missing.data.boundMs, spawned: missing.data.spawned }, [missing, ...(spawned ? [spawned] : [])]));
    }
    return out;
  },
});
