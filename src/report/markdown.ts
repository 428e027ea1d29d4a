/** smoke → GitHub-flavoured markdown for $GITHUB_STEP_SUMMARY. Presents the report; computes nothing. */
import { redactValue } from '../redact.js';
import type { SmokeSections } from '../smoke/types.js';
import type { Report } from './report.js';
import { gateValue } from './smoke-text.js';
import { msOrDash } from '../format/index.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const ms = msOrDash;

export function renderMarkdown(report: Report): string {
  const r = redactValue(report) as Report & SmokeSections;
  const out: string[] = [];
  out.push(`## lkdiag smoke: ${r.exitCode === 0 ? '✅ passed' : `❌ failed (exit ${r.exitCode})`}${r.interrupted ? ' — interrupted' : ''}`, '');
  out.push(
    `Agent \`${cell(r.target.agent)}\` · ${r.target.repeat} run(s), ${r.target.concurrency} at a time · flake rate **${r.flake.rate}** (${r.flake.failedRuns}/${r.flake.runs})`,
    '',
  );
  out.push('| run | gate | status | measured | threshold | detail |', '|---|---|---|---|---|---|');
  const rows = [...(r.probe ? [{ label: 'probe', gates: r.probe.gates }] : []), ...r.runs.map((x) => ({ label: String(x.index), gates: x.gates }))];
  for (const row of rows) {
    for (const g of row.gates) {
      const status = g.status === 'passed' ? '✅ pass' : g.status === 'failed' ? '❌ fail' : g.status === 'unconfirmed' ? '❔ unconfirmed' : '⏭ skip';
      out.push(`| ${row.label} | \`${g.name}\` | ${status} | ${cell(gateValue(g, g.value))} | ${cell(gateValue(g, g.threshold))} | ${cell(g.summary)} |`);
    }
  }
  if (r.target.repeat > 1 && r.stats?.length) {
    out.push('', '| timing | n | p50 | p95 | min | max |', '|---|---|---|---|---|---|');
    for (const s of r.stats) out.push(`| ${s.name} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.min)} | ${ms(s.max)} |`);
  }
  const errors = r.findings.filter((f) => f.severity !== 'info');
  if (errors.length) {
    out.push('', '<details><summary>Findings</summary>', '');
    for (const f of errors) out.push(`- **${f.severity}** \`${f.code}\` — ${cell(f.title)}`);
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n\n`;
}
