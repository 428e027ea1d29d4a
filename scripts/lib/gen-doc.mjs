// Shared by the doc generators (scripts/gen-*-doc.mjs): load the TypeScript sources directly — a module
// hook transpiles them with the project's own `typescript` (no build, no tsx) — and write a generated doc,
// or with `--check` exit 1 when the committed file is out of date.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = new URL('../../', import.meta.url);
const tsUrl = pathToFileURL(createRequire(import.meta.url).resolve('typescript')).href;

const hooks = `
let ts;
export async function initialize({ tsUrl }) { ts = (await import(tsUrl)).default; }
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && context.parentURL && context.parentURL.endsWith('.ts') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
    const url = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    try { await import('node:fs').then((fs) => fs.promises.access(url)); return { url: url.href, shortCircuit: true }; } catch {}
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const fs = await import('node:fs/promises');
  const text = await fs.readFile(new URL(url), 'utf8');
  const out = ts.transpileModule(text, { fileName: url, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { parentURL: import.meta.url, data: { tsUrl } });

/** Imports a module of the repository by its path from the root (a .ts source is transpiled on the fly). */
export const load = (path) => import(new URL(path, root).href);

/** Writes `doc` (a path from the root) with `text`, or checks it under --check; `summary` for the "wrote" line. */
export async function writeOrCheck(doc, text, script, summary) {
  const target = fileURLToPath(new URL(doc, root));
  if (process.argv.includes('--check')) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current !== text) {
      process.stderr.write(`${doc} is out of date: run \`npm run ${script}\`\n`);
      process.exit(1);
    }
    process.stdout.write(`${doc} is up to date\n`);
  } else {
    await writeFile(target, text);
    process.stdout.write(`wrote ${doc} (${summary})\n`);
  }
}
