/**
 * Setup checks on Python sources (a source: emits `doctor.setup` facts, judges nothing).
 * Parser: Python's own `ast` module, via a helper script embedded below and run with
 * `python3 -c` (asynchronously, overlapping the TS/JS checks) (tsc does not copy .py files into dist/, so the script lives in this string).
 * If python3 is absent, a line-based regex scan gives the same facts with `parser: 'regex'`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SetupFact {
  check: string;
  file: string;
  line: number;
  snippet: string;
  language: 'python' | 'typescript' | 'javascript';
  parser: 'ast' | 'typescript' | 'regex';
  [k: string]: unknown;
}

const SCRIPT = `
import ast, json, sys
PREVIEW = ("gpt-4o-realtime-preview", "gpt-4o-mini-realtime-preview")
def fname(f):
    if isinstance(f, ast.Name): return f.id
    if isinstance(f, ast.Attribute): return f.attr
    return ""
def recv(f):
    if isinstance(f, ast.Attribute):
        v = f.value
        if isinstance(v, ast.Name): return v.id
        if isinstance(v, ast.Attribute): return v.attr
    return ""
def const(n):
    return n.value if isinstance(n, ast.Constant) else (None if not (isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub) and isinstance(n.operand, ast.Constant)) else -n.operand.value)
def main():
    out = []; errors = []
    for path in json.load(sys.stdin):
        try:
            src = open(path, encoding="utf-8", errors="replace").read()
            tree = ast.parse(src, filename=path)
        except (SyntaxError, ValueError) as e:
            errors.append({"file": path, "message": str(e)}); continue
        lines = src.splitlines()
        def fact(check, node, **kw):
            ln = getattr(node, "lineno", 1)
            out.append(dict(check=check, file=path, line=ln, snippet=(lines[ln-1].strip() if 0 < ln <= len(lines) else "")[:160], **kw))
        parents = {}
        for p in ast.walk(tree):
            for c in ast.iter_child_nodes(p): parents[c] = p
        def conditional(node, stop):
            p = parents.get(node)
            while p is not None and p is not stop:
                if isinstance(p, (ast.If, ast.IfExp, ast.Try, ast.While, ast.For, ast.AsyncFor, ast.Match if hasattr(ast, "Match") else ast.If)): return True
                p = parents.get(p)
            return False
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(PREVIEW):
                fact("model", node, model=node.value)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("gpt-realtime-2"):
                fact("realtime-2-model", node, model=node.value)
            if isinstance(node, (ast.Name, ast.Attribute)) and fname(node) == "RealtimeModelBeta":
                fact("beta-shape", node, construct="RealtimeModelBeta")
            if isinstance(node, ast.Dict):
                keys = {k.value: v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant)}
                if "create_response" in keys and const(keys["create_response"]) is False:
                    fact("turn-detection", node, createResponse=False, interruptResponse=const(keys["interrupt_response"]) if "interrupt_response" in keys else None)
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Subscript) and const(t.slice) == "LK_OPENAI_DEBUG" and isinstance(const(node.value), str):
                        fact("env", node, name="LK_OPENAI_DEBUG", value=const(node.value))
            if not isinstance(node, ast.Call): continue
            name = fname(node.func); kws = {k.arg: k.value for k in node.keywords if k.arg}
            if name in ("setdefault", "putenv") and len(node.args) >= 2 and const(node.args[0]) == "LK_OPENAI_DEBUG" and isinstance(const(node.args[1]), str):
                fact("env", node, name="LK_OPENAI_DEBUG", value=const(node.args[1]))
            if name in ("RealtimeModel", "with_azure", "RealtimeModelBeta"):
                fact("realtime-model", node, constructor=name)
                if "api_version" in kws: fact("beta-shape", node, construct="api_version", value=const(kws["api_version"]))
                if "azure_deployment" in kws or (name == "with_azure" and "api_version" in kws):
                    fact("azure-realtime", node, deployment=const(kws["azure_deployment"]) if "azure_deployment" in kws else None, model=const(kws["model"]) if "model" in kws else None, apiVersion=const(kws["api_version"]) if "api_version" in kws else None)
                if "temperature" in kws and isinstance(const(kws["temperature"]), (int, float)):
                    fact("temperature", node, value=const(kws["temperature"]), beta=(name == "RealtimeModelBeta" or "api_version" in kws))
                if "turn_detection" in kws and isinstance(kws["turn_detection"], ast.Constant) and kws["turn_detection"].value is None:
                    fact("turn-detection-off", node)
            if "create_response" in kws and const(kws["create_response"]) is False:
                ir = const(kws["interrupt_response"]) if "interrupt_response" in kws else None
                fact("turn-detection", node, createResponse=False, interruptResponse=ir)
            if "allow_interruptions" in kws and const(kws["allow_interruptions"]) is False:
                fact("allow-interruptions", node, value=False)
            if "pre_connect_audio" in kws and const(kws["pre_connect_audio"]) is False:
                fact("preconnect-disabled", node)
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.AsyncFunctionDef, ast.FunctionDef)): continue
            connects = []; starts = []
            for n in ast.walk(fn):
                if isinstance(n, ast.Await) and isinstance(n.value, ast.Call):
                    c = n.value; r = recv(c.func).lower()
                    if fname(c.func) == "connect" and ("ctx" in r or "context" in r or r == "job"): connects.append(n)
                if isinstance(n, ast.Call) and fname(n.func) == "start" and "session" in recv(n.func).lower(): starts.append(n)
            if connects and starts:
                first_start = min(starts, key=lambda s: (s.lineno, s.col_offset))
                early = [c for c in connects if (c.lineno, c.col_offset) < (first_start.lineno, first_start.col_offset)]
                if early:
                    c = early[0]
                    fact("connect-before-start", c, startLine=first_start.lineno, function=fn.name, conditional=conditional(c, fn))
    json.dump({"facts": out, "errors": errors}, sys.stdout)
main()
`;

export interface PySetupResult {
  facts: SetupFact[];
  parser: 'ast' | 'regex';
  errors: Array<{ file: string; message: string }>;
  note?: string;
}

/** Runs the ast helper asynchronously (so it overlaps with the TS/JS checks), bounded to 5 s. */
export async function pythonSetupFacts(root: string, files: string[], python = process.env['LKDIAG_PYTHON'] ?? 'python3'): Promise<PySetupResult> {
  if (files.length === 0) return { facts: [], parser: 'ast', errors: [] };
  const r = await new Promise<{ error?: string; status: number | null; stdout: string; stderr: string }>((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (v: { error?: string; status: number | null }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...v, stdout, stderr });
    };
    const child = spawn(python, ['-c', SCRIPT], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ error: 'timed out after 5 s', status: null });
    }, 5000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e: NodeJS.ErrnoException) => finish({ error: e.code ?? e.message, status: null }));
    child.on('close', (status) => finish({ status }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(files));
  });
  if (r.error || r.status !== 0) {
    const why = r.error ?? `exit ${r.status}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`;
    return { ...regexScan(root, files), note: `python3 ast helper unavailable (${why}); used a regex scan` };
  }
  const out = JSON.parse(r.stdout) as { facts: Array<Omit<SetupFact, 'language' | 'parser'>>; errors: Array<{ file: string; message: string }> };
  return { facts: out.facts.map((f) => ({ ...f, language: 'python', parser: 'ast' }) as SetupFact), parser: 'ast', errors: out.errors };
}

/** The clearly-labelled fallback: one regex per fact, line by line (comments skipped). */
export function regexScan(root: string, files: string[]): PySetupResult {
  const facts: SetupFact[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    const lines = text.split(/\r?\n/);
    let firstConnect: number | undefined;
    let firstStart: number | undefined;
    const add = (check: string, i: number, extra: Record<string, unknown> = {}) =>
      facts.push({ check, file, line: i + 1, snippet: lines[i]!.trim().slice(0, 160), language: 'python', parser: 'regex', ...extra });
    lines.forEach((raw, i) => {
      const l = raw.replace(/#.*$/, '');
      const model = /["'](gpt-4o(?:-mini)?-realtime-preview[^"']*)["']/.exec(l);
      if (model) add('model', i, { model: model[1] });
      const realtime2 = /["'](gpt-realtime-2[^"']*)["']/.exec(l);
      if (realtime2) add('realtime-2-model', i, { model: realtime2[1] });
      if (/\bRealtimeModelBeta\b/.test(l)) add('beta-shape', i, { construct: 'RealtimeModelBeta' });
      if (/\bapi_version\s*=/.test(l)) add('beta-shape', i, { construct: 'api_version', value: /\bapi_version\s*=\s*["']([^"']*)["']/.exec(l)?.[1] });
      if (/\bRealtimeModel\b|\bwith_azure\b/.test(l)) add('realtime-model', i, {});
      const temp = /\btemperature\s*=\s*(-?[0-9.]+)/.exec(l);
      if (temp) add('temperature', i, { value: Number(temp[1]), beta: false });
      if (/\bturn_detection\s*=\s*None\b/.test(l)) add('turn-detection-off', i, {});
      if (/\bcreate_response["']?\s*[=:]\s*False\b/.test(l))
        add('turn-detection', i, { createResponse: false, interruptResponse: /\binterrupt_response["']?\s*[=:]\s*False\b/.test(l) ? false : null });
      if (/\ballow_interruptions\s*=\s*False\b/.test(l)) add('allow-interruptions', i, { value: false });
      if (/\bpre_connect_audio\s*=\s*False\b/.test(l)) add('preconnect-disabled', i, {});
      const env = /LK_OPENAI_DEBUG["']\s*(?:\]\s*=|,)\s*["']([^"']*)["']/.exec(l);
      if (env) add('env', i, { name: 'LK_OPENAI_DEBUG', value: env[1] });
      if (firstConnect === undefined && /await\s+\w*(ctx|context)\w*\.connect\(/i.test(l)) firstConnect = i;
      if (firstStart === undefined && /\w*session\w*\.start\(/i.test(l)) firstStart = i;
    });
    if (firstConnect !== undefined && firstStart !== undefined && firstConnect < firstStart)
      add('connect-before-start', firstConnect, { startLine: firstStart + 1, conditional: false });
  }
  return { facts, parser: 'regex', errors: [] };
}
