/**
 * Node dependency discovery (a source): package.json plus package-lock.json (v1–v3),
 * pnpm-lock.yaml (v5–v9, via `yaml`) or yarn.lock (classic v1 and berry). yarn classic's format
 * is not YAML and no parser for it is installed, so its few lines of `"name@range":` / `version`
 * are read directly (berry's lock is YAML and goes through `yaml`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { DepFact } from './deps-python.js';

export const NODE_PACKAGES = [
  '@livekit/agents',
  '@livekit/agents-plugin-openai',
  '@livekit/rtc-node',
  'livekit-client',
  'livekit-server-sdk',
  '@livekit/components-react',
  '@livekit/react-native',
] as const;
const WANTED = new Set<string>(NODE_PACKAGES);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

export function packageLockVersions(text: string): Map<string, string> {
  const doc = JSON.parse(text) as Json;
  const out = new Map<string, string>();
  for (const [key, v] of Object.entries(obj(doc['packages']))) {
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key);
    const version = obj(v)['version'];
    if (m?.[1] && typeof version === 'string') out.set(m[1], version);
  }
  if (out.size === 0) {
    for (const [name, v] of Object.entries(obj(doc['dependencies']))) {
      const version = obj(v)['version'];
      if (typeof version === 'string') out.set(name, version);
    }
  }
  return out;
}

const stripPeers = (v: string) => v.replace(/\(.*$/, '').replace(/_.*$/, '').trim();

export function pnpmLockVersions(text: string): Map<string, string> {
  const doc = obj(parseYaml(text));
  const out = new Map<string, string>();
  const fromDeps = (deps: unknown) => {
    for (const [name, v] of Object.entries(obj(deps))) {
      const version = typeof v === 'string' ? v : obj(v)['version'];
      if (typeof version === 'string' && !version.startsWith('link:')) out.set(name, stripPeers(version));
    }
  };
  const importer = obj(obj(doc['importers'])['.']);
  for (const k of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    fromDeps(importer[k]);
    fromDeps(doc[k]); // lockfile v5 (no importers)
  }
  // Anything else (transitive) from the packages keys: `/name@1.2.3`, `name@1.2.3(peer)`, `/name/1.2.3`.
  for (const key of Object.keys(obj(doc['packages']))) {
    const m = /^\/?((?:@[^/@]+\/)?[^/@]+)[@/](\d[^(/_]*)/.exec(key);
    if (m?.[1] && m[2] && !out.has(m[1])) out.set(m[1], m[2]);
  }
  return out;
}

export function yarnLockVersions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (/^__metadata:/m.test(text)) {
    for (const [key, v] of Object.entries(obj(parseYaml(text)))) {
      const version = obj(v)['version'];
      if (typeof version !== 'string') continue;
      for (const desc of key.split(',')) {
        const m = /^\s*((?:@[^/@]+\/)?[^@]+)@/.exec(desc);
        if (m?.[1] && !out.has(m[1])) out.set(m[1], version);
      }
    }
    return out;
  }
  let names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\S.*:\s*$/.test(line) && !line.startsWith('#')) {
      names = line
        .slice(0, -1)
        .split(',')
        .map((d) => /^\s*"?((?:@[^/@]+\/)?[^@"]+)@/.exec(d)?.[1])
        .filter((n): n is string => !!n);
    } else {
      const m = /^\s+version\s+"?([^"\s]+)"?/.exec(line);
      if (m?.[1]) for (const n of names) if (!out.has(n)) out.set(n, m[1]);
    }
  }
  return out;
}

const LOCKS = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'] as const;

export function nodeDepsIn(root: string, dir: string, names: string[]): { facts: DepFact[]; used: string[]; errors: Array<{ file: string; message: string }> } {
  const rel = (n: string) => (dir === '.' ? n : `${dir}/${n}`);
  const used: string[] = [];
  const errors: Array<{ file: string; message: string }> = [];
  const pkgFile = rel('package.json');
  let declared = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(join(root, pkgFile), 'utf8');
    const pkg = JSON.parse(text) as Json;
    for (const k of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const [name, spec] of Object.entries(obj(pkg[k]))) if (typeof spec === 'string' && !declared.has(name)) declared.set(name, spec);
    }
    used.push(pkgFile);
  } catch (e) {
    errors.push({ file: pkgFile, message: (e as Error).message });
    return { facts: [], used, errors };
  }
  const lineOf = (name: string) => {
    const i = text.split(/\r?\n/).findIndex((l) => l.includes(`"${name}"`));
    return i >= 0 ? i + 1 : undefined;
  };
  let locked = new Map<string, string>();
  let lockFile: string | undefined;
  for (const lock of LOCKS) {
    if (!names.includes(lock)) continue;
    const file = rel(lock);
    try {
      const lt = readFileSync(join(root, file), 'utf8');
      locked = lock === 'pnpm-lock.yaml' ? pnpmLockVersions(lt) : lock === 'yarn.lock' ? yarnLockVersions(lt) : packageLockVersions(lt);
      lockFile = file;
      used.push(file);
      break;
    } catch (e) {
      errors.push({ file, message: (e as Error).message });
    }
  }
  declared = new Map([...declared].filter(([n]) => WANTED.has(n)));
  const facts: DepFact[] = [];
  for (const name of WANTED) {
    const spec = declared.get(name);
    const version = locked.get(name);
    if (version && lockFile) facts.push({ ecosystem: 'node', package: name, version, ...(spec !== undefined ? { spec } : {}), via: 'lock', file: lockFile });
    else if (spec !== undefined) {
      const exact = /^=?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(spec.trim())?.[1];
      const ln = lineOf(name);
      facts.push({
        ecosystem: 'node',
        package: name,
        ...(exact ? { version: exact } : {}),
        spec,
        via: exact ? 'pin' : 'declared',
        file: pkgFile,
        ...(ln ? { line: ln } : {}),
      });
    }
  }
  return { facts, used, errors };
}

/** Swift: Package.resolved (v1–v3) pins of client-sdk-swift; Android: io.livekit:livekit-android in Gradle files. */
export function clientSdkFacts(root: string, files: string[]): DepFact[] {
  const out: DepFact[] = [];
  for (const f of files) {
    const b = f.slice(f.lastIndexOf('/') + 1);
    if (b === 'Package.resolved') {
      try {
        const doc = JSON.parse(readFileSync(join(root, f), 'utf8')) as Json;
        const pins = (obj(doc['object'])['pins'] ?? doc['pins']) as unknown[] | undefined;
        for (const p of pins ?? []) {
          const pin = obj(p);
          const url = String(pin['location'] ?? pin['repositoryURL'] ?? '');
          const id = String(pin['identity'] ?? pin['package'] ?? '');
          if (/client-sdk-swift/i.test(url) || id.toLowerCase() === 'client-sdk-swift') {
            const v = obj(pin['state'])['version'];
            out.push({ ecosystem: 'swift', package: 'client-sdk-swift', ...(typeof v === 'string' ? { version: v } : {}), via: 'lock', file: f });
          }
        }
      } catch {
        /* unreadable Package.resolved: ignore, it is only a client hint */
      }
    } else if (b === 'Package.swift' || /\.gradle(\.kts)?$/.test(b) || b === 'libs.versions.toml') {
      let text = '';
      try {
        text = readFileSync(join(root, f), 'utf8');
      } catch {
        continue;
      }
      if (b === 'Package.swift') {
        const m = /client-sdk-swift(?:\.git)?["'][^)]*?(?:from:|exact:|\.upToNextMajor\(from:)\s*"([^"]+)"/s.exec(text);
        if (/client-sdk-swift/.test(text) && !files.some((x) => x.endsWith('Package.resolved'))) {
          out.push({ ecosystem: 'swift', package: 'client-sdk-swift', ...(m?.[1] ? { spec: `>=${m[1]}`, version: m[1] } : {}), via: 'declared', file: f });
        }
      } else {
        const m =
          /io\.livekit:livekit-android(?:-[a-z]+)?:([0-9][^"'\s)]*)/.exec(text) ??
          (/livekit-android/.test(text) ? /livekit\w*\s*=\s*"([0-9][^"]*)"/.exec(text) : null);
        if (/livekit-android/.test(text))
          out.push({ ecosystem: 'android', package: 'livekit-android', ...(m?.[1] ? { version: m[1] } : {}), via: 'declared', file: f });
      }
    }
  }
  return out;
}
