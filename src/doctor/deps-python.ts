/**
 * Python dependency discovery (a source): requirements*.txt, pyproject.toml ([project], PEP 735
 * dependency-groups, [tool.uv], [tool.poetry]), uv.lock, poetry.lock, Pipfile.lock. TOML via
 * smol-toml; requirement lines via a small PEP 508 subset (name, extras, specifier, markers).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { normalizeName, pinnedVersion } from './pep440.js';
import { basename, dirnameOf } from './walk.js';

export const PYTHON_PACKAGES = ['livekit-agents', 'livekit-plugins-openai', 'livekit', 'livekit-api', 'livekit-protocol'] as const;
const WANTED = new Set<string>(PYTHON_PACKAGES);

export interface DepFact {
  ecosystem: 'python' | 'node' | 'swift' | 'android';
  package: string;
  /** The resolved or pinned version, when known. */
  version?: string;
  /** The declared specifier (range), when declared. */
  spec?: string;
  /** How `version` was found. */
  via: 'lock' | 'pin' | 'declared' | 'extra';
  file: string;
  line?: number;
  note?: string;
}

export interface Requirement {
  name: string;
  extras: string[];
  spec: string;
  line?: number;
}

/** A PEP 508 requirement string (no URLs): `livekit-agents[openai]>=1.2,<2 ; python_version>"3.9"`. */
export function parseRequirement(text: string, line?: number): Requirement | undefined {
  const s = text.split(';')[0]!.trim();
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(\(?[^@]*?\)?)\s*$/.exec(s);
  if (!m?.[1]) return undefined;
  const spec = (m[3] ?? '').replace(/^\(|\)$/g, '').replace(/\s+/g, '');
  return {
    name: normalizeName(m[1]),
    extras: (m[2] ?? '')
      .split(',')
      .map((x) => normalizeName(x))
      .filter(Boolean),
    spec,
    ...(line ? { line } : {}),
  };
}

function read(root: string, rel: string): string | undefined {
  try {
    return readFileSync(join(root, rel), 'utf8');
  } catch {
    return undefined;
  }
}

/** requirements.txt lines, following `-r`/`-c` includes within the project (bounded). */
export function parseRequirementsTxt(root: string, rel: string, seen = new Set<string>()): Array<Requirement & { file: string }> {
  if (seen.has(rel) || seen.size > 20) return [];
  seen.add(rel);
  const text = read(root, rel);
  if (text === undefined) return [];
  const out: Array<Requirement & { file: string }> = [];
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const inc = /^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (inc?.[1]) {
      const dir = dirnameOf(rel);
      out.push(...parseRequirementsTxt(root, dir === '.' ? inc[1] : `${dir}/${inc[1]}`, seen));
      return;
    }
    if (line.startsWith('-')) return;
    const req = parseRequirement(line.replace(/\s--hash=\S+/g, ''), i + 1);
    if (req) out.push({ ...req, file: rel });
  });
  return out;
}

/** Turns requirements into facts; `livekit-agents[openai]==X` implies the plugin at X. */
function factsFromRequirements(reqs: Array<Requirement & { file: string }>): DepFact[] {
  const out: DepFact[] = [];
  for (const r of reqs) {
    const pin = pinnedVersion(r.spec);
    if (WANTED.has(r.name)) {
      out.push({
        ecosystem: 'python',
        package: r.name,
        ...(pin ? { version: pin } : {}),
        ...(r.spec ? { spec: r.spec } : {}),
        via: pin ? 'pin' : 'declared',
        file: r.file,
        ...(r.line ? { line: r.line } : {}),
      });
    }
    if (r.name === 'livekit-agents' && r.extras.includes('openai')) {
      out.push({
        ecosystem: 'python',
        package: 'livekit-plugins-openai',
        ...(pin ? { version: pin } : {}),
        ...(r.spec ? { spec: r.spec } : {}),
        via: pin ? 'pin' : 'extra',
        file: r.file,
        ...(r.line ? { line: r.line } : {}),
        note: 'via livekit-agents[openai] (released in lockstep)',
      });
    }
  }
  return out;
}

type Toml = Record<string, unknown>;
const obj = (v: unknown): Toml => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Toml) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Declared dependencies of a pyproject.toml: PEP 621, dependency-groups, uv and poetry sections. */
export function parsePyproject(text: string, file: string): Array<Requirement & { file: string }> {
  const doc = parseToml(text) as Toml;
  const lines = text.split(/\r?\n/);
  const lineOf = (name: string) => {
    const re = new RegExp(`(^|["'\\s])${name.replace(/[-_.]/g, '[-_.]')}(\\s*[\\[=<>~!^"']|\\s*$)`, 'i');
    const i = lines.findIndex((l) => re.test(l));
    return i >= 0 ? i + 1 : undefined;
  };
  const strings: string[] = [];
  const project = obj(doc['project']);
  strings.push(...arr(project['dependencies']).map(String));
  for (const v of Object.values(obj(project['optional-dependencies']))) strings.push(...arr(v).map(String));
  for (const v of Object.values(obj(doc['dependency-groups'])))
    strings.push(
      ...arr(v)
        .filter((x) => typeof x === 'string')
        .map(String),
    );
  const tool = obj(doc['tool']);
  const uv = obj(tool['uv']);
  strings.push(...arr(uv['dev-dependencies']).map(String), ...arr(uv['constraint-dependencies']).map(String), ...arr(uv['override-dependencies']).map(String));
  const out: Array<Requirement & { file: string }> = [];
  for (const s of strings) {
    const r = parseRequirement(s);
    if (r) out.push({ ...r, file, ...(lineOf(r.name) ? { line: lineOf(r.name)! } : {}) });
  }
  // Poetry: name = "^1.2" | { version = "^1.2", extras = [...] }
  const poetry = obj(tool['poetry']);
  const tables = [obj(poetry['dependencies']), obj(poetry['dev-dependencies']), ...Object.values(obj(poetry['group'])).map((g) => obj(obj(g)['dependencies']))];
  for (const t of tables) {
    for (const [name, v] of Object.entries(t)) {
      if (normalizeName(name) === 'python') continue;
      const spec = typeof v === 'string' ? v : typeof obj(v)['version'] === 'string' ? String(obj(v)['version']) : '';
      const extras = arr(obj(v)['extras']).map((x) => normalizeName(String(x)));
      // Poetry's bare "1.2.3" means ==1.2.3.
      const normalized = /^\d/.test(spec.trim()) ? `==${spec.trim()}` : spec.replace(/\s+/g, '');
      const ln = lineOf(name);
      out.push({ name: normalizeName(name), extras, spec: normalized === '*' ? '' : normalized, file, ...(ln ? { line: ln } : {}) });
    }
  }
  return out;
}

/** uv.lock and poetry.lock share `[[package]] name/version`. */
export function parseTomlLock(text: string): Map<string, string> {
  const doc = parseToml(text) as Toml;
  const out = new Map<string, string>();
  for (const p of arr(doc['package'])) {
    const name = obj(p)['name'];
    const version = obj(p)['version'];
    if (typeof name === 'string' && typeof version === 'string') out.set(normalizeName(name), version);
  }
  return out;
}

export function parsePipfileLock(text: string): Map<string, string> {
  const doc = JSON.parse(text) as Record<string, Record<string, { version?: string }>>;
  const out = new Map<string, string>();
  for (const section of ['default', 'develop']) {
    for (const [name, v] of Object.entries(doc[section] ?? {})) {
      const pin = v.version ? pinnedVersion(v.version) : undefined;
      if (pin) out.set(normalizeName(name), pin);
    }
  }
  return out;
}

const LOCKS = ['uv.lock', 'poetry.lock', 'Pipfile.lock'] as const;

/**
 * Python facts for one project directory: a lock file wins over pins, pins over declared ranges.
 * `files` are project-relative paths in that directory.
 */
export function pythonDepsIn(
  root: string,
  dir: string,
  names: string[],
): { facts: DepFact[]; used: string[]; errors: Array<{ file: string; message: string }> } {
  const rel = (n: string) => (dir === '.' ? n : `${dir}/${n}`);
  const used: string[] = [];
  const errors: Array<{ file: string; message: string }> = [];
  let declared: Array<Requirement & { file: string }> = [];
  for (const n of names.filter((n) => /^requirements.*\.(txt|in)$/i.test(n) || n === 'pyproject.toml').sort()) {
    const file = rel(n);
    try {
      if (n === 'pyproject.toml') declared.push(...parsePyproject(read(root, file) ?? '', file));
      else declared.push(...parseRequirementsTxt(root, file));
      used.push(file);
    } catch (e) {
      errors.push({ file, message: (e as Error).message });
    }
  }
  // requirements.in and requirements.txt both present: prefer .txt (the compiled pins).
  if (declared.some((r) => r.file.endsWith('.txt'))) declared = declared.filter((r) => !r.file.endsWith('.in'));
  let facts = factsFromRequirements(declared);
  for (const lock of LOCKS) {
    if (!names.includes(lock)) continue;
    const file = rel(lock);
    try {
      const text = read(root, file) ?? '';
      const versions = lock === 'Pipfile.lock' ? parsePipfileLock(text) : parseTomlLock(text);
      used.push(file);
      const locked: DepFact[] = [];
      for (const name of WANTED) {
        const v = versions.get(name);
        if (!v) continue;
        const decl = facts.find((f) => f.package === name && f.spec);
        locked.push({ ecosystem: 'python', package: name, version: v, ...(decl?.spec ? { spec: decl.spec } : {}), via: 'lock', file });
      }
      // The lock is the truth for what it lists; keep declared facts only for packages it lacks.
      facts = [...locked, ...facts.filter((f) => !locked.some((l) => l.package === f.package))];
      break;
    } catch (e) {
      errors.push({ file, message: (e as Error).message });
    }
  }
  // One fact per package: prefer lock > pin > declared/extra.
  const rank = { lock: 0, pin: 1, declared: 2, extra: 3 } as const;
  const best = new Map<string, DepFact>();
  for (const f of facts) {
    const cur = best.get(f.package);
    if (!cur || rank[f.via] < rank[cur.via]) best.set(f.package, f);
  }
  return { facts: [...best.values()], used, errors };
}

export const isPythonManifest = (p: string) => {
  const b = basename(p);
  return /^requirements.*\.(txt|in)$/i.test(b) || b === 'pyproject.toml' || (LOCKS as readonly string[]).includes(b);
};
