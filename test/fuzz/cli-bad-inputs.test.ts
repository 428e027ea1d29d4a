/**
 * Bad input, at scale, through the real CLI: every case either gives a normal result or exits 2 with
 * exactly `error: …` / `hint: …` on stderr — no stack trace, no hang (a time bound per case), no
 * unbounded memory (each child runs with --max-old-space-size=256).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lkdiag, type CliResult } from '../helpers/cli.js';
import { LOG_LINES, makeWav, validLog, type WavSpec } from './inputs/make.js';

let dir: string;
const p = (name: string) => join(dir, name);
const MEM = { NODE_OPTIONS: '--max-old-space-size=256' };
/** A LiveKit target that is never reached: every case here fails (or not) before connecting. */
const LK = { LIVEKIT_URL: 'ws://127.0.0.1:1', LIVEKIT_API_KEY: 'APIfuzzkey', LIVEKIT_API_SECRET: 'fuzz-secret-never-printed' };

/** Writers feeding FIFOs; killed in afterAll whatever happened. */
const writers: Array<ReturnType<typeof spawn>> = [];
function fifo(name: string, content?: string): string {
  const path = p(name);
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  if (content !== undefined) {
    // a writer that opens the FIFO when a reader does, writes, and closes it
    const w = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(path)}, ${JSON.stringify(content)})`], { stdio: 'ignore' });
    writers.push(w);
  }
  return path;
}

const random = (n: number, seed: number): Buffer => {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
};

function expectUsageError(r: CliResult, message: RegExp, stdoutToo = false): void {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect({ code: r.code, lines }).toMatchObject({ code: 2 });
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^hint: \S/);
  expect(r.stderr).not.toMatch(/\n\s+at .+[:(]\d+/); // no stack frame
  expect(r.stderr + r.stdout).not.toContain(LK.LIVEKIT_API_SECRET);
  if (!stdoutToo) expect(r.stdout).toBe('');
}

type Setup = () => string[];
interface Case {
  name: string;
  args: Setup;
  /** Exit 2 with this message; or a normal result with this exit code and the parse stats it read. */
  error?: RegExp;
  code?: number;
  parse?: Record<string, number>;
  env?: Record<string, string>;
  cwd?: () => string;
  input?: string;
  ms?: number;
  /** The report is printed before the error (trace log --html: the timeline is not lost). */
  stdoutToo?: boolean;
}

// ───────────── trace log: files that are not logs, and logs that are merely odd ─────────────
const traceLog: Case[] = [
  {
    name: 'random bytes (64 KiB)',
    args: () => (writeFileSync(p('rand.bin'), random(65536, 1)), ['trace', 'log', p('rand.bin')]),
    error: /no log line recognised .*\(binary data\)/,
  },
  { name: 'empty file', args: () => (writeFileSync(p('empty.log'), ''), ['trace', 'log', p('empty.log')]), error: /empty/ },
  { name: '/dev/null', args: () => ['trace', 'log', '/dev/null'], error: /\/dev\/null is empty/ },
  { name: 'a directory', args: () => ['trace', 'log', dir], error: /is a directory/ },
  { name: 'a dangling symlink', args: () => (symlinkSync(p('nowhere'), p('dangling.log')), ['trace', 'log', p('dangling.log')]), error: /no such file/ },
  {
    name: 'a path through a file (ENOTDIR)',
    args: () => (writeFileSync(p('plain'), 'x'), ['trace', 'log', join(p('plain'), 'agent.log')]),
    error: /cannot read .*ENOTDIR/,
  },
  { name: 'no such file', args: () => ['trace', 'log', p('missing.log')], error: /no such file/ },
  {
    name: 'only blank lines (100k)',
    args: () => (writeFileSync(p('blank.log'), '\n \t\r\n'.repeat(100_000)), ['trace', 'log', p('blank.log')]),
    error: /all blank/,
  },
  {
    name: 'one 10 MB line, no newline',
    args: () => (writeFileSync(p('long.log'), 'x'.repeat(10_000_000)), ['trace', 'log', p('long.log')]),
    error: /lines longer than 1024 KiB/,
  },
  {
    name: 'a 10 MB line among valid lines',
    args: () => (writeFileSync(p('long-mixed.log'), `${validLog()}${'{'.repeat(10_000_000)}\n${validLog()}`), ['--json', 'trace', 'log', p('long-mixed.log')]),
    code: 0,
    parse: { lines: 11, recognised: 10, oversized: 1 },
  },
  {
    name: 'a line of exactly 1 MiB + 1 byte',
    args: () => (writeFileSync(p('edge.log'), `${'a'.repeat(1024 * 1024 + 1)}\n${validLog()}`), ['--json', 'trace', 'log', p('edge.log')]),
    code: 0,
    parse: { lines: 6, recognised: 5, oversized: 1 },
  },
  {
    name: 'NUL bytes inside lines',
    args: () => (
      writeFileSync(p('nul.log'), `${validLog()}${LOG_LINES.pythonText(50).replace('INFO', 'IN\0FO')}\n\0\0\0\n`), ['--json', 'trace', 'log', p('nul.log')]
    ),
    code: 0,
    parse: { lines: 7, recognised: 5, binary: 2 },
  },
  {
    name: 'truncated UTF-8 at the end of a line',
    args: () => (
      writeFileSync(
        p('trunc8.log'),
        Buffer.concat([Buffer.from(validLog()), Buffer.from('2025-09-13 23:25:09,000 - INFO livekit.agents - caf'), Buffer.from([0xc3]), Buffer.from('\n')]),
      ),
      ['--json', 'trace', 'log', p('trunc8.log')]
    ),
    code: 0,
    parse: { lines: 6, recognised: 5, invalidUtf8: 1 },
  },
  {
    name: 'a file cut in the middle of a JSON record',
    args: () => (writeFileSync(p('cut.log'), validLog() + LOG_LINES.pythonJson(60).slice(0, 40)), ['--json', 'trace', 'log', p('cut.log')]),
    // The cut record is read as far as it goes (json-repair, issue #12: pasted excerpts end mid-record); no finding.
    code: 0,
    parse: { lines: 6, recognised: 6, unrecognised: 0 },
  },
  {
    name: 'only invalid UTF-8 (latin1 text)',
    args: () => (writeFileSync(p('latin1.log'), Buffer.from('caf\xe9 cr\xe8me br\xfbl\xe9e\n'.repeat(50), 'latin1')), ['trace', 'log', p('latin1.log')]),
    error: /not UTF-8/,
  },
  {
    name: 'UTF-16LE with BOM (PowerShell >)',
    args: () => (
      writeFileSync(p('utf16.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(validLog(), 'utf16le')])), ['trace', 'log', p('utf16.log')]
    ),
    error: /no log line recognised/,
  },
  {
    name: 'UTF-8 BOM before the first record',
    args: () => (writeFileSync(p('bom.log'), `\uFEFF${validLog()}`), ['--json', 'trace', 'log', p('bom.log')]),
    code: 0,
    parse: { lines: 5, recognised: 5 },
  },
  {
    name: 'CRLF line endings',
    args: () => (writeFileSync(p('crlf.log'), validLog('\r\n')), ['--json', 'trace', 'log', p('crlf.log')]),
    code: 0,
    parse: { lines: 5, recognised: 5 },
  },
  {
    name: 'CR-only line endings (one long line)',
    args: () => (writeFileSync(p('cr.log'), validLog('\r')), ['trace', 'log', p('cr.log')]),
    error: /no log line recognised in 1 line/,
  },
  {
    name: 'JSON nested 500k deep',
    args: () => (
      writeFileSync(p('deep.log'), `${'['.repeat(500_000)}${']'.repeat(500_000)}\n{"a":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_001)}\n${validLog()}`),
      ['--json', 'trace', 'log', p('deep.log')]
    ),
    code: 0,
    parse: { lines: 7, recognised: 5, unrecognised: 2 },
  },
  {
    name: 'a 900 KB message in a valid record',
    args: () => (writeFileSync(p('bigmsg.log'), `${LOG_LINES.pythonJson(0, 'm'.repeat(900_000))}\n${validLog()}`), ['--json', 'trace', 'log', p('bigmsg.log')]),
    code: 0,
    parse: { lines: 6, recognised: 6 },
  },
  {
    name: 'records with wrong field types',
    args: () => (
      writeFileSync(
        p('types.log'),
        `${[
          JSON.stringify({ message: 42, level: 'INFO', name: 'x', timestamp: '2025-09-13T23:25:08+00:00' }),
          JSON.stringify({ message: 'x', level: ['INFO'], name: {}, timestamp: 1e300 }),
          JSON.stringify({ level: 30, time: 'yesterday', msg: null }),
          JSON.stringify({ level: 1e308, time: -1e308, msg: 'x' }),
          JSON.stringify({ t: 'soon', source: 'room', kind: 'room.x', data: null }),
          JSON.stringify({ t: 1e300, source: 7, kind: '', data: [] }),
          JSON.stringify({ schema: 'lkdiag/v1', command: 'trace log', events: 'not a list', findings: 5 }),
          '9999-99-99 99:99:99,999 - INFO livekit.agents - impossible date',
          '2025-09-13 23:25:08,000 - NOTALEVEL livekit.agents - odd level',
        ].join('\n')}\n${validLog()}`,
      ),
      ['--json', 'trace', 'log', p('types.log')]
    ),
    code: 0,
    parse: { lines: 14 },
  },
  {
    name: 'LK_OPENAI_DEBUG payloads that do not parse',
    args: () => (
      writeFileSync(
        p('dbg.log'),
        `${[
          `${LOG_LINES.openaiDebug(0).split('>>>')[0]}>>> {'type': 'response.create', 'event_id': `,
          `${LOG_LINES.openaiDebug(0).split('>>>')[0]}>>> ${'['.repeat(100_000)}`,
          `${LOG_LINES.openaiDebug(0).split('>>>')[0]}<<< {"type": "response.done", "response": ${'{"x":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
          `${LOG_LINES.openaiDebug(0).split('>>>')[0]}>>> {'type': b'\\xff\\U0010ffff\\777', 'x': <object at 0x1>}`,
        ].join('\n')}\n${validLog()}`,
      ),
      ['--json', 'trace', 'log', p('dbg.log')]
    ),
    code: 0,
    parse: { lines: 9 },
  },
  {
    name: '1,000,000 short junk lines (bounded time)',
    args: () => (writeFileSync(p('many.log'), 'x\n'.repeat(1_000_000) + validLog()), ['--json', 'trace', 'log', p('many.log')]),
    code: 0,
    parse: { lines: 1_000_005, recognised: 5, unrecognised: 1_000_000 },
    ms: 30_000,
  },
  {
    name: 'a FIFO with a writer (valid log)',
    args: () => ['--json', 'trace', 'log', fifo('log.fifo', validLog())],
    code: 0,
    parse: { lines: 5, recognised: 5 },
  },
  {
    name: 'a FIFO with a writer (junk)',
    args: () => ['trace', 'log', fifo('junk.fifo', 'not a log\n'.repeat(10))],
    error: /no log line recognised in 10 line/,
  },
  { name: 'stdin: empty', args: () => ['trace', 'log', '-'], input: '', error: /stdin is empty/ },
  { name: 'stdin: NULs and lone surrogates', args: () => ['trace', 'log', '-'], input: '\0\0\0\n\ud800\udfff\ud800\n', error: /no log line recognised/ },
  { name: 'stdin: a valid log', args: () => ['--json', 'trace', 'log', '-'], input: validLog(), code: 0, parse: { lines: 5, recognised: 5 } },
  {
    name: '--html into a missing directory',
    args: () => (writeFileSync(p('ok.log'), validLog()), ['trace', 'log', p('ok.log'), '--html', join(p('nodir'), 'x', 't.html')]),
    error: /cannot write .*ENOENT/,
    stdoutToo: true,
  },
  {
    name: '--html onto a directory',
    args: () => (writeFileSync(p('ok2.log'), validLog()), ['trace', 'log', p('ok2.log'), '--html', dir]),
    error: /cannot write .*EISDIR/,
    stdoutToo: true,
  },
  { name: 'no file argument', args: () => ['trace', 'log'], error: /missing required argument/ },
  // trace log takes several files (an agent's log and the server's): each must exist, the first missing one is named
  { name: 'two file arguments, neither there', args: () => ['trace', 'log', 'a', 'b'], error: /no such file: a/ },
];

// ───────────── WAV files given to --audio (probe-openai --simulate reads them before anything else) ─────────────
const wavCases: Array<[string, WavSpec | Buffer | (() => string), RegExp]> = [
  ['random bytes', random(4096, 7), /not a WAV file/],
  ['RIFF header only', Buffer.from('RIFF\0\0\0\0WAVE'), /no fmt chunk/],
  ['0 channels', { channels: 0 }, /implausible header \(0 channels/],
  ['65535 channels', { channels: 65535, dataBytes: 131070 * 2 }, /implausible header \(65535 channels/],
  ['0 Hz', { rate: 0 }, /implausible header .* 0 Hz/],
  ['4294967295 Hz', { rate: 0xffffffff }, /implausible header .* 4294967295 Hz/],
  ['7-bit PCM', { bits: 7 }, /unsupported PCM bit depth 7/],
  ['64-bit PCM', { bits: 64 }, /unsupported PCM bit depth 64/],
  ['16-bit float', { code: 3, bits: 16 }, /unsupported float bit depth 16/],
  ['data chunk past EOF', { declaredData: 0xfffffff0 }, /truncated: the data chunk declares 4294967280 bytes/],
  ['data chunk missing', { noData: true }, /no data chunk/],
  ['fmt chunk missing', { noFmt: true }, /no fmt chunk/],
  ['fmt chunk of 14 bytes', { fmtSize: 14 }, /the fmt chunk is 14 bytes/],
  ['EXTENSIBLE with an 18-byte fmt', { code: 0xfffe, fmtSize: 18 }, /WAVE_FORMAT_EXTENSIBLE with a 18-byte fmt chunk/],
  ['EXTENSIBLE with a junk SubFormat', { code: 0xfffe, fmtSize: 40, ext: { sub: 0x1234 } }, /compressed codec format code 0x1234/],
  ['a LIST chunk that lies about its size', { extra: [{ id: 'LIST', body: Buffer.from('INFO'), size: 0xfffffff0 }] }, /no data chunk/],
  ['zero audio frames', { dataBytes: 1 }, /no audio frames/],
  ['μ-law', { code: 7, bits: 8 }, /compressed codec μ-law/],
  ['6 hours of 8 kHz audio in the header (a tiny rate)', { rate: 1000, dataBytes: 40_000_000 }, /minutes of audio \(at most 5/],
  ['a directory', () => dir, /is a directory/],
  ['/dev/zero', () => '/dev/zero', /not a regular file/],
  ['a FIFO with no writer', () => fifo('audio.fifo'), /not a regular file/],
  ['a dangling symlink', () => (symlinkSync(p('gone.wav'), p('dangling.wav')), p('dangling.wav')), /no such file/],
];
const wav: Case[] = wavCases.map(([name, spec, error], i) => ({
  name: `--audio: ${name}`,
  args: () => {
    let path: string;
    if (typeof spec === 'function') path = spec();
    else writeFileSync((path = p(`w${i}.wav`)), Buffer.isBuffer(spec) ? spec : makeWav(spec));
    return ['probe-openai', '--simulate', '--audio', path];
  },
  error,
}));
wav.push(
  {
    name: '--audio: odd block align, lying RIFF size, LIST chunks (still read)',
    args: () => (
      writeFileSync(
        p('oddwav.wav'),
        makeWav({ blockAlign: 3, riffSize: 4, extra: Array.from({ length: 12 }, () => ({ id: 'LIST', body: Buffer.from('INFO') })) }),
      ),
      ['--json', 'probe-openai', '--simulate', '--audio', p('oddwav.wav')]
    ),
    code: 0,
  },
  {
    name: 'send-preconnect --audio: a bad WAV fails before connecting',
    args: () => (
      writeFileSync(p('sp.wav'), makeWav({ channels: 0 })), ['send-preconnect', '--room', 'fuzz-room', '--audio', p('sp.wav'), '--dispatch', 'none']
    ),
    env: LK,
    error: /implausible header/,
  },
);

// ───────────── flags ─────────────
const flag = (name: string, args: string[], error: RegExp, env?: Record<string, string>): Case => ({ name, args: () => args, error, ...(env ? { env } : {}) });
const SP = ['send-preconnect', '--room', 'fuzz-room', '--audio', 'fixtures/audio/two-part.wav', '--dispatch', 'none'];
const flags: Case[] = [
  flag('--timeout 0', ['probe-openai', '--simulate', '--timeout', '0'], /positive number of seconds/),
  flag('--timeout -1', ['probe-openai', '--simulate', '--timeout', '-1'], /positive number of seconds/),
  flag('--timeout Infinity', ['probe-openai', '--simulate', '--timeout', 'Infinity'], /positive number of seconds/),
  flag('--timeout 1e400', ['probe-openai', '--simulate', '--timeout', '1e400'], /positive number of seconds/),
  flag('--timeout ""', ['probe-openai', '--simulate', '--timeout', ''], /positive number of seconds/),
  flag('--timeout 3000000 (overflows a timer)', ['probe-openai', '--simulate', '--timeout', '3000000'], /at most 2147483 seconds/),
  flag('--repeat 0', ['probe-openai', '--simulate', '--repeat', '0'], /positive whole number/),
  flag('--repeat 1.5', ['probe-openai', '--simulate', '--repeat', '1.5'], /positive whole number/),
  flag('--repeat NaN', ['probe-openai', '--simulate', '--repeat', 'NaN'], /positive whole number/),
  flag('--simulate no-such-scenario', ['probe-openai', '--simulate', 'no-such-scenario'], /no-such-scenario/),
  flag('--check nope', ['probe-openai', '--simulate', '--check', 'nope'], /expected one of: double-response/),
  flag('--api nope', ['probe-openai', '--simulate', '--api', 'nope'], /expected one of: ga, beta/),
  flag('--temperature warm', ['probe-openai', '--simulate', '--temperature', 'warm'], /expected a number/),
  flag('--simulate with --base-url', ['probe-openai', '--simulate', '--base-url', 'http://x'], /cannot be combined/),
  flag('--base-url not a URL', ['probe-openai', '--base-url', '::::', '--api-key', 'sk-fuzz'], /URL/),
  flag('--room with a slash', ['send-preconnect', '--room', 'a/b', '--audio', 'x.wav'], /invalid room name/, LK),
  flag('--room empty', ['send-preconnect', '--room', '', '--audio', 'x.wav'], /invalid room name/, LK),
  flag('--room 300 characters', ['send-preconnect', '--room', 'r'.repeat(300), '--audio', 'x.wav'], /invalid room name/, LK),
  flag('--room with NUL-like control characters', ['send-preconnect', '--room', 'a\u0007b\u001b', '--audio', 'x.wav'], /invalid room name/, LK),
  flag('--join-delay -1', [...SP, '--join-delay', '-1'], /milliseconds ≥ 0/, LK),
  flag('--join-delay 1e12 (overflows a timer)', [...SP, '--join-delay', '1e12'], /at most 2147483647 milliseconds/, LK),
  flag('--agent-timeout 0', [...SP, '--agent-timeout', '0'], /positive number of seconds/, LK),
  flag('--hold-open abc', [...SP, '--hold-open', 'abc'], /milliseconds ≥ 0/, LK),
  flag('--dispatch nope', [...SP, '--dispatch', 'nope'], /expected one of: api, token, none/, LK),
  flag('--mode nope', [...SP, '--mode', 'nope'], /expected one of: stream, snapshot/, LK),
  flag('--dispatch api without --agent-name', ['send-preconnect', '--room', 'r', '--audio', 'x.wav', '--dispatch', 'api'], /needs --agent-name/, LK),
  flag('LIVEKIT_URL not a URL', [...SP], /invalid LiveKit URL/, { ...LK, LIVEKIT_URL: 'not a url' }),
  flag('LIVEKIT_URL ftp://', [...SP], /unsupported LiveKit URL scheme/, { ...LK, LIVEKIT_URL: 'ftp://x' }),
  flag('smoke --repeat -3', ['smoke', '--agent-name', 'a', '--repeat', '-3'], /positive whole number/, LK),
  flag('smoke --concurrency abc', ['smoke', '--agent-name', 'a', '--concurrency', 'abc'], /positive whole number/, LK),
  flag('smoke --skip-gate nope', ['smoke', '--agent-name', 'a', '--skip-gate', 'nope'], /unknown gate "nope"/, LK),
  flag('smoke --first-audio-within 1e10', ['smoke', '--agent-name', 'a', '--first-audio-within', '1e10'], /at most 2147483 seconds/, LK),
  flag('smoke --room-prefix with a space', ['smoke', '--agent-name', 'a', '--room-prefix', 'a b'], /invalid room name/, LK),
  flag('mock-openai --port 70000', ['mock-openai', '--port', '70000'], /port number from 1 to 65535/),
  flag('mock-openai --port 0', ['mock-openai', '--port', '0'], /port number from 1 to 65535/),
  flag('mock-openai --host ""', ['mock-openai', '--host', ''], /not an empty string/),
  flag('mock-openai --duration 1e10', ['mock-openai', '--duration', '1e10'], /at most 2147483 seconds/),
  flag('mock-openai --scenario nope', ['mock-openai', '--scenario', 'nope', '--duration', '1'], /nope/),
  flag('mock-openai --record under /dev/null', ['mock-openai', '--record', '/dev/null/rec', '--duration', '1'], /--record \/dev\/null\/rec/),
  flag('an unknown command', ['frobnicate'], /unknown command 'frobnicate'/),
  flag('an unknown option', ['probe-openai', '--frobnicate'], /unknown option '--frobnicate'/),
];

// ───────────── smoke's lkdiag.config.json and the .env files ─────────────
function inDir(name: string, files: Record<string, string | Buffer | 'dir' | 'fifo' | { link: string }>): () => string {
  return () => {
    const d = p(name);
    mkdirSync(d);
    for (const [f, v] of Object.entries(files)) {
      const at = join(d, f);
      if (v === 'dir') mkdirSync(at);
      else if (v === 'fifo') spawnSync('mkfifo', [at]);
      else if (typeof v === 'object' && !Buffer.isBuffer(v)) symlinkSync(v.link, at);
      else writeFileSync(at, v);
    }
    return d;
  };
}
const smokeCfg = (name: string, content: string | Buffer | 'dir' | 'fifo' | { link: string }, error: RegExp): Case => ({
  name: `lkdiag.config.json: ${name}`,
  args: () => ['-q', 'smoke'], // -q: no "config: FILE" notice when the file is read
  cwd: inDir(`cfg-${name.replace(/\W+/g, '-')}`, { 'lkdiag.config.json': content }),
  error,
});
const config: Case[] = [
  smokeCfg('random bytes', random(2048, 3), /not valid JSON/),
  smokeCfg('empty', '', /not valid JSON/),
  smokeCfg('null', 'null', /must be a JSON object/),
  smokeCfg('an array', '[1,2]', /must be a JSON object/),
  smokeCfg('nested 1M deep', '['.repeat(1_000_000), /not valid JSON/),
  smokeCfg('larger than 1 MiB', JSON.stringify({ smoke: { agentName: 'a'.repeat(2_000_000) } }), /larger than 1 MiB/),
  smokeCfg('a directory', 'dir', /is a directory/),
  smokeCfg('a FIFO', 'fifo', /not a regular file/),
  smokeCfg('a symlink to /dev/zero', { link: '/dev/zero' }, /not a regular file/),
  smokeCfg('a prototype key in gates', '{"smoke":{"agentName":"a","gates":{"constructor":5}}}', /gates\.constructor is not a known gate setting/),
  smokeCfg('__proto__ in smoke', '{"smoke":{"__proto__":{"agentName":"a"}}}', /smoke\.__proto__ is not a known key/),
  smokeCfg('joinDelayMs 1e300', '{"smoke":{"agentName":"a","joinDelayMs":1e300}}', /joinDelayMs must be a number of milliseconds from 0 to 2147483647/),
  smokeCfg('a gate of 1e10 s', '{"smoke":{"agentName":"a","gates":{"agentJoinedWithinS":1e10}}}', /at most 2147483/),
  smokeCfg('gates a string', '{"smoke":{"agentName":"a","gates":"all"}}', /gates must be an object/),
  smokeCfg('skip a bad gate', '{"smoke":{"agentName":"a","gates":{"skip":["nope"]}}}', /must be a list of gate names/),
  smokeCfg('agentName a number', '{"smoke":{"agentName":7}}', /agentName must be a non-empty string/),
  smokeCfg('a BOM, otherwise valid (read: LIVEKIT_URL is next)', '\uFEFF{"smoke":{"agentName":"a"}}', /LIVEKIT_URL is not set/),
  {
    name: 'package.json "lkdiag" key after a BOM is read',
    args: () => ['smoke'],
    cwd: inDir('pkg-bom', { 'package.json': '\uFEFF{"lkdiag":{"smoke":{"agentName":7}}}' }),
    error: /package\.json \("lkdiag" key\): smoke\.agentName must be a non-empty string/,
  },
];
/** send-preconnect reads LIVEKIT_URL from .env: "no such file" for the WAV proves .env was read, "not set" that it was not. */
const dotenv = (name: string, files: Record<string, string | Buffer | 'dir' | 'fifo' | { link: string }>, error: RegExp): Case => ({
  name: `.env: ${name}`,
  args: () => ['send-preconnect', '--room', 'r', '--audio', 'missing.wav', '--dispatch', 'none'],
  cwd: inDir(`env-${name.replace(/\W+/g, '-')}`, files),
  error,
});
const ENV_OK = 'LIVEKIT_URL=ws://127.0.0.1:1\nLIVEKIT_API_KEY=k\nLIVEKIT_API_SECRET=fuzz-secret-never-printed\n';
config.push(
  dotenv('with a BOM and CRLF', { '.env': `\uFEFF${ENV_OK.replace(/\n/g, '\r\n')}` }, /missing\.wav: no such file/),
  dotenv('NUL bytes and junk around the values', { '.env': `\0\0junk\n${ENV_OK}=\n"unterminated\n` }, /missing\.wav: no such file/),
  dotenv('random bytes', { '.env': random(4096, 9) }, /LIVEKIT_URL is not set/),
  dotenv('a directory', { '.env': 'dir' }, /LIVEKIT_URL is not set/),
  dotenv('a FIFO with no writer (bounded)', { '.env': 'fifo' }, /LIVEKIT_URL is not set/),
  dotenv('a symlink to /dev/zero', { '.env': { link: '/dev/zero' } }, /LIVEKIT_URL is not set/),
  dotenv('a dangling .env.local beside a good .env', { '.env.local': { link: '/nonexistent/x' }, '.env': ENV_OK }, /missing\.wav: no such file/),
  dotenv('larger than 1 MiB', { '.env': `A=${'x'.repeat(2_000_000)}\n` }, /larger than 1 MiB: not a dotenv file/),
);

const ALL = [...traceLog, ...wav, ...flags, ...config];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lkdiag-fuzz-'));
});
afterAll(() => {
  for (const w of writers) w.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('bad input through the CLI', () => {
  it('covers at least 60 distinct concrete cases', () => {
    expect(new Set(ALL.map((c) => c.name)).size).toBe(ALL.length);
    expect(ALL.length).toBeGreaterThanOrEqual(60);
  });

  it.each(ALL.map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      const bound = c.ms ?? 10_000;
      const args = c.args();
      const r = await lkdiag(args, {
        env: { ...MEM, ...(c.env ?? {}) },
        timeoutMs: bound + 5_000,
        ...(c.cwd ? { cwd: c.cwd() } : {}),
        ...(c.input !== undefined ? { input: c.input } : {}),
      });
      expect(r.ms, `took ${r.ms} ms`).toBeLessThan(bound);
      if (c.error) {
        expectUsageError(r, c.error, c.stdoutToo);
        return;
      }
      expect({ code: r.code, stderr: r.stderr.split('\n').filter((l) => /^error:|\n\s+at /.test(l)) }).toEqual({ code: c.code, stderr: [] });
      if (c.parse) {
        const last = r.stdout.trimEnd().split('\n').pop()!;
        const report = JSON.parse(last) as { parse: Record<string, number> };
        expect(report.parse).toMatchObject(c.parse);
      }
    },
    45_000,
  );
});
