/**
 * smoke → JUnit XML (the Jenkins/Ant shape CI servers read): one <testsuite> per run (and one for the
 * optional probe), one <testcase> per gate, a <failure> carrying the gate's measurement and the
 * findings behind it. Written with xmlbuilder2, never by string concatenation. Computes nothing.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { GateResult } from '../smoke/gates.js';
import type { SmokeSections } from '../smoke/types.js';
import { redactValue } from '../redact.js';
import type { Report } from './report.js';

const secs = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

function failureText(g: GateResult): string {
  const lines = [
    g.summary,
    `measured: ${g.value === null ? 'none' : String(g.value)}${g.unit === 'ms' ? ' ms' : ''}; threshold: ${String(g.threshold)}${g.unit === 'ms' ? ' ms' : ''}`,
  ];
  for (const f of g.findings) lines.push('', `[${f.severity}] ${f.code}: ${f.title}`, f.detail);
  return lines.join('\n');
}

function suite(root: XMLBuilder, name: string, gates: readonly GateResult[], timeMs: number | undefined, properties: Record<string, string>): void {
  const s = root.ele('testsuite', {
    name,
    tests: String(gates.length),
    failures: String(gates.filter((g) => g.status === 'failed').length),
    errors: '0',
    skipped: String(gates.filter((g) => g.status === 'skipped' || g.status === 'unconfirmed').length),
    time: secs(timeMs),
  });
  const props = s.ele('properties');
  for (const [k, v] of Object.entries(properties)) props.ele('property', { name: k, value: v });
  for (const g of gates) {
    const tc = s.ele('testcase', {
      name: g.name,
      classname: `lkdiag.smoke.${name.replace(/[^\w.-]+/g, '_')}`,
      time: g.unit === 'ms' && typeof g.value === 'number' ? secs(Math.max(0, g.value)) : '0.000',
    });
    if (g.status === 'failed') {
      const type = g.findings[0]?.code ?? `gate/${g.name}`;
      tc.ele('failure', { message: g.summary, type }).txt(failureText(g));
    } else if (g.status === 'skipped' || g.status === 'unconfirmed')
      tc.ele('skipped', { message: g.summary }); // unconfirmed: not settled, so neither pass nor failure
    else tc.ele('system-out').txt(g.summary);
  }
}

export function renderJunit(report: Report): string {
  const r = redactValue(report) as Report & SmokeSections;
  const all = [...(r.probe?.gates ?? []), ...r.runs.flatMap((x) => x.gates)];
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: `lkdiag smoke (${r.target.agent})`,
    tests: String(all.length),
    failures: String(all.filter((g) => g.status === 'failed').length),
    errors: '0',
    skipped: String(all.filter((g) => g.status === 'skipped' || g.status === 'unconfirmed').length),
    time: secs(r.durationMs),
  });
  if (r.probe) suite(root, 'probe-openai', r.probe.gates, undefined, { url: r.probe.url });
  for (const run of r.runs) {
    suite(
      root,
      `run-${run.index}`,
      run.gates,
      run.steps.reduce((m, s) => Math.max(m, s.ms ?? 0), 0),
      { room: run.room, agent: run.agent ?? '', consumed: String(run.consumed) },
    );
  }
  return root.end({ prettyPrint: true });
}
