import { createHash } from 'node:crypto';
import { redactValue } from '../redact.js';
import type { Finding, TraceEvent } from '../diagnose/types.js';
import { fieldsOf } from '../events/index.js';
import { describeEvent } from './describe.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import type { Report } from './report.js';
import { verdict } from './text.js';
import { offset } from '../format/index.js';

/** Lanes of the HTML timeline: one per source, in this order (unknown sources after). */
const SOURCE_ORDER = ['client', 'room', 'session', 'server', 'log', 'openai', 'probe', 'simulator'];

/** Text → HTML text or attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside a <script> element: no `</script>`, `<!--`, or line separators that break JS. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const keyOf = (e: TraceEvent) => `${e.t}\u0000${e.source}\u0000${e.kind}\u0000${JSON.stringify(e.data)}`;

interface HtmlEvent {
  t: number;
  source: string;
  kind: string;
  lane: number;
  level?: 'error' | 'warning';
  desc: string;
  data: unknown;
}

interface HtmlFinding {
  code: string;
  severity: string;
  evidence: number[];
}

function levelOf(e: TraceEvent): 'error' | 'warning' | undefined {
  const l = fieldsOf(e)['level'];
  if (l === 'error' || l === 'critical' || e.kind === 'openai.error') return 'error';
  if (l === 'warning') return 'warning';
  return undefined;
}

/** The report's events plus any evidence not among them, each finding pointing at its evidence by index. */
function layoutData(report: Report): { events: HtmlEvent[]; lanes: string[]; findings: HtmlFinding[]; t0: number; t1: number } {
  const all: TraceEvent[] = [...(report.events ?? [])];
  const index = new Map<string, number>();
  all.forEach((e, i) => {
    if (!index.has(keyOf(e))) index.set(keyOf(e), i);
  });
  const findings = report.findings.map((f) => ({
    code: f.code,
    severity: f.severity,
    evidence: f.evidence.map((e) => {
      const k = keyOf(e);
      let i = index.get(k);
      if (i === undefined) {
        i = all.push(e) - 1;
        index.set(k, i);
      }
      return i;
    }),
  }));
  // Sort by time, keeping the finding indexes valid.
  const order = all.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
  const newIndex = new Map<number, number>(order.map(({ i }, j) => [i, j]));
  const sources = [...new Set(all.map((e) => e.source))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const events = order.map(({ e }) => {
    const level = levelOf(e);
    return { t: e.t, source: e.source, kind: e.kind, lane: sources.indexOf(e.source), ...(level ? { level } : {}), desc: describeEvent(e), data: e.data };
  });
  const ts = events.map((e) => e.t);
  const t0 = ts.length ? ts[0]! : Date.parse(report.startedAt);
  const t1 = ts.length ? ts.at(-1)! : t0 + 1;
  return { events, lanes: sources, findings: findings.map((f) => ({ ...f, evidence: f.evidence.map((i) => newIndex.get(i)!).sort((a, b) => a - b) })), t0, t1 };
}

function rank(source: string): number {
  const i = SOURCE_ORDER.indexOf(source);
  return i === -1 ? SOURCE_ORDER.length : i;
}

const rel = offset;

function findingHtml(f: Finding, i: number, evidence: number[], events: HtmlEvent[], t0: number): string {
  const ev = evidence
    .map((j) => {
      const e = events[j]!;
      return `<li><a href="#row-${j}" data-ev="${j}">${escapeHtml(`${rel(e.t - t0)}  ${e.source}  ${e.kind}  ${e.desc}`)}</a></li>`;
    })
    .join('');
  return [
    `<li class="finding sev-${escapeHtml(f.severity)}" data-finding="${i}" tabindex="0">`,
    `<div class="head"><span class="sev">${escapeHtml(f.severity)}</span><span class="code">${escapeHtml(f.code)}</span><span>${escapeHtml(f.title)}</span></div>`,
    f.detail ? `<div class="detail">${escapeHtml(f.detail)}</div>` : '',
    f.fix ? `<div class="fix"><b>fix:</b> ${escapeHtml(f.fix)}</div>` : '',
    ev ? `<ol class="evidence">${ev}</ol>` : '',
    '</li>',
  ].join('');
}

/**
 * A self-contained HTML timeline of a report: swimlanes per source, zoom, hover details, and every
 * finding linked to its evidence. Inline CSS and JS only; a CSP forbids any network access. All report
 * content is escaped (it is untrusted log text).
 */
export function renderHtml(input: Report): string {
  const report = redactValue(input);
  const data = layoutData(report);
  const count = (s: string) => report.findings.filter((f) => f.severity === s).length;
  const v = verdict(report);
  const title = `lkdiag ${report.command} — ${v.text.slice(2)}`;
  const findings = report.findings.length
    ? `<ol style="padding:0;margin:0">${report.findings.map((f, i) => findingHtml(f, i, data.findings[i]!.evidence, data.events, data.t0)).join('')}</ol>`
    : '<p class="muted">No findings: everything observed looks healthy.</p>';
  // Only our own script may run (by hash): even an escaping slip could not execute injected markup.
  const scriptHash = createHash('sha256').update(HTML_SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<header>
<h1>lkdiag ${escapeHtml(report.command)}</h1>
<span class="verdict ${report.ok ? 'ok' : 'bad'}">${escapeHtml(v.text)}</span>
<span class="muted">${count('error')} error(s) · ${count('warning')} warning(s) · ${count('info')} info · exit ${escapeHtml(String(report.exitCode))}${report.interrupted ? ' (interrupted)' : ''}</span>
<span class="muted">started ${escapeHtml(report.startedAt)} · ${data.events.length} events</span>
</header>
<main>
<section id="findings" aria-label="Findings">
<h2>Findings</h2>
${findings}
</section>
<section id="right">
<div class="toolbar"><h2 style="margin:0 8px 0 0">Timeline</h2>
<button id="zoom-out" type="button" title="Zoom out">−</button><button id="zoom-in" type="button" title="Zoom in">+</button><button id="zoom-fit" type="button" title="Fit the whole session">fit</button>
<span class="muted">wheel to zoom · hover an event for its data · click a finding to see its evidence</span></div>
<div id="tl"><div id="lane-names"></div><div id="track-scroll"><div id="track"></div></div></div>
<div id="events"><table><tbody></tbody></table></div>
</section>
</main>
<div id="tip" role="tooltip"></div>
<script type="application/json" id="lkdiag-data">${jsonForScript(data)}</script>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
