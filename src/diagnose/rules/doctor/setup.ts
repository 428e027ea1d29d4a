import { gaShapeCalls } from './azure.js';
import { inRange } from '../../../doctor/ranges.js';
import { BETA_HEADER, JS_PLUGIN_STALE_LATEST } from '../../../facts/versions.js';
import type { Finding, Severity, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { SETUP } from './codes.js';
import { depOf, preconnectClients, versionToJudge, where } from './shared.js';

const isInt = (v: string) => /^\s*[+-]?\d+\s*$/.test(v);

export const setup = defineRule({
  id: 'doctor.setup',
  codes: Object.values(SETUP),
  check(t) {
    const out: Finding[] = [];
    const facts = t.ofKind('doctor.setup');
    const of = (check: string) => facts.filter((e) => e.data['check'] === check);
    const clients = preconnectClients(t);
    const depEvents = t.ofKind('doctor.dependency');
    const pythonAgent =
      depEvents.some((e) => depOf(e).package === 'livekit-agents') ||
      facts.some((e) => e.data['language'] === 'python' && e.data['check'] === 'realtime-model');
    // Does the installed plugin still speak the beta shape (so temperature is actually sent)?
    const betaPlugin = depEvents.some((e) => {
      const d = depOf(e);
      const v = versionToJudge(d);
      return (
        (d.package === 'livekit-plugins-openai' && v && inRange('python', v.version, `<${BETA_HEADER.pyFixed}`)) ||
        (d.package === '@livekit/agents-plugin-openai' && v && inRange('node', v.version, `<${BETA_HEADER.jsFixed} || =${JS_PLUGIN_STALE_LATEST}`))
      );
    });
    const at = (e: TraceEvent<'doctor.setup'>) => `${where(e.data)}: ${String(e.data.snippet ?? '')}`;

    for (const e of of('connect-before-start')) {
      const python = e.data['language'] === 'python';
      const severity: Severity = !python ? 'info' : clients.length ? 'error' : 'warning';
      out.push(
        report(
          SETUP.connectBeforeStart,
          { at: at(e), conditional: !!e.data['conditional'], startLine: String(e.data['startLine']), python },
          [e, ...(python ? clients : [])],
          { severity },
        ),
      );
    }
    for (const e of of('model')) out.push(report(SETUP.betaModel, { at: at(e), model: String(e.data['model']) }, [e]));
    // An api_version on with_azure does not select the beta shape on livekit-plugins-openai 1.2.9–1.2.11
    // (it sends the GA shape: setup/azure-realtime-ga-shape says so), so it is not setup/beta-shape there.
    const gaCalls = new Set(gaShapeCalls(t).calls.map((c) => `${c.data.file}:${c.data.line}`));
    for (const e of of('beta-shape')) {
      if (e.data['construct'] === 'api_version' && gaCalls.has(`${e.data.file}:${e.data.line}`)) continue;
      out.push(report(SETUP.betaShape, { at: at(e), construct: String(e.data['construct']) }, [e]));
    }
    for (const e of of('temperature')) {
      const value = Number(e.data['value']);
      const outOfRange = !(value >= 0.6 && value <= 1.2);
      const beta = e.data['beta'] === true || betaPlugin;
      if (outOfRange) out.push(report(SETUP.temperatureOutOfRange, { at: at(e), value, beta }, [e], { severity: beta ? 'error' : 'warning' }));
      else if (!beta) out.push(report(SETUP.temperatureIgnored, { at: at(e), value }, [e]));
    }
    for (const e of of('turn-detection')) {
      if (e.data['createResponse'] === false && e.data['interruptResponse'] !== false) {
        out.push(report(SETUP.createResponseWithoutInterrupt, { at: at(e), interruptResponseSet: e.data['interruptResponse'] === true }, [e]));
      }
    }
    const off = of('turn-detection-off');
    const models = of('realtime-model');
    for (const e of of('allow-interruptions')) {
      const sameLang = models.filter((m) => (m.data['language'] === 'python') === (e.data['language'] === 'python'));
      const model = sameLang[0];
      if (!model || off.some((o) => (o.data['language'] === 'python') === (e.data['language'] === 'python'))) continue;
      out.push(report(SETUP.allowInterruptionsServerVad, { at: at(e), modelAt: where(model.data) }, [e, model]));
    }
    const envFacts = [...t.ofKind('doctor.env'), ...of('env')].filter((e) => e.data['name'] === 'LK_OPENAI_DEBUG');
    for (const e of envFacts) {
      const value = String(e.data['value']);
      if (isInt(value)) continue;
      const from = e.kind === 'doctor.setup' ? at(e) : e.data.from === 'environment' ? 'the environment' : where(e.data);
      out.push(report(SETUP.debugNotInteger, { value, from, python: pythonAgent }, [e], { severity: pythonAgent ? 'error' : 'warning' }));
    }
    for (const e of of('preconnect-disabled')) {
      out.push(
        report(SETUP.preconnectDisabled, { at: at(e), clients: clients.length > 0 }, [e, ...clients], { severity: clients.length ? 'warning' : 'info' }),
      );
    }
    for (const e of t.ofKind('doctor.parser'))
      if (e.data['parser'] === 'regex') out.push(report(SETUP.regexFallback, { note: String(e.data['note'] ?? '') }, [e]));
    return out;
  },
});
