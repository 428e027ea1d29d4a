/**
 * Setup checks on TS/JS sources (a source: emits `doctor.setup` facts). Parser: the TypeScript
 * compiler API (`ts.createSourceFile`, syntax only — no type checking, no program), which reads
 * .ts/.tsx/.js/.mjs/.cjs alike. Loaded lazily, and only for files that mention something a check
 * looks for (the token pre-filter below), so projects without agent code in TS/JS never load it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as TS from 'typescript';
import type { SetupFact } from './setup-python.js';

const PREVIEW = /^gpt-4o(-mini)?-realtime-preview/;
/** Realtime-2 models answer with several message items (preambles). */
const REALTIME2 = /^gpt-realtime-2/;
const RELEVANT =
  /connect|RealtimeModel|withAzure|realtime-preview|temperature|createResponse|create_response|allowInterruptions|preConnectBuffer|LK_OPENAI_DEBUG/;

export async function tsSetupFacts(root: string, files: string[]): Promise<{ facts: SetupFact[]; errors: Array<{ file: string; message: string }> }> {
  if (files.length === 0) return { facts: [], errors: [] };
  const facts: SetupFact[] = [];
  const errors: Array<{ file: string; message: string }> = [];
  const texts: Array<[string, string]> = [];
  for (const file of files) {
    try {
      const text = readFileSync(join(root, file), 'utf8');
      if (RELEVANT.test(text)) texts.push([file, text]);
    } catch (e) {
      errors.push({ file, message: (e as Error).message });
    }
  }
  if (texts.length === 0) return { facts, errors };
  // require(), not import(): ESM-importing this 9 MB CommonJS file runs the CJS export lexer over it,
  // which costs ~300 ms more than require (measured on Node 20).
  const ts = createRequire(import.meta.url)('typescript') as typeof TS;
  for (const [file, text] of texts) {
    const kind = /\.tsx$/.test(file)
      ? ts.ScriptKind.TSX
      : /\.ts$|\.mts$|\.cts$/.test(file)
        ? ts.ScriptKind.TS
        : /\.jsx$/.test(file)
          ? ts.ScriptKind.JSX
          : ts.ScriptKind.JS;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
    const language = kind === ts.ScriptKind.TS || kind === ts.ScriptKind.TSX ? 'typescript' : 'javascript';
    const lines = text.split(/\r?\n/);
    const lineOf = (n: TS.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const fact = (check: string, n: TS.Node, extra: Record<string, unknown> = {}) => {
      const line = lineOf(n);
      facts.push({ check, file, line, snippet: (lines[line - 1] ?? '').trim().slice(0, 160), language, parser: 'typescript', ...extra });
    };
    const calleeName = (e: TS.Expression): string => (ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '');
    const receiver = (e: TS.Expression): string => {
      if (!ts.isPropertyAccessExpression(e)) return '';
      const x = e.expression;
      return ts.isIdentifier(x) ? x.text : ts.isPropertyAccessExpression(x) ? x.name.text : x.kind === ts.SyntaxKind.ThisKeyword ? 'this' : '';
    };
    const propName = (p: TS.ObjectLiteralElementLike): string | undefined =>
      ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    const literal = (e: TS.Expression): unknown => {
      if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
      if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
      if (e.kind === ts.SyntaxKind.NullKeyword) return null;
      if (ts.isNumericLiteral(e)) return Number(e.text);
      if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
      if (ts.isStringLiteralLike(e)) return e.text;
      return undefined;
    };
    const props = (o: TS.ObjectLiteralExpression) =>
      new Map(o.properties.flatMap((p) => (propName(p) && ts.isPropertyAssignment(p) ? [[propName(p)!, p.initializer] as const] : [])));
    const insideConditional = (n: TS.Node, stop: TS.Node) => {
      for (let p = n.parent; p && p !== stop; p = p.parent)
        if (ts.isIfStatement(p) || ts.isConditionalExpression(p) || ts.isTryStatement(p) || ts.isSwitchStatement(p)) return true;
      return false;
    };

    const visitFunction = (fn: TS.Node) => {
      const connects: TS.Node[] = [];
      const starts: TS.Node[] = [];
      const walk = (n: TS.Node) => {
        if (n !== fn && ts.isFunctionLike(n)) return; // nested functions are visited on their own
        if (
          ts.isAwaitExpression(n) &&
          ts.isCallExpression(n.expression) &&
          calleeName(n.expression.expression) === 'connect' &&
          /ctx|context|^job$/i.test(receiver(n.expression.expression))
        )
          connects.push(n);
        if (ts.isCallExpression(n) && calleeName(n.expression) === 'start' && /session/i.test(receiver(n.expression))) starts.push(n);
        ts.forEachChild(n, walk);
      };
      ts.forEachChild(fn, walk);
      const firstStart = starts.sort((a, b) => a.getStart(sf) - b.getStart(sf))[0];
      const early = firstStart && connects.find((c) => c.getStart(sf) < firstStart.getStart(sf));
      if (early && firstStart) fact('connect-before-start', early, { startLine: lineOf(firstStart), conditional: insideConditional(early, fn) });
    };

    const visit = (n: TS.Node) => {
      if (ts.isFunctionLike(n)) visitFunction(n);
      if (ts.isStringLiteralLike(n) && PREVIEW.test(n.text)) fact('model', n, { model: n.text });
      if (ts.isStringLiteralLike(n) && REALTIME2.test(n.text)) fact('realtime-2-model', n, { model: n.text });
      if (ts.isIdentifier(n) && n.text === 'RealtimeModelBeta' && !(n.parent && ts.isImportSpecifier(n.parent)))
        fact('beta-shape', n, { construct: 'RealtimeModelBeta' });
      if (ts.isObjectLiteralExpression(n)) {
        const p = props(n);
        const cr = p.get('createResponse');
        if (cr && literal(cr) === false)
          fact('turn-detection', n, { createResponse: false, interruptResponse: p.has('interruptResponse') ? literal(p.get('interruptResponse')!) : null });
        const cr2 = p.get('create_response');
        if (cr2 && literal(cr2) === false)
          fact('turn-detection', n, { createResponse: false, interruptResponse: p.has('interrupt_response') ? literal(p.get('interrupt_response')!) : null });
        const ai = p.get('allowInterruptions');
        if (ai && literal(ai) === false) fact('allow-interruptions', ai, { value: false });
        const pcb = p.get('preConnectBuffer');
        if (pcb && literal(pcb) === true) fact('preconnect-client', pcb, { via: 'preConnectBuffer' });
      }
      // livekit-client: setMicrophoneEnabled(on, captureOptions, { preConnectBuffer: true }) — the publish options,
      // which livekit-client >= 2.15.4 no longer reads for the pre-connect recorder (client-sdk-js 744d0d5e).
      if (ts.isCallExpression(n) && calleeName(n.expression) === 'setMicrophoneEnabled') {
        const third = n.arguments[2];
        const pcb = third && ts.isObjectLiteralExpression(third) ? props(third).get('preConnectBuffer') : undefined;
        if (pcb && literal(pcb) === true) fact('preconnect-publish-options', n, { argument: 3 });
      }
      if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && ['RealtimeModel', 'withAzure', 'RealtimeModelBeta'].includes(calleeName(n.expression))) {
        const ctor = calleeName(n.expression);
        fact('realtime-model', n, { constructor: ctor });
        const opts = n.arguments?.find(ts.isObjectLiteralExpression);
        if (opts) {
          const p = props(opts);
          if (p.has('apiVersion')) fact('beta-shape', p.get('apiVersion')!, { construct: 'apiVersion' });
          if (p.has('azureDeployment') || (ctor === 'withAzure' && p.has('apiVersion'))) {
            const lit = (k: string) => (p.has(k) ? literal(p.get(k)!) : null);
            fact('azure-realtime', n, { deployment: lit('azureDeployment') ?? null, model: lit('model') ?? null, apiVersion: lit('apiVersion') ?? null });
          }
          const t = p.get('temperature');
          if (t && typeof literal(t) === 'number') fact('temperature', t, { value: literal(t), beta: ctor === 'RealtimeModelBeta' || p.has('apiVersion') });
          const td = p.get('turnDetection');
          if (td && literal(td) === null) fact('turn-detection-off', td);
        }
      }
      // process.env.LK_OPENAI_DEBUG = '…' / process.env['LK_OPENAI_DEBUG'] = '…'
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const l = n.left;
        const name = ts.isPropertyAccessExpression(l)
          ? l.name.text
          : ts.isElementAccessExpression(l) && ts.isStringLiteralLike(l.argumentExpression)
            ? l.argumentExpression.text
            : '';
        const v = literal(n.right);
        if (name === 'LK_OPENAI_DEBUG' && (typeof v === 'string' || typeof v === 'number')) fact('env', n, { name, value: String(v) });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    // parseDiagnostics is internal; a file that does not parse still yields a partial tree.
  }
  return { facts, errors };
}
