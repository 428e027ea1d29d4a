// Every wording of every version (issue #12 item 4): the log and exception strings of one installed
// livekit-agents version, read from its site-packages with Python's own parser (ast), each with the
// trace-event kind lkdiag's wording tables give it today (null: not a fact lkdiag reads).
// Written to fixtures/wordings/python-livekit-agents-<version>.json; test/unit/wordings-per-version.test.ts
// proves every non-null kind still comes out of the tables.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, log } from './matrix.mjs';

/** Where the strings the tables map live (relative to site-packages/livekit). */
export const WORDING_PATHS = [
  'agents/voice',
  'agents/llm/realtime.py',
  'agents/llm/_realtime',
  'agents/multimodal', // 0.x S2S era
  'plugins/openai/realtime',
  'agents/worker.py',
  'agents/ipc',
  'agents/job.py',
  'agents/cli',
];

// Python: walk the files, print one JSON line per logger.<level>(<literal>, ...) and per <Name>Error("...")
// (raised, or set on a future as generate_reply's timeout is).
// f-strings keep their literal parts with {} for each placeholder; %-format args stay as in the source.
const EXTRACT = String.raw`
import ast, json, os, sys
root = sys.argv[1]
paths = sys.argv[2:]
LEVELS = {"debug", "info", "warning", "warn", "error", "exception", "critical"}
def text(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, False
    if isinstance(node, ast.JoinedStr):
        out = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                out.append(str(v.value))
            else:
                out.append("{" + ast.unparse(v.value) + "}")
        return "".join(out), True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = text(node.left), text(node.right)
        if a and b:
            return a[0] + b[0], a[1] or b[1]
    return None
def files():
    for p in paths:
        full = os.path.join(root, p)
        if os.path.isfile(full):
            yield full
        elif os.path.isdir(full):
            for d, _, fs in os.walk(full):
                for f in sorted(fs):
                    if f.endswith(".py"):
                        yield os.path.join(d, f)
seen = set()
for f in files():
    try:
        tree = ast.parse(open(f, encoding="utf-8").read())
    except SyntaxError:
        continue
    rel = os.path.relpath(f, root)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in LEVELS and node.args:
            recv = node.func.value
            name = recv.id if isinstance(recv, ast.Name) else (recv.attr if isinstance(recv, ast.Attribute) else "")
            if "log" not in name.lower():
                continue
            t = text(node.args[0])
            if not t:
                continue
            key = ("log", node.func.attr, t[0])
            if key in seen:
                continue
            seen.add(key)
            print(json.dumps({"source": "log", "level": node.func.attr, "text": t[0], "template": t[1] or (len(node.args) > 1), "file": rel}))
        elif isinstance(node, ast.Call) and (node.args or node.keywords) and isinstance(node.func, (ast.Name, ast.Attribute)):
            fn = node.func
            cls = fn.id if isinstance(fn, ast.Name) else (fn.attr if isinstance(fn, ast.Attribute) else "")
            if not cls.endswith("Error"):
                continue
            first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "message"), None)
            t = text(first) if first is not None else None
            if not t:
                continue
            key = ("raise", cls, t[0])
            if key in seen:
                continue
            seen.add(key)
            print(json.dumps({"source": "raise", "level": cls, "text": t[0], "template": t[1], "file": rel}))
`;

/** The message a template would print: placeholders and %-conversions filled with "1". */
const S2S_ERROR_DICT =
  "{'type': 'error', 'event_id': 'event_1', 'error': {'type': 'invalid_request_error', 'code': 'session_expired', 'message': 'Your session hit the maximum duration of 30 minutes.', 'param': None, 'event_id': None}}";

export function sampleMessage(w) {
  // 0.x `OpenAI S2S error %s` with the server event dict
  if (w.source === 'log' && w.text === 'OpenAI S2S error %s') return `OpenAI S2S error ${S2S_ERROR_DICT}`;
  // the provider label the 1.8 realtime code prints in place of "OpenAI Realtime API"
  let s = w.text
    .replace(/%s(?=:)/g, '')
    .replace(/\{([^{}]*)\}/g, (_m, expr) =>
      /provider_label|_label\b/.test(expr)
        ? 'OpenAI Realtime API'
        : /^event\.error$/.test(expr)
          ? "RealtimeError(message='Invalid value', type='invalid_request_error', code='invalid_value', event_id=None, param=None)"
          : '1',
    );
  if (w.source === 'log' && w.template) s = s.replace(/%[-#0 +]*\d*(?:\.\d+)?[sdrfgi]/g, '1');
  return s;
}

/** The logger a file logs with (livekit.plugins.openai for the plugin, livekit.agents otherwise). */
export function loggerOf(file) {
  return file.startsWith('plugins/openai') ? 'livekit.plugins.openai' : 'livekit.agents';
}

const PY_LEVEL = { debug: 'debug', info: 'info', warning: 'warning', warn: 'warning', error: 'error', exception: 'error', critical: 'critical' };

/** A record as the python-json reader builds it; raised errors as the record that logs them. */
/**
 * Extras a record of this message carries when the agent logs it (the Realtime API error record has
 * the error object in `error`): stored with the wording, so the test builds the same record.
 */
export function extrasFor(w) {
  if (w.source === 'log' && /^(?:OpenAI Realtime API|\{[^}]*\}) returned an error$/.test(w.text)) {
    return { error: "Error(message='Invalid value', type='invalid_request_error', code='invalid_value', param=None, event_id=None)" };
  }
  return undefined;
}

export function recordOf(w) {
  const message = sampleMessage(w);
  if (w.source === 'raise') {
    // what a log shows of a raised error: the last line of the traceback under an error record
    return {
      t: 0,
      level: 'error',
      logger: loggerOf(w.file),
      message: 'Error in _main_task',
      extras: { exc_info: `Traceback (most recent call last):\n  File "x.py", line 1, in f\n${w.level}: ${message}` },
      line: 1,
      format: 'python-json',
      framework: 'python',
    };
  }
  return {
    t: 0,
    level: PY_LEVEL[w.level] ?? 'info',
    logger: loggerOf(w.file),
    message,
    extras: { ...(w.extras ?? {}) },
    line: 1,
    format: 'python-json',
    framework: 'python',
  };
}

export async function kindOf(w) {
  const { eventFor } = await import(join(ROOT, 'dist', 'sources', 'logs', 'messages.js'));
  const e = eventFor(recordOf(w), false);
  return e ? e.kind : null;
}

export async function writeWordings(version, sitePackages, { lang = 'python-livekit-agents' } = {}) {
  const root = join(sitePackages, 'livekit');
  const py = join(sitePackages, '..', '..', '..', 'bin', 'python');
  const out = execFileSync(existsSync(py) ? py : 'python3', ['-c', EXTRACT, root, ...WORDING_PATHS], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wordings = [];
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const w = JSON.parse(line);
    const extras = extrasFor(w);
    if (extras) w.extras = extras;
    const r = recordOf(w);
    // the record the test rebuilds: what a python-json log line of this wording reads as
    wordings.push({ ...w, record: { level: r.level, logger: r.logger, message: r.message, extras: r.extras }, kind: await kindOf(w) });
  }
  wordings.sort((a, b) => a.file.localeCompare(b.file) || a.text.localeCompare(b.text));
  const dir = join(ROOT, 'fixtures', 'wordings');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${lang}-${version}.json`);
  const doc = {
    package: `livekit-agents ${version} + livekit-plugins-openai ${version}`,
    extractedFrom: WORDING_PATHS.map((p) => `livekit/${p}`),
    note: 'record: the python-json record a log line of this wording reads as (f-string parts and %-args filled with samples; a raised error as the last line of a traceback under an error record); kind: the trace-event kind the wording tables give a record of this message (raise: the error at the end of a traceback); null: not a fact lkdiag reads',
    wordings,
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 1)}\n`);
  const mapped = wordings.filter((w) => w.kind).length;
  log(`${file}: ${wordings.length} strings, ${mapped} mapped`);
  return { file, total: wordings.length, mapped };
}

/**
 * Sources only (no venv): `pip download --no-deps` of the two wheels, unzipped, for versions the matrix
 * does not run (the 0.x S2S era: livekit-agents 0.12.21 + livekit-plugins-openai 0.12.4).
 */
export function sourcesOnly(cacheDir, agentsVersion, pluginVersion) {
  const dir = join(cacheDir, `py-${agentsVersion}-src`);
  const sp = join(dir, 'site-packages');
  if (existsSync(join(sp, 'livekit', 'agents', 'version.py'))) return sp;
  mkdirSync(dir, { recursive: true });
  const whl = join(dir, 'whl');
  execFileSync(
    'python3',
    [
      '-m',
      'pip',
      'download',
      '--disable-pip-version-check',
      '--no-deps',
      '-q',
      '-d',
      whl,
      `livekit-agents==${agentsVersion}`,
      `livekit-plugins-openai==${pluginVersion}`,
    ],
    { stdio: 'inherit' },
  );
  for (const f of execFileSync('ls', [whl], { encoding: 'utf8' })
    .split('\n')
    .filter((n) => n.endsWith('.whl'))) {
    execFileSync('python3', ['-m', 'zipfile', '-e', join(whl, f), sp], { stdio: 'inherit' });
  }
  return sp;
}
