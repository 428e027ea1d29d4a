import semver from 'semver';
import { DOCTOR_CATALOGUE, type CatalogueEntry } from '../../doctor/catalogue.data.js';
import type { DepFact } from '../../doctor/deps-python.js';
import { lowestAllowed } from '../../doctor/pep440.js';
import { inRange, type Ecosystem } from '../../doctor/ranges.js';
import { finding } from '../engine.js';
import type { Timeline } from '../timeline.js';
import type { Finding, Rule, Severity, TraceEvent } from '../types.js';
import { DEPS, SETUP } from './doctor-codes.js';

/** A dependency fact as the discovery source emits it (doctor.dependency), or the server's own version. */
type Dep = Omit<DepFact, 'ecosystem' | 'via'> & { ecosystem: Ecosystem; via: DepFact['via'] | 'server' };

const depOf = (e: TraceEvent) => e.data as unknown as Dep;
const where = (d: { file?: unknown; line?: unknown }) => `${String(d.file ?? '?')}${d.line ? `:${String(d.line)}` : ''}`;

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
export function preconnectClients(t: Timeline): TraceEvent[] {
  const code = t.ofKind('doctor.setup').filter((e) => e.data['check'] === 'preconnect-client');
  const jsClient = t.ofKind('doctor.dependency').filter((e) => depOf(e).package === 'livekit-client');
  const mobile = t.ofKind('doctor.dependency').filter((e) => ['swift', 'android'].includes(depOf(e).ecosystem));
  return [...(code.length ? [...jsClient, ...code] : []), ...mobile];
}

function depsFor(t: Timeline, ecosystem: Ecosystem, pkg: string): TraceEvent[] {
  if (ecosystem === 'server') {
    return t.ofKind('doctor.server').map((e) => ({ ...e, data: { ecosystem: 'server', package: 'livekit-server', version: String(e.data['version']).replace(/^v/, ''), via: 'server', file: String(e.data['url']) } }));
  }
  return t.ofKind('doctor.dependency').filter((e) => depOf(e).ecosystem === ecosystem && depOf(e).package === pkg);
}

function matchEntry(t: Timeline, entry: CatalogueEntry, clients: TraceEvent[]): Finding[] {
  const meta = DEPS[entry.id]!;
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
    const notes: string[] = [];
    if (entry.escalateWithPreconnectClients && clients.length) {
      severity = 'error';
      evidence.push(...clients);
      notes.push(`A client in this project sends pre-connect audio (${[...new Set(clients.map((c) => String(c.data['package'] ?? c.data['file'])))].join(', ')}).`);
    }
    const exactness = trap
      ? `declared as "${d.spec ?? ''}" with no lock file: that resolves to the npm \`latest\` tag, 2.0.0`
      : judged?.exact
        ? `${d.version} (${d.via === 'lock' ? 'locked' : d.via === 'server' ? 'reported by the server' : 'pinned'})`
        : `not locked; the declared range "${d.spec}" allows ${judged?.version}`;
    if (!trap && judged && !judged.exact && severity === 'error') {
      severity = 'warning';
      notes.push('Add a lock file (or an exact pin) to know which version is installed.');
    }
    const detail = [`${entry.package} ${exactness} — ${where(d)}. Affected: ${entry.affected === '*' ? 'all versions' : entry.affected}${entry.fixedIn ? `; fixed in ${entry.fixedIn}` : ''}.`, ...notes].join('\n');
    out.push(finding(meta, detail, evidence, { severity }));
  }
  return out;
}

const deps: Rule = {
  id: 'doctor.deps',
  codes: Object.values(DEPS),
  check(t) {
    const clients = preconnectClients(t);
    return DOCTOR_CATALOGUE.flatMap((entry) => matchEntry(t, entry, clients));
  },
};

const isInt = (v: string) => /^\s*[+-]?\d+\s*$/.test(v);

const setup: Rule = {
  id: 'doctor.setup',
  codes: Object.values(SETUP),
  check(t) {
    const out: Finding[] = [];
    const facts = t.ofKind('doctor.setup');
    const of = (check: string) => facts.filter((e) => e.data['check'] === check);
    const clients = preconnectClients(t);
    const depEvents = t.ofKind('doctor.dependency');
    const pythonAgent = depEvents.some((e) => depOf(e).package === 'livekit-agents') || facts.some((e) => e.data['language'] === 'python' && e.data['check'] === 'realtime-model');
    // Does the installed plugin still speak the beta shape (so temperature is actually sent)?
    const betaPlugin = depEvents.some((e) => {
      const d = depOf(e);
      const v = versionToJudge(d);
      return (
        (d.package === 'livekit-plugins-openai' && v && inRange('python', v.version, '<1.2.9')) ||
        (d.package === '@livekit/agents-plugin-openai' && v && inRange('node', v.version, '<1.0.34 || =2.0.0'))
      );
    });
    const at = (e: TraceEvent) => `${where(e.data)}: ${String(e.data['snippet'] ?? '')}`;

    for (const e of of('connect-before-start')) {
      const python = e.data['language'] === 'python';
      const cond = e.data['conditional'] ? ' (inside a conditional branch: only when that branch runs)' : '';
      const severity: Severity = !python ? 'info' : clients.length ? 'error' : 'warning';
      const extra = python ? '' : '\nagents-js has no pre-connect support, so the order costs nothing today; start the session first anyway.';
      out.push(finding(SETUP.connectBeforeStart, `${at(e)}${cond} — awaited before session.start() at line ${String(e.data['startLine'])}.${extra}`, [e, ...(python ? clients : [])], { severity }));
    }
    for (const e of of('model')) out.push(finding(SETUP.betaModel, `${at(e)} — model "${String(e.data['model'])}".`, [e]));
    for (const e of of('beta-shape')) out.push(finding(SETUP.betaShape, `${at(e)} — ${String(e.data['construct'])}.`, [e]));
    for (const e of of('temperature')) {
      const v = Number(e.data['value']);
      const outOfRange = !(v >= 0.6 && v <= 1.2);
      const beta = e.data['beta'] === true || betaPlugin;
      if (outOfRange) {
        out.push(
          finding(SETUP.temperatureOutOfRange, `${at(e)} — temperature ${v}${beta ? ': the beta interface rejects it and ignores the whole session.update.' : ': the GA API ignores it (LiveKit does not send it), and a beta endpoint would reject it.'}`, [e], {
            severity: beta ? 'error' : 'warning',
          }),
        );
      } else if (!beta) out.push(finding(SETUP.temperatureIgnored, `${at(e)} — temperature ${v} has no effect on GA models.`, [e]));
    }
    for (const e of of('turn-detection')) {
      if (e.data['createResponse'] === false && e.data['interruptResponse'] !== false) {
        out.push(finding(SETUP.createResponseWithoutInterrupt, `${at(e)} — create_response=False${e.data['interruptResponse'] === true ? ' with interrupt_response=True' : ', interrupt_response left at its default (true)'}.`, [e]));
      }
    }
    const off = of('turn-detection-off');
    const models = of('realtime-model');
    for (const e of of('allow-interruptions')) {
      const sameLang = models.filter((m) => (m.data['language'] === 'python') === (e.data['language'] === 'python'));
      if (sameLang.length === 0 || off.some((o) => (o.data['language'] === 'python') === (e.data['language'] === 'python'))) continue;
      out.push(finding(SETUP.allowInterruptionsServerVad, `${at(e)} — and the RealtimeModel at ${where(sameLang[0]!.data)} keeps server turn detection (no turn_detection=None).`, [e, sameLang[0]!]));
    }
    const envFacts = [...t.ofKind('doctor.env'), ...of('env')].filter((e) => e.data['name'] === 'LK_OPENAI_DEBUG');
    for (const e of envFacts) {
      const v = String(e.data['value']);
      if (isInt(v)) continue;
      const src = e.data['from'] === 'environment' ? 'the environment' : e.data['from'] === 'dotenv' ? where(e.data) : at(e);
      out.push(
        finding(SETUP.debugNotInteger, `LK_OPENAI_DEBUG="${v}" in ${src}.${pythonAgent ? ' The Python plugin will raise ValueError at import.' : ' agents-js will treat it as 0 (no debug log).'}`, [e], {
          severity: pythonAgent ? 'error' : 'warning',
        }),
      );
    }
    for (const e of of('preconnect-disabled')) {
      out.push(
        finding(SETUP.preconnectDisabled, `${at(e)}${clients.length ? ' — while a client in this project sends pre-connect audio: its buffer is dropped.' : ' — no client in this project sends pre-connect audio, so nothing is lost here; check your other clients.'}`, [e, ...clients], {
          severity: clients.length ? 'warning' : 'info',
        }),
      );
    }
    for (const e of t.ofKind('doctor.parser')) if (e.data['parser'] === 'regex') out.push(finding(SETUP.regexFallback, String(e.data['note'] ?? ''), [e]));
    return out;
  },
};

export const DOCTOR_RULES: readonly Rule[] = [deps, setup];
