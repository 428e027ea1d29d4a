import { describe, expect, it } from 'vitest';
import { PyReprError, parsePyRepr, pyReprToJson } from '../../src/sources/logs/pyrepr.js';

describe('Python repr → JSON', () => {
  it('reads dicts, lists, tuples, None/True/False and numbers', () => {
    expect(parsePyRepr("{'type': 'response.cancel'}")).toEqual({ type: 'response.cancel' });
    expect(parsePyRepr("{'a': None, 'b': True, 'c': False, 'd': [1, 2.5, -3, 1e-05], 'e': (1,), 'f': ()}")).toEqual({
      a: null,
      b: true,
      c: false,
      d: [1, 2.5, -3, 0.00001],
      e: [1],
      f: [],
    });
    expect(parsePyRepr('{}')).toEqual({});
    expect(parsePyRepr('[]')).toEqual([]);
    expect(parsePyRepr("{'n': {'m': {'k': [{'x': 1}]}}}")).toEqual({ n: { m: { k: [{ x: 1 }] } } });
  });

  it('handles both quote styles and escaped quotes inside strings', () => {
    expect(parsePyRepr(`{'s': "It's fine"}`)).toEqual({ s: "It's fine" });
    expect(parsePyRepr(`{'s': 'say \\'hi\\' and "bye"'}`)).toEqual({ s: `say 'hi' and "bye"` });
    expect(parsePyRepr(`{'s': "a \\"quoted\\" word and it's"}`)).toEqual({ s: 'a "quoted" word and it\'s' });
    expect(parsePyRepr(`{'p': 'C:\\\\path\\\\x'}`)).toEqual({ p: 'C:\\path\\x' });
  });

  it('decodes \\n \\t \\xhh \\uhhhh \\Uhhhhhhhh escapes and keeps non-ASCII text', () => {
    expect(parsePyRepr(`'line1\\nline2\\ttab\\x00\\x7f'`)).toBe('line1\nline2\ttab\u0000\u007f');
    expect(parsePyRepr(`'\\u2019 \\U0001f600 é 日本'`)).toBe('\u2019 😀 é 日本');
    expect(parsePyRepr(`'\\w stays'`)).toBe('\\w stays');
  });

  it('turns inf / nan into null and non-string keys into strings', () => {
    expect(parsePyRepr("{'max': inf, 'min': -inf, 'x': nan}")).toEqual({ max: null, min: null, x: null });
    expect(parsePyRepr('{1: "a", None: 2, True: 3, 2.5: 4}')).toEqual({ '1': 'a', null: 2, true: 3, '2.5': 4 });
  });

  it('reads bytes literals and sets', () => {
    expect(parsePyRepr("{'b': b'\\x01ab', 's': {1, 2}}")).toEqual({ b: '\u0001ab', s: [1, 2] });
  });

  it('allows trailing commas and whitespace', () => {
    expect(parsePyRepr("  {'a': [1, 2, ], 'b': 3, }  ")).toEqual({ a: [1, 2], b: 3 });
  });

  it('rejects what is not a literal', () => {
    expect(() => parsePyRepr("{'x': <object at 0x7f>}")).toThrow(PyReprError);
    expect(() => parsePyRepr("{'x': 'unterminated}")).toThrow(PyReprError);
    expect(() => parsePyRepr("{'x': 1} trailing")).toThrow(PyReprError);
    expect(() => parsePyRepr("{'x': Nonesuch}")).toThrow(PyReprError);
    expect(() => parsePyRepr("{'x': ResponseCreateEvent(type='response.create')}")).toThrow(PyReprError);
    expect(() => parsePyRepr('['.repeat(1000))).toThrow(PyReprError);
    expect(() => parsePyRepr('')).toThrow(PyReprError);
  });

  it('prints JSON', () => {
    expect(pyReprToJson("{'type': 'session.update', 'session': {'tracing': None}}")).toBe('{"type":"session.update","session":{"tracing":null}}');
  });
});
