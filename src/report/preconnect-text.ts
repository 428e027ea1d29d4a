import { chalk } from '../ui.js';
import type { Report } from './report.js';
import { renderText } from './text.js';

/** send-preconnect: the verdict line first, then steps and findings. */
export function renderPreconnectText(report: Report): string {
  const v = report['verdict'] as { consumed: boolean | null; summary: string } | undefined;
  const line = v
    ? `${chalk.bold('verdict:')} ${v.consumed === true ? chalk.green('buffer consumed') : v.consumed === false ? chalk.red('buffer NOT consumed') : chalk.yellow('unknown')} — ${v.summary}`
    : '';
  const target = report['target'] as { room?: string; agent?: string; audio?: string } | undefined;
  const head = target ? chalk.dim(`room ${target.room ?? '?'} · agent ${target.agent ?? '?'} · audio ${target.audio ?? '?'}`) : '';
  return renderText(report, [head, line].filter(Boolean));
}
