import semver from 'semver';
import type { DepFact } from '../../../doctor/deps-python.js';
import { lowestAllowed } from '../../../doctor/pep440.js';
import type { Ecosystem } from '../../../doctor/ranges.js';
import type { Timeline } from '../../timeline.js';
import type { TraceEvent } from '../../types.js';

/** A dependency fact as the discovery source emits it (doctor.dependency), or the server's own version. */
export interface Dep {
  ecosystem: Ecosystem;
  package: string;
  version?: string;
  spec?: string;
  via: DepFact['via'] | 'server';
  file?: unknown;
  line?: unknown;
}

/** The dependency a doctor.dependency event carries. */
export const depOf = (e: TraceEvent<'doctor.dependency'>): Dep => e.data;

/** The server's own version (doctor.server, with --url) as a dependency. */
export function serverDep(e: TraceEvent<'doctor.server'>): Dep {
  return { ecosystem: 'server', package: 'livekit-server', version: String(e.data.version).replace(/^v/, ''), via: 'server', file: String(e.data.url) };
}

/** `file:line` of a fact. */
export const where = (d: { file?: unknown; line?: unknown }): string => `${String(d.file ?? '?')}${d.line ? `:${String(d.line)}` : ''}`;

/** The version to judge a dependency by: resolved/pinned, or the lowest its declared range allows. */
export function versionToJudge(d: Dep): { version: string; exact: boolean } | undefined {
  if (d.version) return { version: d.version, exact: true };
  if (!d.spec) return undefined;
  if (d.ecosystem === 'node') {
    try {
      const v = semver.minVersion(d.spec);
      return v ? { version: v.version, exact: false } : undefined;
    } catch {
      return undefined;
    }
  }
  const low = lowestAllowed(d.spec);
  return low ? { version: low, exact: false } : undefined;
}

/** Facts showing a client in this project sends pre-connect audio. */
export function preconnectClients(t: Timeline): TraceEvent<'doctor.setup' | 'doctor.dependency'>[] {
  const code = t.ofKind('doctor.setup').filter((e) => e.data['check'] === 'preconnect-client');
  const jsClient = t.ofKind('doctor.dependency').filter((e) => e.data.package === 'livekit-client');
  const mobile = t.ofKind('doctor.dependency').filter((e) => e.data.ecosystem === 'swift' || e.data.ecosystem === 'android');
  return [...(code.length ? [...jsClient, ...code] : []), ...mobile];
}
