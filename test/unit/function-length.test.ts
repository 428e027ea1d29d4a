/**
 * Issue #11: the sources are built from named steps, not 200-line closures. Every function (declaration,
 * method, arrow, function expression) under src/sources/ stays within FUNCTION_LINES lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const FUNCTION_LINES = 80;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

function longFunctions(path: string, text: string, limit: number): string[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) {
      const start = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
      const lines = end - start + 1;
      const name = n.name && ts.isIdentifier(n.name) ? n.name.text : '(anonymous)';
      if (lines > limit) out.push(`${path}:${start + 1} ${name}: ${lines} lines`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('function length', () => {
  it('finds a long function (the check can fail)', () => {
    const body = Array.from({ length: 90 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    expect(longFunctions('x.ts', `function big() {\n${body}\n}\n`, FUNCTION_LINES)).toEqual(['x.ts:1 big: 92 lines']);
  });

  it(`no function in src/sources/ is over ${FUNCTION_LINES} lines`, () => {
    const long = files('src/sources').flatMap((f) => longFunctions(f, readFileSync(f, 'utf8'), FUNCTION_LINES));
    expect(long).toEqual([]);
  });
});
