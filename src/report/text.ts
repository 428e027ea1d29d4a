import { chalk } from '../ui.js';
import type { Finding, Severity } from '../diagnose/types.js';
import { describeEvent } from './describe.js';
import type { Report, Step, StepStats } from './report.js';
import { duration } from '../format/index.js';

const sevColor: Record<Severity, (s: string) => string> = {
  error: (s) => chalk.red(s),
  warning: (s) => chalk.yellow(s),
  info: (s) => chalk.cyan(s),
};
const sevMark: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };

const fmtMs = duration;

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - s.length));
}

export function renderSteps(steps: readonly Step[]): string {
  const w = Math.max(...steps.map((s) => s.name.length), 4) + 2;
  const lines = [chalk.bold(`${pad('STEP', w)}${pad('TIME', 12)}STATUS`)];
  for (const s of steps) {
    const status = s.status === 'ok' ? chalk.green('ok') : s.status === 'skipped' ? chalk.dim('skipped') : chalk.red(s.status);
    lines.push(`${pad(s.name, w)}${pad(fmtMs(s.ms), 12)}${status}${s.detail ? chalk.dim(`  ${s.detail}`) : ''}`);
  }
  return lines.join('\n');
}

export function renderStats(stats: readonly StepStats[]): string {
  const w = Math.max(...stats.map((s) => s.name.length), 4) + 2;
  const lines = [chalk.bold(`${pad('STEP', w)}${pad('N', 5)}${pad('P50', 11)}${pad('P95', 11)}${pad('MIN', 11)}${pad('MAX', 11)}FAILED`)];
  for (const s of stats) {
    lines.push(
      `${pad(s.name, w)}${pad(String(s.n), 5)}${pad(fmtMs(s.p50), 11)}${pad(fmtMs(s.p95), 11)}${pad(fmtMs(s.min), 11)}${pad(fmtMs(s.max), 11)}${s.failures}`,
    );
  }
  return lines.join('\n');
}

export function renderFinding(f: Finding, t0: number | undefined): string {
  const head = `${sevColor[f.severity](`${sevMark[f.severity]} ${f.severity}`)} ${chalk.bold(f.code)}  ${f.title}`;
  const lines = [head];
  if (f.detail) lines.push(...f.detail.split('\n').map((l) => `  ${l}`));
  if (f.evidence.length > 0) {
    lines.push(chalk.dim('  evidence:'));
    for (const e of f.evidence.slice(0, 8)) {
      const rel = t0 === undefined ? '' : `+${Math.round(e.t - t0)} ms`.padStart(10);
      lines.push(chalk.dim(`  ${rel}  ${pad(e.source, 7)} ${e.kind}  ${describeEvent(e)}`));
    }
    if (f.evidence.length > 8) lines.push(chalk.dim(`  … ${f.evidence.length - 8} more`));
  }
  if (f.fix) lines.push(`  ${chalk.green('fix:')} ${f.fix}`);
  return lines.join('\n');
}

export function renderFindings(findings: readonly Finding[], t0?: number): string {
  if (findings.length === 0) return chalk.green('No findings: everything observed looks healthy.');
  return findings.map((f) => renderFinding(f, t0)).join('\n\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The headline verdict of a report (plain text; renderers colour it by `tone`). "healthy" only when
 * the report passed with no warning: warnings that did not fail the gate read "no errors · N warnings".
 */
export function verdict(report: Pick<Report, 'ok' | 'findings'> & { failOn?: unknown }): { tone: 'ok' | 'warn' | 'bad'; text: string } {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  if (!report.ok) {
    if (errors === 0 && warnings > 0 && report.failOn === 'warning') return { tone: 'bad', text: `✖ ${plural(warnings, 'warning')} (--fail-on warning)` };
    return { tone: 'bad', text: '✖ problems found' };
  }
  if (warnings > 0) return { tone: 'warn', text: `⚠ no errors · ${plural(warnings, 'warning')}` };
  return { tone: 'ok', text: '✔ healthy' };
}

export function renderSummary(report: Report): string {
  const count = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  const v = verdict(report);
  const verdictText = v.tone === 'ok' ? chalk.green(v.text) : v.tone === 'warn' ? chalk.yellow(v.text) : chalk.red(v.text);
  const tail = `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info · exit ${report.exitCode}${report.interrupted ? ' (interrupted)' : ''}`;
  return `${chalk.bold(`lkdiag ${report.command}`)}  ${verdictText}  ${chalk.dim(tail)}`;
}

/** Generic text report: summary, steps, stats, findings. Commands may add their own sections before it. */
export function renderText(report: Report, extraSections: string[] = []): string {
  const t0 = report.events?.[0]?.t ?? Date.parse(report.startedAt);
  const parts = [renderSummary(report)];
  parts.push(...extraSections.filter(Boolean));
  if (report.steps?.length) parts.push(renderSteps(report.steps));
  if (report.stats?.length) parts.push(renderStats(report.stats));
  parts.push(renderFindings(report.findings, t0));
  return `${parts.join('\n\n')}\n`;
}
