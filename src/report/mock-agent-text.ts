import { redactValue } from '../redact.js';
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

/**
 * mock-agent → JUnit XML: one testcase per client/* check (a failure when the check's error finding
 * is in the report, skipped when it is only a warning), so CI lists what the client's buffer passed.
 */
export async function renderMockAgentJunit(report: Report, checks: ReadonlyArray<{ code: string; title: string }>): Promise<string> {
  const { create } = await import('xmlbuilder2');
  const r = redactValue(report);
  const found = (code: string) => r.findings.filter((f) => f.code === code);
  const failed = checks.filter((c) => found(c.code).some((f) => f.severity === 'error'));
  const skipped = checks.filter((c) => !failed.includes(c) && found(c.code).some((f) => f.severity === 'warning'));
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', { name: 'lkdiag mock-agent' });
  const suite = root.ele('testsuite', {
    name: 'client pre-connect buffer',
    tests: String(checks.length),
    failures: String(failed.length),
    errors: '0',
    skipped: String(skipped.length),
    time: (r.durationMs / 1000).toFixed(3),
  });
  for (const c of checks) {
    const tc = suite.ele('testcase', { classname: 'mock-agent', name: `${c.code}: ${c.title}` });
    const f = found(c.code)[0];
    if (failed.includes(c) && f) tc.ele('failure', { message: f.detail }).txt(`${f.detail}\nfix: ${f.fix}`);
    else if (skipped.includes(c) && f) tc.ele('skipped', { message: f.detail });
  }
  return root.end({ prettyPrint: true });
}
