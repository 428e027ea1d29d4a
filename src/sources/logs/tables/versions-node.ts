/**
 * agents-js wordings of facts the core table knows under their Python (or older agents-js) wording,
 * read from the installed dist of @livekit/agents 1.0.51, 1.4.7 and 1.9.0 (fixtures/wordings/node-*.json,
 * scripts/lib/matrix-node.mjs). Each row names the file and version that logs it.
 */
import { errText, num, pick, type Rule } from '../table-kit.js';

const memory = (r: { extras: Record<string, unknown> }) => ({
  memoryMb: num(pick(r.extras, 'memoryUsageMB', 'memory_usage_mb')),
  warnMb: num(pick(r.extras, 'memoryWarnMB', 'memory_warn_mb')),
  limitMb: num(pick(r.extras, 'memoryLimitMB', 'memory_limit_mb')),
});

export const VERSIONS_NODE_TABLE: Rule[] = [
  // plugins/openai realtime_model.js (1.0.51 – 1.9.0, debug): the Realtime socket being opened (Python: 'connecting to Realtime API: <url>')
  { kind: 'log.openai.connecting', re: /^Connecting to OpenAI Realtime API at (\S+)/, extras: (_r, m) => ({ url: m?.[1] }) },
  // worker.js (1.0.51 – 1.9.0): `failed to connect to LiveKit server (${wsURL}), retrying in ${delay} seconds: (${i}/${max})`
  // and `… (${wsURL}) after ${retries} attempts: ${e}` (the core's worker-connect reader expects no URL there)
  {
    kind: 'log.worker.connect-failed',
    re: /^failed to connect to LiveKit server \([^)]*\)(?:, retrying in ([\d.]+) seconds| after (\d+) attempts: (.*))/s,
    extras: (r, m) => ({
      reason: m?.[3]?.trim() || errText(r.extras),
      status: num(/\b([1-5]\d\d)\b/.exec(m?.[3] ?? '')?.[1]),
      retryInS: num(m?.[1]),
      final: m?.[2] !== undefined ? true : undefined,
    }),
  },
  // ipc/supervised_proc.js (1.0.51 – 1.9.0): the ping of a job process went unanswered
  { kind: 'log.job.unresponsive', exact: ['job is unresponsive'], extras: () => ({ what: 'executor' as const }) },
  // ipc/supervised_proc.js (1.4.7, 1.9.0): `${processKind} process exceeded memory limit, killing it` (job | inference);
  // 1.0.51 logs the Python wording, in the core table
  { kind: 'log.job.killed', re: /^\w+ process exceeded memory limit, killing it$/, extras: () => ({ why: 'memory' as const }) },
  // ipc/supervised_proc.js (1.4.7, 1.9.0): `${processKind} process memory usage is above the warning threshold[ (advisory only, …)]`
  { kind: 'log.job.memory-high', re: /^\w+ process memory usage is above the warning threshold/, extras: memory },
];
