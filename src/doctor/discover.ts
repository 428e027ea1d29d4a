/**
 * The doctor's source: reads a project on disk and turns it into facts (TraceEvents, source
 * `project`-side kinds `doctor.*`, see docs/doctor.md). It judges nothing; rules do that.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataOf, EventKind, TraceEvent } from '../diagnose/types.js';
import { traceEvent } from '../events/index.js';
import { nodeDepsIn, clientSdkFacts } from './deps-node.js';
import { isPythonManifest, pythonDepsIn, type DepFact } from './deps-python.js';
import { pythonSetupFacts } from './setup-python.js';
import { tsSetupFacts } from './setup-ts.js';
import { basename, dirnameOf, walkProject } from './walk.js';

export interface Discovery {
  root: string;
  events: TraceEvent[];
  dependencies: DepFact[];
  manifests: string[];
  sources: { python: number; ts: number };
  parser: { python?: 'ast' | 'regex'; ts?: 'typescript' };
}

const MAX_SOURCE_FILES = 400;
const MAX_SOURCE_BYTES = 512 * 1024;

// Files on disk are read like logs, so `log` is the nearest source; the `doctor.*` kind says what it is.
const ev = <K extends `doctor.${string}` & EventKind>(kind: K, data: DataOf<K>): TraceEvent => traceEvent(Date.now(), 'log', kind, data);

function smallEnough(root: string, f: string): boolean {
  try {
    return statSync(join(root, f)).size <= MAX_SOURCE_BYTES;
  } catch {
    return false;
  }
}

/** LK_OPENAI_DEBUG from .env files (any directory of the project). */
function dotenvFacts(root: string, files: string[]): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const f of files.filter((f) => /^\.env(\..+)?$/.test(basename(f)) && !/\.(example|sample|template)$/.test(f))) {
    let text: string;
    try {
      text = readFileSync(join(root, f), 'utf8');
    } catch {
      continue;
    }
    text.split(/\r?\n/).forEach((l, i) => {
      // LK_OPENAI_DEBUG; OPENAI_API_VERSION (with_azure reads it: the retired Azure preview protocol)
      const m = /^\s*(?:export\s+)?(LK_OPENAI_DEBUG|OPENAI_API_VERSION)\s*=\s*(.*)$/.exec(l);
      if (m)
        out.push(
          ev('doctor.env', {
            name: m[1]!,
            value: m[2]!
              .replace(/\s+#.*$/, '')
              .trim()
              .replace(/^(['"])(.*)\1$/, '$2'),
            file: f,
            line: i + 1,
            from: 'dotenv',
          }),
        );
    });
  }
  return out;
}

export async function discover(root: string, env: NodeJS.ProcessEnv = process.env): Promise<Discovery> {
  const { files, truncated } = walkProject(root);
  const events: TraceEvent[] = [];
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const d = dirnameOf(f);
    byDir.set(d, [...(byDir.get(d) ?? []), basename(f)]);
  }
  const dependencies: DepFact[] = [];
  const manifests: string[] = [];
  for (const [dir, names] of byDir) {
    if (names.some((n) => isPythonManifest(n))) {
      const r = pythonDepsIn(root, dir, names);
      dependencies.push(...r.facts);
      manifests.push(...r.used);
      for (const e of r.errors) events.push(ev('doctor.parse-error', e));
    }
    if (names.includes('package.json')) {
      const r = nodeDepsIn(root, dir, names);
      dependencies.push(...r.facts);
      manifests.push(...r.used);
      for (const e of r.errors) events.push(ev('doctor.parse-error', e));
    }
  }
  const clients = clientSdkFacts(root, files);
  dependencies.push(...clients);
  manifests.push(...new Set(clients.map((c) => c.file)));
  for (const d of dependencies) events.push(ev('doctor.dependency', { ...d }));

  const py = files.filter((f) => f.endsWith('.py') && smallEnough(root, f)).slice(0, MAX_SOURCE_FILES);
  const tsFiles = files
    .filter((f) => /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(f) && !/\.d\.[cm]?ts$|\.min\.js$/.test(f) && smallEnough(root, f))
    .slice(0, MAX_SOURCE_FILES);
  const parser: Discovery['parser'] = {};
  const pyRun = py.length ? pythonSetupFacts(root, py) : undefined; // started first: runs while TS loads
  const tsRun = tsFiles.length ? await tsSetupFacts(root, tsFiles) : undefined;
  const pyRes = pyRun ? await pyRun : undefined;
  if (pyRes) {
    parser.python = pyRes.parser;
    if (pyRes.parser === 'regex') events.push(ev('doctor.parser', { language: 'python', parser: 'regex', note: pyRes.note ?? 'regex scan' }));
    for (const f of pyRes.facts) events.push(ev('doctor.setup', { ...f }));
    for (const e of pyRes.errors) events.push(ev('doctor.parse-error', e));
  }
  if (tsRun) {
    parser.ts = 'typescript';
    for (const f of tsRun.facts) events.push(ev('doctor.setup', { ...f }));
    for (const e of tsRun.errors) events.push(ev('doctor.parse-error', e));
  }
  events.push(...dotenvFacts(root, files));
  if (env['LK_OPENAI_DEBUG'] !== undefined) events.push(ev('doctor.env', { name: 'LK_OPENAI_DEBUG', value: env['LK_OPENAI_DEBUG'], from: 'environment' }));
  events.unshift(ev('doctor.project', { root, manifests, sources: { python: py.length, ts: tsFiles.length }, truncated }));
  return { root, events, dependencies, manifests, sources: { python: py.length, ts: tsFiles.length }, parser };
}
