import { DOCTOR_CATALOGUE, type CatalogueEntry } from '../../../doctor/catalogue.data.js';
import { inRange, type Ecosystem } from '../../../doctor/ranges.js';
import { JS_PLUGIN_STALE_LATEST } from '../../../facts/versions.js';
import type { Timeline } from '../../timeline.js';
import type { Finding, Severity, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { DEPS, type DepNote, type Exactness } from './codes.js';
import { depOf, preconnectClients, versionToJudge, where } from './shared.js';

function depsFor(t: Timeline, ecosystem: Ecosystem, pkg: string): TraceEvent[] {
  if (ecosystem === 'server') {
    return t
      .ofKind('doctor.server')
      .map((e) => ({ ...e, data: { ecosystem: 'server', package: 'livekit-server', version: String(e.data['version']).replace(/^v/, ''), via: 'server', file: String(e.data['url']) } }));
  }
  return t.ofKind('doctor.dependency').filter((e) => depOf(e).ecosystem === ecosystem && depOf(e).package === pkg);
}

function matchEntry(t: Timeline, entry: CatalogueEntry, clients: TraceEvent[]): Finding[] {
  const code = DEPS[entry.id];
  if (!code) return [];
  const out: Finding[] = [];
  for (const e of depsFor(t, entry.ecosystem, entry.package)) {
    const d = depOf(e);
    const judged = versionToJudge(d);
    const trap = !d.version && entry.trapSpecs?.includes((d.spec ?? '').trim());
    const hit = trap || (judged ? inRange(entry.ecosystem, judged.version, entry.affected) === true : false);
    if (!hit) continue;
    const evidence: TraceEvent[] = [e];
    if (entry.requires) {
      const req = entry.requires;
      const other = depsFor(t, req.ecosystem, req.package).find((o) => {
        const v = versionToJudge(depOf(o));
        return v ? inRange(req.ecosystem, v.version, req.range) === true : false;
      });
      if (!other) continue;
      evidence.push(other);
    }
    let severity: Severity = entry.severity;
    const notes: DepNote[] = [];
    if (entry.escalateWithPreconnectClients && clients.length) {
      severity = 'error';
      evidence.push(...clients);
      notes.push({ kind: 'clients', names: [...new Set(clients.map((c) => String(c.data['package'] ?? c.data['file'])))] });
    }
    const exactness: Exactness = trap
      ? { kind: 'trap', spec: d.spec ?? '', latest: JS_PLUGIN_STALE_LATEST }
      : judged?.exact
        ? { kind: 'exact', version: String(d.version), via: d.via === 'lock' ? 'lock' : d.via === 'server' ? 'server' : 'pinned' }
        : { kind: 'range', spec: String(d.spec), allows: String(judged?.version) };
    if (!trap && judged && !judged.exact && severity === 'error') {
      severity = 'warning';
      notes.push({ kind: 'add-lock' });
    }
    out.push(report(code, { package: entry.package, exactness, where: where(d), affected: entry.affected, fixedIn: entry.fixedIn, notes }, evidence, { severity }));
  }
  return out;
}

export const deps = defineRule({
  id: 'doctor.deps',
  codes: Object.values(DEPS),
  check(t) {
    const clients = preconnectClients(t);
    return DOCTOR_CATALOGUE.flatMap((entry) => matchEntry(t, entry, clients));
  },
});
