import { DOCTOR_CATALOGUE, type CatalogueEntry } from '../../../doctor/catalogue.data.js';
import { inRange, type Ecosystem } from '../../../doctor/ranges.js';
import { JS_PLUGIN_STALE_LATEST } from '../../../facts/versions.js';
import type { Timeline } from '../../timeline.js';
import type { Finding, Severity, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { DEPS, type DepNote, type Exactness } from './codes.js';
import { depOf, preconnectClients, serverDep, versionToJudge, where, type Dep } from './shared.js';

/** The facts about one package: each with the event that shows it. */
function depsFor(t: Timeline, ecosystem: Ecosystem, pkg: string): Array<{ e: TraceEvent; d: Dep }> {
  if (ecosystem === 'server') return t.ofKind('doctor.server').map((e) => ({ e, d: serverDep(e) }));
  return t
    .ofKind('doctor.dependency')
    .filter((e) => e.data.ecosystem === ecosystem && e.data.package === pkg)
    .map((e) => ({ e, d: depOf(e) }));
}

function matchEntry(t: Timeline, entry: CatalogueEntry, clients: ReturnType<typeof preconnectClients>): Finding[] {
  const code = DEPS[entry.id];
  if (!code) return [];
  const out: Finding[] = [];
  for (const { e, d } of depsFor(t, entry.ecosystem, entry.package)) {
    const judged = versionToJudge(d);
    const trap = !d.version && entry.trapSpecs?.includes((d.spec ?? '').trim());
    const hit = trap || (judged ? inRange(entry.ecosystem, judged.version, entry.affected) === true : false);
    if (!hit) continue;
    const evidence: TraceEvent[] = [e];
    if (entry.requires) {
      const req = entry.requires;
      const other = depsFor(t, req.ecosystem, req.package).find((o) => {
        const v = versionToJudge(o.d);
        return v ? inRange(req.ecosystem, v.version, req.range) === true : false;
      });
      if (!other) continue;
      evidence.push(other.e);
    }
    let severity: Severity = entry.severity;
    const notes: DepNote[] = [];
    if (entry.escalateWithPreconnectClients && clients.length) {
      severity = 'error';
      evidence.push(...clients);
      notes.push({
        kind: 'clients',
        names: [...new Set(clients.map((c) => (c.kind === 'doctor.dependency' ? c.data.package : String(c.data['package'] ?? c.data.file))))],
      });
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
    out.push(
      report(code, { package: entry.package, exactness, where: where(d), affected: entry.affected, fixedIn: entry.fixedIn, notes }, evidence, { severity }),
    );
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
