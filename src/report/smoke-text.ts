/** smoke's human summary: per run, each gate pass/fail with its measured value and threshold; then stats and findings. */
import { chalk } from '../ui.js';
import type { GateResult } from '../smoke/gates.js';
import type { SmokeSections } from '../smoke/types.js';
import type { Report } from './report.js';
import { renderText } from './text.js';

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));

/** A gate's value or threshold as text (formatting only). */
export function gateValue(g: GateResult, v: GateResult['value'] | GateResult['threshold']): string {
  if (v === null) return '—';
  if (g.unit === 'ms' && typeof v === 'number') return `${(v / 1000).toFixed(2)} s`;
  if (g.unit === 'findings' && typeof v === 'number') return `${v} finding(s)`;
  return v === true ? 'consumed' : v === false ? 'not consumed' : String(v);
}

export function renderGates(title: string, gates: readonly GateResult[]): string {
  const lines = [chalk.bold(title), chalk.bold(`  ${pad('GATE', 21)}${pad('STATUS', 9)}${pad('MEASURED', 16)}${pad('THRESHOLD', 16)}`)];
  for (const g of gates) {
    const status =
      g.status === 'passed'
        ? chalk.green('pass')
        : g.status === 'failed'
          ? chalk.red('FAIL')
          : g.status === 'unconfirmed'
            ? chalk.yellow('unconfirmed')
            : chalk.dim('skip');
    const limit =
      g.unit === 'ms'
        ? `≤ ${gateValue(g, g.threshold)}`
        : g.unit === 'findings'
          ? g.threshold === null
            ? '—'
            : `${String(g.threshold)}`
          : gateValue(g, g.threshold);
    lines.push(`  ${pad(g.name, 21)}${status}${' '.repeat(5)}${pad(gateValue(g, g.value), 16)}${pad(limit, 16)}${chalk.dim(g.summary)}`);
  }
  return lines.join('\n');
}

export function renderSmokeText(report: Report): string {
  const r = report as Report & SmokeSections;
  const head = chalk.dim(
    `agent ${r.target.agent} · ${r.target.url} · audio ${r.target.audio} · ${r.target.repeat} run(s)${r.target.shard ? ` · shard ${r.target.shard.index}/${r.target.shard.total}: ${r.runs.length} of them` : ''}, ${r.target.concurrency} at a time${r.config.file ? ` · config ${r.config.file}` : ''}`,
  );
  const sections = [head];
  if (r.probe) sections.push(renderGates(`probe-openai ${r.probe.url}`, r.probe.gates));
  for (const run of r.runs) sections.push(renderGates(`run ${run.index} · room ${run.room}${run.interrupted ? ' (interrupted)' : ''}`, run.gates));
  const flake = r.flake.failedRuns === 0 ? chalk.green(`flake rate ${r.flake.rate}`) : chalk.red(`flake rate ${r.flake.rate}`);
  sections.push(`${flake} ${chalk.dim(`(${r.flake.failedRuns} of ${r.flake.runs} run(s) failed a gate)`)}`);
  return renderText({ ...report, stats: r.target.repeat > 1 ? report.stats : [] }, sections);
}
