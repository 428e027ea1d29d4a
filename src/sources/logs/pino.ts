/**
 * agents-js logs: pino JSON, `{"level": 10–60, "time": <epoch ms>, "pid", "hostname", "msg", …}`
 * with child bindings and logged objects merged at the top level.
 */
import { pinoLevel, type LogRecord } from './record.js';

/** Keys pino itself writes; everything else on the record is an extra. */
export const PINO_BASE_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name', 'v']);

export function fromPino(obj: Record<string, unknown>, line: number): LogRecord | undefined {
  const level = obj['level'];
  const time = obj['time'];
  if (typeof level !== 'number' || typeof time !== 'number') return undefined;
  const msg = obj['msg'];
  if (msg !== undefined && typeof msg !== 'string') return undefined;
  const name = obj['name'];
  return {
    t: time,
    level: pinoLevel(level),
    logger: typeof name === 'string' ? name : 'agents-js',
    message: msg ?? '',
    extras: obj,
    line,
    format: 'pino',
    framework: 'node',
  };
}
