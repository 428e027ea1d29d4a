/** The body of `lkdiag doctor`, loaded only when the command runs. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Config, ENV } from '../config.js';
import { metaFor } from '../diagnose/catalogue.js';
import { diagnose } from '../diagnose/engine.js';
import { DOCTOR_RULES } from '../diagnose/rules/doctor/index.js';
import { SETUP } from '../diagnose/rules/doctor/codes.js';
import { DOCTOR_CATALOGUE } from '../doctor/catalogue.data.js';
import { discover } from '../doctor/discover.js';
import { EXIT, connectError, usageError } from '../errors.js';
import { renderJsonDocument } from '../report/json.js';
import { makeReport, type Report } from '../report/report.js';
import { renderText } from '../report/text.js';
import { renderCatalogue, renderDependencies, type DependencyRow } from '../report/doctor-text.js';
import { log } from '../ui.js';
import { runCommand, type GlobalOptions, type RunContext } from './runner.js';
import type { FailOn } from './doctor.js';

export interface DoctorRequest extends RunContext {
  path: string;
  /** true: --url without a value (use LIVEKIT_URL); a string: that URL. */
  url?: string | true;
  /** The lowest severity that fails the run (default error). */
  failOn?: FailOn;
}

/**
 * The --fail-on gate over a report made from its findings: with `warning`, a warning fails it (exit 1)
 * unless a more specific exit (3, 4, 130) already applies. `failOn` is recorded in the report.
 */
export function applyFailOn(report: Report, failOn: FailOn): Report {
  const warned = failOn === 'warning' && report.findings.some((f) => f.severity === 'warning');
  const exitCode = warned && report.exitCode === EXIT.ok ? EXIT.finding : report.exitCode;
  return { ...report, ok: report.ok && !warned, exitCode };
}

export async function runDoctor(req: DoctorRequest): Promise<Report> {
  const root = resolve(req.path);
  if (!existsSync(root)) throw usageError(`${req.path} does not exist`, 'Pass the agent project directory: lkdiag doctor path/to/agent');
  if (!statSync(root).isDirectory())
    throw usageError(`${req.path} is not a directory`, 'Pass the directory that holds requirements.txt / pyproject.toml / package.json, not a file.');
  const found = await discover(root);
  if (found.manifests.length === 0) {
    throw usageError(
      `no dependency files found in ${req.path}`,
      'doctor reads requirements*.txt, pyproject.toml, uv.lock, poetry.lock, Pipfile.lock, package.json (+ package-lock.json, pnpm-lock.yaml, yarn.lock); run it in the agent project directory.',
    );
  }
  const events = [...found.events];
  let server: string | undefined;
  if (req.url !== undefined) {
    const config = new Config();
    const url = typeof req.url === 'string' ? { value: req.url } : config.get(ENV.livekitUrl);
    if (!url) throw usageError(`--url was given without a value and ${ENV.livekitUrl} is not set`, `Pass --url wss://your-server or set ${ENV.livekitUrl}.`);
    const { readServerVersion } = await import('../doctor/server.js');
    const r = await readServerVersion({
      url: url.value,
      apiKey: config.get(ENV.livekitApiKey)?.value,
      apiSecret: config.get(ENV.livekitApiSecret)?.value,
      timeoutMs: 3000,
    });
    events.push(r.event);
    if (!r.ok && !r.reachable)
      throw connectError(
        `could not reach the LiveKit server at ${url.value}: ${r.message}`,
        'Check the URL and that the server is running; drop --url to check the project only.',
      );
    server = r.ok ? `${url.value} reports v${r.version}` : `${url.value}: ${r.message}`;
    if (!r.ok) log.warn(`server version unknown: ${r.message}`);
  }
  const findings = diagnose(events, DOCTOR_RULES, { command: 'doctor' });
  const dependencies: DependencyRow[] = found.dependencies.map((d) => ({ ...d }));
  const failOn = req.failOn ?? 'error';
  const report = makeReport('doctor', req.startedAt, findings, metaFor, {
    failOn,
    project: { root, manifests: found.manifests, sources: found.sources, parsers: found.parser, ...(server ? { server } : {}) },
    dependencies,
    events,
  });
  return applyFailOn(report, failOn);
}

export function doctorText(report: Report): string {
  const project = report['project'] as { root: string; parsers?: Record<string, string>; server?: string };
  const deps = (report['dependencies'] ?? []) as DependencyRow[];
  // The evidence list of a doctor finding is file facts, not a timeline: keep the text short.
  const slim = { ...report, events: undefined, findings: report.findings.map((f) => ({ ...f, evidence: [] })) };
  return renderText(slim, [
    renderDependencies(deps, {
      root: project.root,
      ...(project.parsers ? { parsers: project.parsers } : {}),
      ...(project.server ? { server: project.server } : {}),
    }),
  ]);
}

export function printCatalogue(globals: GlobalOptions): number {
  if (globals.json)
    process.stdout.write(renderJsonDocument({ schema: 'lkdiag/v1', command: 'doctor --list', catalogue: DOCTOR_CATALOGUE, setup: Object.values(SETUP) }));
  else process.stdout.write(renderCatalogue(DOCTOR_CATALOGUE, Object.values(SETUP)));
  return 0;
}

/** `lkdiag doctor [PATH]` (`--list`: the catalogue); returns the exit code. */
export async function doctorCommand(path: string, opts: { list?: boolean; url?: string | true; failOn: FailOn }, globals: GlobalOptions): Promise<number> {
  if (opts.list) return printCatalogue(globals);
  return runCommand(
    'doctor',
    globals,
    (ctx) => runDoctor({ ...ctx, path, ...(opts.url !== undefined ? { url: opts.url } : {}), failOn: opts.failOn }),
    doctorText,
  );
}
