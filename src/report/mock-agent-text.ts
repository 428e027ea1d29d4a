import { chalk } from '../ui.js';
import type { Report } from './report.js';
import { renderText } from './text.js';

/** mock-agent: what the agent received, then steps and findings. */
export function renderMockAgentText(report: Report): string {
  const target = report['target'] as { room?: string; identity?: string; fault?: string | null } | undefined;
  const head = target ? chalk.dim(`room ${target.room ?? '?'} · as ${target.identity ?? '?'}${target.fault ? ` · fault ${target.fault}` : ''}`) : '';
  const verdict = report.ok
    ? report.findings.some((f) => f.code === 'client/buffer-ok')
      ? chalk.green('the pre-connect buffer passed every check')
      : chalk.yellow('no error, but the buffer was not checked')
    : chalk.red("the client's pre-connect buffer failed a check");
  return renderText(report, [head, `${chalk.bold('verdict:')} ${verdict}`].filter(Boolean));
}
