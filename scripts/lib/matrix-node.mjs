// The log and exception strings of an installed @livekit/agents (+ agents-plugin-openai) version, read
// from its dist/ with the TypeScript parser (issue #12 item 4): every logger .trace/.debug/.info/.warn/
// .error/.fatal call's message and every `new …Error(…)` message in the agents' voice/, llm/realtime*,
// worker, job and ipc/ modules and the plugin's realtime/ modules. Template literals keep their text with
// each `${…}` written as `{}`; `sample` is that text with every `{}` replaced by `0` (what the table test feeds
// eventFor). Used by scripts/version-matrix.mjs (--wordings) through matrix-node.mjs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import ts from 'typescript';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** The dist files the brief names: agents voice/, llm/realtime*, worker, job, ipc/; plugin realtime/. */
function distFiles(pkgDir, plugin) {
  const dist = join(pkgDir, 'dist');
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.js') && !name.endsWith('.test.js')) out.push(p);
    }
  };
  walk(dist);
  return out.filter((p) => {
    const rel = relative(dist, p);
    if (plugin) return rel.startsWith('realtime/');
    return rel.startsWith('voice/') || rel.startsWith('llm/realtime') || rel.startsWith('ipc/') || rel === 'worker.js' || rel === 'job.js';
  });
}

/** The text of a string or template literal (`{}` for each substitution), or undefined. */
function literalText(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `{}${s.literal.text}`).join('');
  return undefined;
}

function isLoggerCall(call) {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !LEVELS.has(callee.name.text)) return false;
  return /log/i.test(callee.expression.getText());
}

function errorMessage(expr) {
  const callee = expr.expression;
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const name = ts.isIdentifier(callee) ? callee.text : callee.name.text;
  if (!/(?:Error|Exception)$/.test(name)) return undefined;
  const a = expr.arguments?.[0];
  if (!a) return undefined;
  const t = literalText(a);
  if (t !== undefined) return t;
  if (ts.isObjectLiteralExpression(a)) {
    for (const p of a.properties) {
      if (ts.isPropertyAssignment(p) && p.name.getText() === 'message') return literalText(p.initializer);
    }
  }
  return undefined;
}

/** Every distinct wording of one package: { text, sample, how (a level or 'throw'), files }. */
export function packageWordings(pkgDir, plugin) {
  const found = new Map();
  const add = (text, how, file) => {
    if (!text?.trim()) return;
    const key = `${how}\u0000${text}`;
    const w = found.get(key) ?? { text, sample: text.replaceAll('{}', '0'), how, files: [] };
    if (!w.files.includes(file)) w.files.push(file);
    found.set(key, w);
  };
  for (const file of distFiles(pkgDir, plugin)) {
    const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const rel = relative(join(pkgDir, '..', '..'), file);
    const visit = (node) => {
      if (ts.isCallExpression(node) && isLoggerCall(node)) {
        // pino: (obj?, msg, …args); the message is the first string-like argument
        for (const a of node.arguments) {
          const t = literalText(a);
          if (t !== undefined) {
            add(t, node.expression.name.text, rel);
            break;
          }
        }
      } else if (ts.isNewExpression(node)) {
        const t = errorMessage(node);
        if (t !== undefined) add(t, 'throw', rel);
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return [...found.values()];
}

/**
 * The wordings of one installed version (cache dir with node_modules), each with the trace-event kind
 * lkdiag's tables give its sample as a pino record (null: read as a plain log line). `eventFor` is
 * src/sources/logs/messages.ts's (from dist/).
 */
export function versionWordings(versionDir, eventFor) {
  const nm = join(versionDir, 'node_modules', '@livekit');
  const pkgs = [
    ['@livekit/agents', join(nm, 'agents'), false],
    ['@livekit/agents-plugin-openai', join(nm, 'agents-plugin-openai'), true],
  ];
  const out = { packages: {}, wordings: [] };
  for (const [name, dir, plugin] of pkgs) {
    out.packages[name] = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
    for (const w of packageWordings(dir, plugin)) {
      const level = { trace: 'debug', debug: 'debug', info: 'info', warn: 'warning', error: 'error', fatal: 'critical', throw: 'error' }[w.how];
      const r = { t: 1000, level, logger: '', message: w.sample, extras: {}, line: 1, format: 'pino', framework: 'node' };
      // a Realtime event line (`(client) -> {}`): its kind is the event's type, whatever it is
      const kind = eventFor(r).kind.replace(/^openai\..*/, 'openai.*');
      out.wordings.push({ package: name, ...w, kind: kind === 'log.line' ? null : kind });
    }
  }
  out.wordings.sort((a, b) => a.package.localeCompare(b.package) || a.text.localeCompare(b.text) || a.how.localeCompare(b.how));
  return out;
}

// ---------------------------------------------------------------------------
// The Node half of the version matrix: @livekit/agents (+ agents-plugin-openai) versions installed in
// <cache>/matrix/node-<v>/, fixtures/agents/matrix/node/agent.mjs run next to each, one session per
// (version, scenario, level) against scripts/lib/matrix.mjs's livekit-server and simulator.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as M from './matrix.mjs';

/** The issue's versions: the newest 1.0.z (npm view @livekit/agents versions), 1.4.7, 1.9.0. */
export const NODE_VERSIONS = ['1.0.51', '1.4.7', '1.9.0'];

/**
 * What each version does, read from its dist (and github:livekit/agents-js tags): generateReply has no
 * timeout before 1.9 (CreateResponseHandle's "TODO(shubhra): add timeout" in 1.0.51 and 1.4.7; 1.9.0
 * rejects with 'generateReply timed out.' after 10000 ms), and no version handles pre-connect audio
 * (no lk.agent.pre-connect-audio-buffer handler in any dist).
 */
export const NODE_FACTS = {
  '1.0.51': { replyTimeoutMs: null, preconnect: false },
  '1.4.7': { replyTimeoutMs: null, preconnect: false },
  '1.9.0': { replyTimeoutMs: 10000, preconnect: false },
};

/**
 * The scenarios: simulator scenarios (per connection, in the base URL), the agent's greeting, the
 * user's WAV and send-preconnect flags, the simulator's audio pace.
 */
export const NODE_SCENARIOS = {
  healthy: { sim: [], greet: 0, timeout: 20 },
  // past 10 s (1.9's timeout); the older versions wait without a bound (captured too: a slow reply, not a timeout)
  'delay-created': { sim: ['delay-created=11000'], greet: 1, timeout: 20, audio: 'silence' },
  'upgrade-401': { sim: ['upgrade-401'], greet: 0, timeout: 10 },
  'invalid-api-key': { sim: ['invalid-api-key'], greet: 0, timeout: 10 },
  'fail-insufficient-quota': { sim: ['fail-insufficient-quota'], greet: 1, timeout: 12 },
  'expire-after': { sim: ['expire-after=4000'], greet: 0, timeout: 12 },
  // agents-js queues its own generateReply calls (two greetings never overlap), so the conflict comes from a
  // generateReply on the user's speech end racing the server VAD's own response
  'active-response': { sim: [], greet: 0, replyOnUserStop: true, timeout: 15 },
  // two utterances with a pause, spoken straight through at real-time pace, the agent's reply 6 s long: the second
  // utterance starts while the reply to the first plays (without reply-audio agents-js has answered before it; with the
  // Python half's --join-delay 3000 the first utterance goes into the pre-connect buffer, which agents-js drops)
  'barge-in': {
    sim: ['reply-audio=6000'],
    greet: 0,
    timeout: 25,
    audio: 'fixtures/audio/two-part-pause.wav',
    args: ['--live', 'continuous'],
    audioPace: 1,
  },
};

export const NODE_LEVELS = ['info', 'debug'];

/**
 * Captures whose log cannot name the cause, written into their .expected.json (test/integration/version-logs.test.ts
 * leaves them out of "one cause, one code"): `shows: false` when agents-js logs nothing that states it at that
 * level; `gap` when the log states it and lkdiag does not read it yet (the test fails once it does).
 */
const NOT_AT_INFO = (what) => ({ shows: false, why: `agents-js logs nothing at info that states ${what}` });
const EXPIRE_SILENT = {
  shows: false,
  why: "agents-js reconnects on the 1001 close without logging its code or reason (debug: 'Reconnecting to OpenAI Realtime API' only); the simulator sends no session_expired error event before the close",
};
// before the plugin's 1.4.11 generateReply waits without a bound: no timeout happens, so no log states one
const UNTIMED_INFO = {
  shows: false,
  why: 'no generateReply timeout in this version (CreateResponseHandle: TODO add timeout): the reply comes 11 s late and nothing is logged at info',
};
const UNTIMED_DEBUG = {
  shows: false,
  why: "no generateReply timeout in this version: nothing times out; lkdiag names the 11 s wait from the Realtime events (response.create, its response.created 11 s later) as a slow reply (warning), not 'timed out'",
};
export const NODE_UNSHOWN = {
  'node-1.9.0-delay-created-debug': {
    shows: false,
    why: "no 'timed out' text: agents-js 1.9.0 logs no error when generateReply times out; lkdiag names it from the Realtime events' timing (response.create, its response.created 11 s later, the late discard)",
  },
  'node-1.9.0-delay-created-info': {
    shows: false,
    why: "agents-js 1.9.0 logs no error for the rejected generateReply; the only trace is the warning 'discarding response that arrived after it was timed out or interrupted', which an aborted generateReply logs too",
  },
  'node-1.0.51-fail-insufficient-quota-info': NOT_AT_INFO('the failed response (response.done status failed, insufficient_quota)'),
  'node-1.4.7-fail-insufficient-quota-info': NOT_AT_INFO('the failed response (response.done status failed, insufficient_quota)'),
  'node-1.0.51-delay-created-info': UNTIMED_INFO,
  'node-1.0.51-delay-created-debug': UNTIMED_DEBUG,
  'node-1.4.7-delay-created-info': UNTIMED_INFO,
  'node-1.4.7-delay-created-debug': UNTIMED_DEBUG,
  'node-1.0.51-expire-after-info': EXPIRE_SILENT,
  'node-1.0.51-expire-after-debug': EXPIRE_SILENT,
  'node-1.4.7-expire-after-info': EXPIRE_SILENT,
  'node-1.4.7-expire-after-debug': EXPIRE_SILENT,
  'node-1.9.0-expire-after-info': EXPIRE_SILENT,
  'node-1.9.0-expire-after-debug': EXPIRE_SILENT,
  'node-1.0.51-barge-in-info': NOT_AT_INFO('the cancelled reply (onInputSpeechStarted, nothing about the response)'),
  'node-1.4.7-barge-in-info': NOT_AT_INFO('the cancelled reply (onInputSpeechStarted, nothing about the response)'),
  'node-1.9.0-barge-in-info': NOT_AT_INFO('the cancelled reply (onInputSpeechStarted, nothing about the response)'),
};

export function nodeDir(version) {
  return join(M.matrixCache(), `node-${version}`);
}

/** npm install of one version (skipped when installed); the agent copied next to its node_modules. */
export function installNode(version) {
  const dir = nodeDir(version);
  const pkg = join(dir, 'node_modules', '@livekit', 'agents', 'package.json');
  if (!existsSync(pkg) || JSON.parse(readFileSync(pkg, 'utf8')).version !== version) {
    mkdirSync(dir, { recursive: true });
    const deps = { '@livekit/agents': version, '@livekit/agents-plugin-openai': version };
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: `lkdiag-matrix-node-${version}`, private: true, type: 'module', dependencies: deps })}\n`,
    );
    M.log(`npm install @livekit/agents@${version} in ${dir}`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  copyFileSync(join(M.ROOT, 'fixtures', 'agents', 'matrix', 'node', 'agent.mjs'), join(dir, 'agent.mjs'));
  return dir;
}

/** A 2 s silent 24 kHz mono WAV (a user who says nothing), made once in workDir. */
function silenceWav(workDir) {
  const file = join(workDir, 'silence-2s.wav');
  if (!existsSync(file)) {
    const data = 2 * 24000 * 2;
    const b = Buffer.alloc(44 + data);
    b.write('RIFF', 0);
    b.writeUInt32LE(36 + data, 4);
    b.write('WAVEfmt ', 8);
    b.writeUInt32LE(16, 16);
    b.writeUInt16LE(1, 20);
    b.writeUInt16LE(1, 22);
    b.writeUInt32LE(24000, 24);
    b.writeUInt32LE(48000, 28);
    b.writeUInt16LE(2, 32);
    b.writeUInt16LE(16, 34);
    b.write('data', 36);
    b.writeUInt32LE(data, 40);
    writeFileSync(file, b);
  }
  return file;
}

/** One session: the agent of `version` at `level` under `scenario`; returns the capture (trimmed log). */
export async function nodeSession({ livekit, sims, version, scenario, level, workDir }) {
  const sc = NODE_SCENARIOS[scenario];
  const sim = sims.get(sc.audioPace ?? 0);
  const name = `node-${version}-${scenario}-${level}`;
  const agentName = `mx-${name.replaceAll('.', '_')}-${Date.now() % 100000}`;
  const dir = nodeDir(version);
  const env = M.cleanEnv({
    LIVEKIT_URL: livekit.url,
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
    OPENAI_BASE_URL: sim.urlFor(sc.sim),
    OPENAI_API_KEY: 'sk-test',
    LKDIAG_AGENT_NAME: agentName,
    LKDIAG_AGENT_GREET: String(sc.greet),
    ...(sc.replyOnUserStop ? { LKDIAG_AGENT_REPLY_ON_USER_STOP: '1' } : {}),
    LKDIAG_AGENT_HTTP_PORT: String(await M.freeTcpPort()),
    NODE_ENV: 'production',
    ...(level === 'debug' ? { LK_OPENAI_DEBUG: '1' } : {}),
  });
  const args = ['agent.mjs', 'start', ...(level === 'debug' ? ['--log-level', 'debug'] : [])];
  const raw = join(workDir, `${name}.raw.log`);
  const agent = await M.startAgent({ label: name, cmd: process.execPath, args, cwd: dir, env, logFile: raw, readyTimeoutMs: 45000 });
  const user = await M.sendPreconnect({
    livekit,
    agentName,
    room: `room-${agentName}`,
    audio: sc.audio === 'silence' ? relative(M.ROOT, silenceWav(workDir)) : (sc.audio ?? 'fixtures/audio/two-part.wav'),
    args: ['--timeout', String(sc.timeout), ...(sc.args ?? [])],
    timeoutMs: (sc.timeout + 30) * 1000,
  });
  await M.sleep(1500);
  await agent.stop();
  return { name, text: M.trimToSession(agent.logs()), user };
}

/**
 * Every (version, scenario, level) session, sequentially, into fixtures/logs/versions/ (or `out`):
 * node-<version>-<scenario>-<level>.log + .expected.json (findings and exit code as trace log gives them).
 */
export async function runNodeMatrix({ versions = NODE_VERSIONS, scenarios = Object.keys(NODE_SCENARIOS), levels = NODE_LEVELS, out, workDir } = {}) {
  out ??= join(M.ROOT, 'fixtures', 'logs', 'versions');
  workDir ??= join(M.matrixCache(), 'work-node');
  mkdirSync(workDir, { recursive: true });
  for (const v of versions) installNode(v);
  const t0 = Date.now();
  const livekit = await M.startLivekitServer({ dir: join(workDir, 'livekit') });
  const sims = new Map();
  const results = [];
  try {
    for (const pace of new Set(scenarios.map((s) => NODE_SCENARIOS[s].audioPace ?? 0))) sims.set(pace, await M.startSim({ audioPace: pace || undefined }));
    for (const version of versions) {
      for (const scenario of scenarios) {
        for (const level of levels) {
          const s0 = Date.now();
          const { name, text, user } = await nodeSession({ livekit, sims, version, scenario, level, workDir });
          const extra = {
            format: 'pino',
            agent: `@livekit/agents ${version}`,
            scenario,
            level,
            simulator: NODE_SCENARIOS[scenario].sim,
            ...NODE_UNSHOWN[name],
          };
          const { expected } = await M.writeCapture(out, name, text, extra);
          M.log(`${name}: ${expected.findings.join(' ') || '(no findings)'} exit ${expected.exitCode} (user exit ${user.code}, ${Date.now() - s0} ms)`);
          results.push({ name, ...expected, ms: Date.now() - s0 });
        }
      }
    }
  } finally {
    for (const s of sims.values()) await s.close();
    await livekit.stop();
    await M.stopAll();
  }
  M.log(`node matrix: ${results.length} captures in ${Math.round((Date.now() - t0) / 1000)} s`);
  return results;
}

/** fixtures/wordings/node-livekit-agents-<version>.json for each installed version. */
export async function writeNodeWordings({ versions = NODE_VERSIONS } = {}) {
  const { eventFor } = await import(join(M.ROOT, 'dist', 'sources', 'logs', 'messages.js'));
  const dir = join(M.ROOT, 'fixtures', 'wordings');
  mkdirSync(dir, { recursive: true });
  for (const v of versions) {
    const w = versionWordings(installNode(v), eventFor);
    const head = {
      version: v,
      extractedFrom: ['@livekit/agents dist: voice/, llm/realtime*, ipc/, worker.js, job.js', '@livekit/agents-plugin-openai dist: realtime/'],
      note: "how: the logger level, or throw (an Error's message); text: `{}` for each template substitution; sample: text with each `{}` as 0; kind: the trace-event kind the wording tables give a pino record of the sample (openai.*: a Realtime event line, whatever its type); null: read as a plain log line",
    };
    writeFileSync(join(dir, `node-livekit-agents-${v}.json`), `${JSON.stringify({ ...head, ...w }, null, 1)}\n`);
    M.log(`wordings ${v}: ${w.wordings.length} strings, ${w.wordings.filter((x) => x.kind).length} mapped`);
  }
}

/**
 * Re-reads every node-*.log capture with today's trace log and rewrites its findings and exit code
 * (the other fields kept): after a table or rule change, the captures themselves never change.
 */
export async function reexpectNode({ dir = join(M.ROOT, 'fixtures', 'logs', 'versions') } = {}) {
  for (const f of readdirSync(dir).filter((n) => /^node-.*\.log$/.test(n))) {
    const exp = join(dir, f.replace(/\.log$/, '.expected.json'));
    const old = existsSync(exp) ? JSON.parse(readFileSync(exp, 'utf8')) : {};
    const t = await M.traceLog(join(dir, f));
    if (!t.report) {
      M.log(`${f}: trace log printed no report (exit ${t.exitCode}): kept as it was`);
      continue;
    }
    const { shows, gap, why, findings: _f, exitCode: _e, ...rest } = old;
    const next = { ...rest, ...NODE_UNSHOWN[f.replace(/\.log$/, '')], findings: t.findings, exitCode: t.exitCode };
    if (JSON.stringify(next) !== JSON.stringify(old)) M.log(`${f}: ${(old.findings ?? []).join(' ')} -> ${t.findings.join(' ')} exit ${t.exitCode}`);
    writeFileSync(exp, `${JSON.stringify(next, null, 2)}\n`);
  }
}

/**
 * The Node half's command line (scripts/version-matrix.mjs --node …, or this file run directly):
 * [--wordings | --reexpect] [--versions 1.9.0,…] [--scenarios healthy,…] [--levels info,debug] [--out DIR] [--work DIR]
 */
export async function nodeMain(argv = process.argv) {
  const arg = (k) => {
    const i = argv.indexOf(k);
    return i > 0 ? argv[i + 1]?.split(',') : undefined;
  };
  if (argv.includes('--wordings')) await writeNodeWordings({ versions: arg('--versions') });
  else if (argv.includes('--reexpect')) await reexpectNode();
  else
    await runNodeMatrix({
      versions: arg('--versions'),
      scenarios: arg('--scenarios'),
      levels: arg('--levels'),
      out: arg('--out')?.[0],
      workDir: arg('--work')?.[0],
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await nodeMain();
