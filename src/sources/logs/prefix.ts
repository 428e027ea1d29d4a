/**
 * Wrappers that whatever ran the agent writes in front of every log line, as users paste them:
 *   Docker `--timestamps` / Kubernetes  `2025-07-01T12:24:23.199545989Z <line>`
 *   Azure Container Apps / CRI          `2025-11-23T19:47:13.8064381Z stdout F <line>`
 *   docker compose                      `agent-1  | <line>`   (and a `<ts> | ` a sink wrote after it)
 *   kubectl logs --prefix               `[pod/agent-xyz/agent] <line>`
 *   journald / syslog                   `Mar 01 10:00:00 host agent[123]: <line>`
 *   a shell transcript quoted in Markdown `> <line>`
 * Each strip…() removes one wrapper (and exactly the one space after it: the line's own indentation is kept) and keeps its timestamp (epoch ms) when it has one; detection
 * strips them only from lines no format recognised as they are (a log whose own timestamp looks like
 * a prefix is read as itself).
 */
import { parseIsoUtc } from './record.js';

export interface Stripped {
  text: string;
  /** The wrapper's own timestamp (epoch ms), when it has one. */
  t?: number;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) (?:(?:stdout|stderr) [FP] )?/;
const COMPOSE = /^[A-Za-z0-9][\w.-]*\s*\|\s?/;
const SINK_TS = /^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?)\s+\| /;
const KUBECTL = /^\[pod\/[^\]\s]+\]\s+/;
const SYSLOG = /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) \S+ [\w.@/-]+(?:\[\d+\])?: /;
const QUOTE = /^>\s?/;
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

function isoMs(ts: string): number | undefined {
  const t = parseIsoUtc(ts) ?? Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/** Docker `--timestamps`, Kubernetes and CRI (`<RFC3339> [stdout|stderr F|P] `). */
export function stripRfc3339(text: string): Stripped | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const ts = m[1]!;
  // parseIsoUtc reads up to 9 fraction digits; Date.parse wants at most 3 with a zone
  return { text: text.slice(m[0].length), t: isoMs(ts) ?? isoMs(ts.replace(/(\.\d{3})\d+/, '$1')) };
}

/** docker compose `service  | `, and the `<ts> | ` a log sink (loguru) writes. */
export function stripCompose(text: string): Stripped | undefined {
  const s = SINK_TS.exec(text);
  if (s) return { text: text.slice(s[0].length), t: isoMs(`${s[1]!.replace(' ', 'T').replace(',', '.')}Z`) };
  const m = COMPOSE.exec(text);
  return m ? { text: text.slice(m[0].length) } : undefined;
}

/** kubectl logs --prefix: `[pod/name/container] `. */
export function stripKubectl(text: string): Stripped | undefined {
  const m = KUBECTL.exec(text);
  return m ? { text: text.slice(m[0].length) } : undefined;
}

/** journald / syslog: `Mar 01 10:00:00 host agent[123]: ` (no year: the current one). */
export function stripSyslog(text: string, year = new Date().getUTCFullYear()): Stripped | undefined {
  const m = SYSLOG.exec(text);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!) / 3;
  if (month < 0 || !Number.isInteger(month)) return undefined;
  return { text: text.slice(m[0].length), t: Date.UTC(year, month, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5])) };
}

/** A line quoted in Markdown or a shell transcript: `> `. */
export function stripQuote(text: string): Stripped | undefined {
  const m = QUOTE.exec(text);
  return m ? { text: text.slice(m[0].length) } : undefined;
}
