/**
 * PEP 440 versions: parse and compare, plus the few specifier forms doctor needs.
 *
 * Why hand-written: no PEP 440 library is installed and none is worth a dependency for this. The
 * forms that matter for LiveKit packages are covered and unit-tested: epoch (`1!`), release
 * segments of any length (`1.2` == `1.2.0`), pre-releases (`a`/`alpha`, `b`/`beta`, `rc`/`c`/`pre`/
 * `preview`, with optional separators), post-releases (`.post1`, `-1`), dev releases (`.dev0`) and
 * local labels (`+ubuntu.1`). Ordering follows the PEP: 1.0.dev0 < 1.0a1 < 1.0a1.post1 < 1.0rc1 <
 * 1.0 < 1.0+local < 1.0.post1. Anything else (legacy versions) does not parse and is reported as
 * unresolved rather than guessed.
 */

export interface Pep440 {
  epoch: number;
  release: number[];
  pre?: { kind: 'a' | 'b' | 'rc'; n: number };
  post?: number;
  dev?: number;
  local?: Array<number | string>;
}

const RE =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|rc|c|pre|preview)[-_.]?(\d*))?(?:(?:-(\d+))|(?:[-_.]?(?:post|rev|r)[-_.]?(\d*)))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

export function parsePep440(input: string): Pep440 | undefined {
  const m = RE.exec(input.trim());
  if (!m) return undefined;
  const v: Pep440 = { epoch: m[1] ? Number(m[1]) : 0, release: m[2]!.split('.').map(Number) };
  if (m[3]) {
    const k = m[3].toLowerCase();
    v.pre = { kind: k === 'a' || k === 'alpha' ? 'a' : k === 'b' || k === 'beta' ? 'b' : 'rc', n: Number(m[4] || 0) };
  }
  if (m[5] !== undefined) v.post = Number(m[5]);
  else if (m[6] !== undefined) v.post = Number(m[6] || 0);
  if (m[7] !== undefined) v.dev = Number(m[7] || 0);
  if (m[8])
    v.local = m[8]
      .toLowerCase()
      .split(/[-_.]/)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return v;
}

const PRE_RANK = { a: 0, b: 1, rc: 2 } as const;

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort key parts as in the PEP: missing pre sorts after any pre (unless dev-only), etc. */
function preKey(v: Pep440): [number, number] {
  if (v.pre) return [PRE_RANK[v.pre.kind], v.pre.n];
  if (v.post === undefined && v.dev !== undefined) return [-Infinity, 0]; // 1.0.dev0 < 1.0a1
  return [Infinity, 0];
}

function cmpLocal(a: Pep440['local'], b: Pep440['local']): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return cmpNum(x, y);
    } else if (typeof x === 'number')
      return 1; // numeric segments sort after alphanumeric ones
    else if (typeof y === 'number') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function comparePep440(a: Pep440, b: Pep440): number {
  if (a.epoch !== b.epoch) return cmpNum(a.epoch, b.epoch);
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const c = cmpNum(a.release[i] ?? 0, b.release[i] ?? 0);
    if (c) return c;
  }
  const [pa, pna] = preKey(a);
  const [pb, pnb] = preKey(b);
  if (pa !== pb) return cmpNum(pa, pb);
  if (pna !== pnb) return cmpNum(pna, pnb);
  const c = cmpNum(a.post ?? -Infinity, b.post ?? -Infinity);
  if (c) return c;
  const d = cmpNum(a.dev ?? Infinity, b.dev ?? Infinity);
  if (d) return d;
  return cmpLocal(a.local, b.local);
}

/** Compares two version strings; undefined when either does not parse. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parsePep440(a);
  const y = parsePep440(b);
  return x && y ? comparePep440(x, y) : undefined;
}

/**
 * The lowest version a declared specifier allows, when it has one (`==1.2.3`, `>=1.2`, `~=1.2`,
 * Poetry's `^1.2` / `~1.2` / bare `1.2.3`). `<2` alone has no lower bound: undefined.
 */
export function lowestAllowed(spec: string): string | undefined {
  let best: string | undefined;
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(===|==|~=|>=|>|\^|~)?\s*v?([0-9][^\s,;]*)$/.exec(part);
    if (!m?.[2] || m[2].includes('*')) continue;
    if (m[1] === undefined || ['==', '===', '~=', '>=', '>', '^', '~'].includes(m[1])) {
      if (!parsePep440(m[2])) continue;
      if (!best || (compareVersions(m[2], best) ?? 0) > 0) best = m[2];
    }
  }
  return best;
}

/** The exact version a specifier pins (`==1.2.3`, `===1.2.3`), if it pins one. */
export function pinnedVersion(spec: string): string | undefined {
  const m = /^\s*={2,3}\s*v?([0-9][^\s,;*]*)\s*$/.exec(spec);
  return m?.[1] && parsePep440(m[1]) ? m[1] : undefined;
}

/** PEP 503 name normalisation: `LiveKit_Plugins.OpenAI` → `livekit-plugins-openai`. */
export function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}
