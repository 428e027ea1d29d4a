/** drive's human summary: the turns with their measurements, the gates, then the findings. Presents; computes nothing. */
import type { DriveTurn } from '../drive/measure.js';
import { msOrDash } from '../format/index.js';
import type { GateResult } from '../smoke/gates.js';
import { chalk } from '../ui.js';
import type { Report } from './report.js';
import { renderGates } from './smoke-text.js';
import { renderText } from './text.js';

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));
const base = (f: string) => f.split('/').at(-1) ?? f;

export function renderTurns(turns: readonly DriveTurn[]): string {
  const lines = [chalk.bold(`  ${pad('TURN', 6)}${pad('UTTERANCE', 26)}${pad('HEARD', 10)}${pad('YIELD', 10)}${pad('AGENT', 10)}ANSWERED`)];
  for (const t of turns) {
    const yieldText = t.bargeIn ? `${msOrDash(t.yieldMs)}${t.yieldedBy === 'end-of-audio' ? '*' : ''}` : '';
    lines.push(
      `  ${pad(String(t.index), 6)}${pad(`${t.bargeIn ? '↯ ' : ''}${base(t.file)}`, 26)}${pad(msOrDash(t.heardLatencyMs), 10)}${pad(yieldText, 10)}${pad(msOrDash(t.agentSpeechMs), 10)}${t.answered ? chalk.green('yes') : chalk.red('no')}${t.falseInterruptions ? chalk.yellow(`  ${t.falseInterruptions} false interruption(s)`) : ''}`,
    );
  }
  if (turns.some((t) => t.yieldedBy === 'end-of-audio')) lines.push(chalk.dim('  * the agent did not yield: its reply played to the end'));
  return lines.join('\n');
}

export function renderDriveText(report: Report): string {
  const turns = (report['turns'] as DriveTurn[] | undefined) ?? [];
  const gates = (report['gates'] as GateResult[] | undefined) ?? [];
  const target = report['target'] as { agent?: string; model?: string | null; script?: string } | undefined;
  const head = [
    chalk.bold(
      `lkdiag drive: ${report.exitCode === 0 ? chalk.green('passed') : chalk.red(`failed (exit ${report.exitCode})`)}${report.interrupted ? ' — interrupted' : ''}`,
    ),
    chalk.dim(`  agent: ${target?.agent ?? '?'}${target?.model ? ` · model: ${target.model}` : ''}`),
    chalk.dim(`  script: ${target?.script ?? '?'}`),
    '',
    turns.length ? renderTurns(turns) : chalk.yellow('  no turn was played'),
    '',
    renderGates('Gates', gates),
    '',
  ].join('\n');
  // the common renderer lists the findings (and stats); the events are in --json and --html
  return `${head}\n${renderText({ ...report, events: [] })}`;
}
