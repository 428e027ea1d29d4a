#!/usr/bin/env node
// The version matrix (issue #12 item 2): real livekit-agents of several versions, each against the
// simulator's fault scenarios, at the default log level and at DEBUG; each session's agent log is
// captured into fixtures/logs/versions/<lang>-<version>-<scenario>-<level>.log with
// <name>.expected.json (exact `severity:code` findings of `trace log`, sorted, and its exit code).
// Not part of CI. Needs: `npx tsc -p tsconfig.json`, livekit-server (scripts/install-livekit-server.sh),
// python3 >= 3.10 and PyPI. Venvs go to ${LKDIAG_CACHE:-~/.cache/lkdiag}/matrix/py-<version>/.
//
//   node scripts/version-matrix.mjs [--versions 1.0.23,1.8.9] [--scenarios healthy,upgrade-401]
//                                   [--levels default,debug] [--install-only] [--dry-run]
//   node scripts/version-matrix.mjs --reexpect   (recompute the expected findings of the captures)
//
// Wordings per version (item 3): --wordings writes fixtures/wordings/python-livekit-agents-<v>.json
// (see scripts/lib/matrix-wordings.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  cleanEnv,
  log,
  matrixCache,
  sendPreconnect,
  sleep,
  startAgent,
  startLivekitServer,
  startSim,
  stopAll,
  traceLog,
  trimToSession,
  writeCapture,
} from './lib/matrix.mjs';
import { sourcesOnly, writeWordings } from './lib/matrix-wordings.mjs';

export const PY_VERSIONS = ['1.0.23', '1.2.18', '1.3.12', '1.5.4', '1.6.10', '1.8.9'];
const OUT = join(ROOT, 'fixtures', 'logs', 'versions');
const AGENT = join(ROOT, 'fixtures', 'agents', 'matrix', 'agent.py');

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const flag = (name) => process.argv.includes(`--${name}`);

// ---------------------------------------------------------------------------
// install

function pythonBin() {
  for (const c of ['python3.12', 'python3.11', 'python3.10', 'python3']) {
    try {
      execFileSync(c, ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'], { stdio: 'ignore' });
      return c;
    } catch {
      /* next */
    }
  }
  throw new Error('no python3 >= 3.10');
}

export function venvFor(version) {
  return join(matrixCache(), `py-${version}`);
}

export function sitePackages(version) {
  const lib = join(venvFor(version), 'lib');
  const py = readdirSafe(lib).find((d) => d.startsWith('python'));
  return join(lib, py ?? 'python3', 'site-packages');
}

function readdirSafe(dir) {
  try {
    return execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function install(version) {
  const venv = venvFor(version);
  const py = join(venv, 'bin', 'python');
  if (existsSync(join(venv, '.lkdiag-installed')) && existsSync(py)) return py;
  const t0 = Date.now();
  log(`installing livekit-agents ${version} into ${venv}`);
  if (!existsSync(py)) execFileSync(pythonBin(), ['-m', 'venv', venv], { stdio: 'inherit' });
  // httpx: the 1.x OpenAI plugin imports it, and the newest openai SDK no longer pulls it in
  execFileSync(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', `livekit-agents==${version}`, `livekit-plugins-openai==${version}`, 'httpx'], {
    stdio: 'inherit',
  });
  execFileSync(py, ['-c', 'import livekit.agents, livekit.plugins.openai'], { stdio: 'inherit' });
  writeFileSync(join(venv, '.lkdiag-freeze.txt'), execFileSync(py, ['-m', 'pip', 'freeze'], { encoding: 'utf8' }));
  writeFileSync(join(venv, '.lkdiag-installed'), '');
  log(`installed ${version} in ${Math.round((Date.now() - t0) / 1000)} s`);
  return py;
}

// ---------------------------------------------------------------------------
// what each version has, read from its source

export function versionFacts(version) {
  const sp = sitePackages(version);
  // the OpenAI realtime implementation: in the plugin, or (1.8+) in livekit/agents/llm/_realtime/openai.py
  const rt = [join(sp, 'livekit', 'plugins', 'openai', 'realtime', 'realtime_model.py'), join(sp, 'livekit', 'agents', 'llm', '_realtime', 'openai.py')]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  // `call_later(5.0, _on_timeout)` (1.0) / a named default elsewhere
  let timeoutS = null;
  const m = rt.match(/call_later\(\s*([\d.]+)\s*,\s*_on_timeout/);
  if (m) timeoutS = Number(m[1]);
  else {
    const n = rt.match(/call_later\(\s*([A-Za-z_.]+)\s*,\s*_on_timeout/);
    if (n) {
      const name = n[1].split('.').pop();
      const d = rt.match(new RegExp(`${name}\\s*(?::\\s*[\\w\\[\\]| ]+)?=\\s*([\\d.]+)`));
      if (d) timeoutS = Number(d[1]);
    }
  }
  const preconnect = existsSync(join(sp, 'livekit', 'agents', 'voice', 'room_io', '_pre_connect_audio.py'));
  return { timeoutS, preconnect };
}

// ---------------------------------------------------------------------------
// scenarios

/**
 * One session each. `sim`: simulator scenarios for this connection (URL prefix); `mode`/`greet`:
 * the agent program; `user`: send-preconnect options. `needs` names the feature a version must have.
 */
// The user: one utterance (the agent answers it, nobody talks over it); silence where the fault is in
// the agent's own reply (a speaking user would cancel it first); two utterances with a pause for barge-in.
const ONE = 'fixtures/audio/preconnect-part1.wav';
const SILENT = 'silence';

export function scenarios(facts) {
  const timeoutMs = facts.timeoutS ? Math.round(facts.timeoutS * 1000) : null;
  return [
    { name: 'healthy', sim: [], mode: 'healthy', user: [], audio: ONE },
    {
      name: 'delay-created',
      needs: timeoutMs ? null : 'a generate_reply timeout',
      sim: timeoutMs ? [`delay-created=${timeoutMs + 1500}`] : [],
      mode: 'healthy',
      greet: true,
      audio: SILENT,
      user: ['--timeout', String(Math.ceil((timeoutMs ?? 0) / 1000) + 6)],
    },
    { name: 'upgrade-401', sim: ['upgrade-401'], mode: 'healthy', user: ['--timeout', '8'], audio: ONE },
    { name: 'invalid-api-key', sim: ['invalid-api-key'], mode: 'healthy', user: ['--timeout', '8'], audio: ONE },
    { name: 'insufficient-quota', sim: ['fail-insufficient-quota'], mode: 'healthy', user: ['--timeout', '10'], audio: ONE },
    { name: 'expire-after', sim: ['expire-after=4000'], mode: 'healthy', user: ['--join-delay', '1000'], audio: ONE },
    { name: 'active-response', sim: ['delay-created=2500'], mode: 'double-reply', user: ['--timeout', '10'], audio: SILENT },
    {
      name: 'barge-in',
      sim: [],
      audioPace: 1,
      mode: 'vad-interrupt',
      user: ['--join-delay', '3000', '--live', 'continuous'],
      audio: 'fixtures/audio/two-part-pause.wav',
    },
    { name: 'pre-connect', needs: facts.preconnect ? null : 'pre-connect audio', sim: [], mode: 'healthy', user: ['--join-delay', '3000'], audio: ONE },
    // gpt-realtime-2 answers in two message items (a preamble, then the answer); < 1.5.12 plays the first only.
    { name: 'preamble', sim: ['preamble'], mode: 'healthy', user: [], audio: ONE },
  ];
}

/** 2 s of digital silence, 24 kHz mono 16-bit (a user who joins and says nothing). */
function silenceWav(dir) {
  const file = join(dir, 'silence.wav');
  if (existsSync(file)) return file;
  const rate = 24000;
  const data = Buffer.alloc(rate * 2 * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([h, data]));
  return file;
}

// ---------------------------------------------------------------------------
// one session

async function runOne({ version, py, sc, level, livekit, sims, workDir }) {
  const name = `python-${version}-${sc.name}-${level}`;
  const sim = sc.audioPace ? sims.slow : sims.fast;
  const agentName = `mx-${version.replaceAll('.', '')}-${Math.random().toString(36).slice(2, 7)}`;
  const env = cleanEnv({
    LIVEKIT_URL: livekit.url,
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
    LKDIAG_OPENAI_BASE_URL: sim.pythonUrlFor(sc.sim),
    OPENAI_API_KEY: 'sk-test',
    LKDIAG_AGENT_NAME: agentName,
    LKDIAG_AGENT_MODE: sc.mode,
    LKDIAG_AGENT_GREET: sc.greet ? '1' : '0',
    PYTHONUNBUFFERED: '1',
    ...(level === 'debug' ? { LK_OPENAI_DEBUG: '1' } : {}),
  });
  const args = [AGENT, 'start', ...(level === 'debug' ? ['--log-level', 'DEBUG'] : [])];
  const logFile = join(workDir, `${name}.raw.log`);
  const t0 = Date.now();
  const agent = await startAgent({ label: name, cmd: py, args, cwd: join(ROOT, 'fixtures', 'agents', 'matrix'), env, logFile });
  let user;
  try {
    user = await sendPreconnect({
      livekit,
      agentName,
      room: `matrix-${name}-${Date.now() % 100000}`.replaceAll('.', '_'),
      audio: sc.audio === SILENT ? silenceWav(workDir) : sc.audio,
      args: ['--agent-timeout', '15', ...sc.user],
      timeoutMs: 90000,
    });
    await sleep(1500); // the agent's last lines (session close)
  } finally {
    await agent.stop();
  }
  const text = trimToSession(readFileSync(logFile, 'utf8'));
  const { expected } = await writeCapture(OUT, name, text, {
    agent: `livekit-agents ${version} + livekit-plugins-openai ${version}`,
    scenario: sc.name,
    level,
    simulator: sc.sim,
  });
  log(
    `${name}: ${Math.round((Date.now() - t0) / 1000)} s, user exit ${user.code}, trace log exit ${expected.exitCode}: ${expected.findings.join(' ') || '(none)'}`,
  );
  return { name, ms: Date.now() - t0, expected };
}

// ---------------------------------------------------------------------------

async function main() {
  if (flag('node')) return (await import('./lib/matrix-node.mjs')).nodeMain(); // the agents-js half (H5)
  const versions = arg('versions', PY_VERSIONS.join(',')).split(',');
  const only = arg('scenarios', '') ? arg('scenarios', '').split(',') : null;
  const levels = arg('levels', 'default,debug').split(',');
  const t0 = Date.now();
  if (flag('reexpect')) {
    // recompute every Python capture's expected findings with the current build (the captures stay)
    for (const f of readdirSync(OUT).filter((n) => /^python-.*\.expected\.json$/.test(n))) {
      const name = f.replace(/\.expected\.json$/, '');
      const old = JSON.parse(readFileSync(join(OUT, f), 'utf8'));
      const t = await traceLog(join(OUT, `${name}.log`));
      if (t.report === null) throw new Error(`${name}: trace log printed no report (exit ${t.exitCode})`);
      writeFileSync(join(OUT, f), `${JSON.stringify({ ...old, findings: t.findings, exitCode: t.exitCode }, null, 2)}\n`);
      log(`${name}: exit ${t.exitCode} ${t.findings.join(' ') || '(none)'}`);
    }
    return;
  }
  const pys = {};
  for (const v of versions) pys[v] = install(v);
  if (flag('wordings')) {
    for (const v of versions) await writeWordings(v, sitePackages(v));
    // the 0.x S2S era, from its wheels only (cheap: no venv, no session)
    await writeWordings('0.12.21', sourcesOnly(matrixCache(), '0.12.21', '0.12.4'));
  }
  if (flag('install-only') || flag('wordings')) return;

  const workDir = join(tmpdir(), `lkdiag-matrix-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const livekit = await startLivekitServer({ dir: join(workDir, 'lks') });
  const sims = { fast: await startSim({}), slow: await startSim({ audioPace: 1 }) };
  log(`livekit-server ${livekit.url}, simulator ${sims.fast.baseUrl} (and ${sims.slow.baseUrl} at real-time pace); work dir ${workDir}`);
  const results = [];
  const skipped = [];
  try {
    for (const v of versions) {
      const facts = versionFacts(v);
      log(`livekit-agents ${v}: generate_reply timeout ${facts.timeoutS ?? 'none'} s, pre-connect ${facts.preconnect ? 'yes' : 'no'}`);
      for (const sc of scenarios(facts)) {
        if (only && !only.includes(sc.name)) continue;
        if (sc.needs) {
          skipped.push(`${v} ${sc.name}: no ${sc.needs} in this version`);
          log(`skip ${v} ${sc.name}: this version has no ${sc.needs}`);
          continue;
        }
        for (const level of levels) {
          if (flag('dry-run')) {
            log(`would run python-${v}-${sc.name}-${level}`);
            continue;
          }
          try {
            results.push(await runOne({ version: v, py: pys[v], sc, level, livekit, sims, workDir }));
          } catch (err) {
            log(`FAILED python-${v}-${sc.name}-${level}: ${err.message.slice(0, 2000)}`);
            results.push({ name: `python-${v}-${sc.name}-${level}`, error: err.message });
          }
        }
      }
    }
  } finally {
    await sims.fast.close();
    await sims.slow.close();
    await livekit.stop();
    await stopAll();
  }
  const total = Math.round((Date.now() - t0) / 1000);
  log(`${results.filter((r) => !r.error).length} captures, ${results.filter((r) => r.error).length} failed, ${skipped.length} skipped, in ${total} s`);
  for (const s of skipped) log(`skipped: ${s}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (err) => {
      log(`error: ${err.stack ?? err}`);
      process.exit(1);
    },
  );
}
