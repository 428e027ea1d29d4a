/**
 * "Affected" ranges of the doctor catalogue, one syntax for every ecosystem:
 * `<1.2.9`, `>=1.6.0 <1.7.0`, `<1.5.8 || >=1.6.0 <1.7.0`, `*` (all), `=2.0.0`.
 * npm versions are compared with semver; Python (and server/Swift/Android tags) with PEP 440.
 * Pre-releases compare by plain ordering (1.2.9rc1 is < 1.2.9, so it counts as affected): a fix is
 * only certain once released.
 */
import semver from 'semver';
import { compareVersions, parsePep440 } from './pep440.js';

export type Ecosystem = 'python' | 'node' | 'swift' | 'android' | 'server';

function cmp(ecosystem: Ecosystem, a: string, b: string): number | undefined {
  if (ecosystem === 'node') {
    const x = semver.valid(a, { loose: true });
    const y = semver.valid(b, { loose: true });
    if (!x || !y) return undefined;
    return semver.compare(x, y, { loose: true });
  }
  return compareVersions(a, b);
}

export function validVersion(ecosystem: Ecosystem, v: string): boolean {
  return ecosystem === 'node' ? semver.valid(v, { loose: true }) !== null : parsePep440(v) !== undefined;
}

/** True when `version` is inside `range`; undefined when the version cannot be read. */
export function inRange(ecosystem: Ecosystem, version: string, range: string): boolean | undefined {
  if (!validVersion(ecosystem, version)) return undefined;
  return range.split('||').some((alt) => {
    const parts = alt.trim().split(/\s+/).filter(Boolean);
    return parts.every((p) => {
      if (p === '*') return true;
      const m = /^(<=|>=|<|>|=)?(.+)$/.exec(p);
      if (!m?.[2]) return false;
      const c = cmp(ecosystem, version, m[2]);
      if (c === undefined) return false;
      switch (m[1]) {
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
        default:
          return c === 0;
      }
    });
  });
}

/** Checks a range's syntax (used by the catalogue schema test). */
export function rangeIsValid(range: string): boolean {
  return range.split('||').every((alt) => {
    const parts = alt.trim().split(/\s+/).filter(Boolean);
    return parts.length > 0 && parts.every((p) => p === '*' || /^(<=|>=|<|>|=)?\d+(\.\d+)*([a-z0-9.+-]*)$/i.test(p));
  });
}
