#!/usr/bin/env node
/**
 * bench: `lkdiag trace log` on large generated agent logs (not a test).
 *
 *   node bench/trace-log.mjs [--lines 500000] [--repeat 3] [--keep]
 *
 * 1. Generates Python livekit-agents logs with LK_OPENAI_DEBUG traffic (`start`-mode JSON, and the
 *    dev text layout with JSON extras) in a temp dir: 100k, 500k and 1M JSON lines, 500k text lines.
 * 2. Times, side by side in the same run and each in its own child process:
 *      - baseline: a bare `readline` + `JSON.parse` loop over the same file;
 *      - `lkdiag --json trace log FILE > /dev/null` (the whole command: parse, NDJSON out, rules);
 *      - parse only (parseLogFile, events discarded).
 *    and every child's peak RSS (process.resourceUsage().maxRSS at exit). The four runs are
 *    repeated --repeat times, interleaved, and each mode's fastest run is kept (the machine may be
 *    shared: the minimum is the run least disturbed; every run's time is recorded beside it).
 * 3. Writes the numbers under "traceLog" in bench/results.json (read-modify-write: other benches
 *    keep their keys) and prints them.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, openSync, rmSync, statSync, closeSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = join(ROOT, 'bench/trace-log.child.mjs');
const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : def;
};
const MAIN = arg('--lines', 500_000);
const KEEP = args.includes('--keep');
const REPEAT = Math.max(1, arg('--repeat', 3));

// ---- generation -------------------------------------------------------------------------------

function* turnRecords(turn, t0) {
  let t = t0;
  const at = (ms) => {
    t += ms;
    return t;
  };
  const resp = `resp_${turn}`;
  const item = `item_a${turn}`;
  const rt = (dir, event) => ({ m: dir, name: 'livekit.plugins.openai', level: 'DEBUG', t: at(3), extra: { 'lk.pii.event': event } });
  yield rt('<<<', { type: 'input_audio_buffer.speech_started', event_id: `ev_${turn}_1`, audio_start_ms: turn * 4000, item_id: `item_u${turn}` });
  yield { m: 'eot prediction', name: 'livekit.agents', level: 'DEBUG', t: at(400), extra: { probability: 0.91, unlikely_threshold: 0.15, language: 'en' } };
  yield rt('<<<', { type: 'input_audio_buffer.speech_stopped', event_id: `ev_${turn}_2`, audio_end_ms: turn * 4000 + 1800, item_id: `item_u${turn}` });
  yield rt('<<<', { type: 'input_audio_buffer.committed', event_id: `ev_${turn}_3`, previous_item_id: null, item_id: `item_u${turn}` });
  yield { m: 'user turn committed', name: 'livekit.agents', level: 'DEBUG', t: at(2), extra: { last_speaking_time: t / 1000, delay_completed: true } };
  yield {
    m: 'received user transcript',
    name: 'livekit.agents',
    level: 'DEBUG',
    t: at(5),
    extra: { 'lk.pii.user_transcript': `I would like to check order number ${turn}, please.`, language: 'en', transcript_delay: 0.31 },
  };
  yield {
    m: 'conversation_item_added',
    name: 'livekit.agents',
    level: 'DEBUG',
    t: at(1),
    extra: { role: 'user', 'lk.pii.text': `I would like to check order number ${turn}, please.` },
  };
  yield rt('<<<', {
    type: 'response.created',
    event_id: `ev_${turn}_4`,
    response: { id: resp, object: 'realtime.response', status: 'in_progress', status_details: null, output: [], metadata: null, usage: null },
  });
  yield rt('<<<', {
    type: 'response.output_item.added',
    event_id: `ev_${turn}_5`,
    response_id: resp,
    output_index: 0,
    item: { id: item, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
  });
  yield rt('<<<', {
    type: 'conversation.item.added',
    event_id: `ev_${turn}_6`,
    previous_item_id: `item_u${turn}`,
    item: { id: item, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
  });
  yield rt('<<<', {
    type: 'response.content_part.added',
    event_id: `ev_${turn}_7`,
    response_id: resp,
    item_id: item,
    output_index: 0,
    content_index: 0,
    part: { type: 'audio', transcript: '' },
  });
  for (let i = 0; i < 36; i++) {
    yield rt('<<<', {
      type: 'response.output_audio.delta',
      event_id: `ev_${turn}_d${i}`,
      response_id: resp,
      item_id: item,
      output_index: 0,
      content_index: 0,
      delta: '...',
    });
    if (i % 3 === 0)
      yield rt('<<<', {
        type: 'response.output_audio_transcript.delta',
        event_id: `ev_${turn}_x${i}`,
        response_id: resp,
        item_id: item,
        output_index: 0,
        content_index: 0,
        delta: ' word',
      });
  }
  yield rt('<<<', { type: 'response.output_audio.done', event_id: `ev_${turn}_8`, response_id: resp, item_id: item, output_index: 0, content_index: 0 });
  yield rt('<<<', {
    type: 'response.output_audio_transcript.done',
    event_id: `ev_${turn}_9`,
    response_id: resp,
    item_id: item,
    output_index: 0,
    content_index: 0,
    transcript: 'Your order has shipped and will arrive on Tuesday.',
  });
  yield rt('<<<', {
    type: 'response.done',
    event_id: `ev_${turn}_10`,
    response: {
      id: resp,
      status: 'completed',
      status_details: null,
      output: [{ id: item, type: 'message', role: 'assistant', content: [{ type: 'audio', transcript: 'Your order has shipped.' }] }],
      usage: { total_tokens: 812, input_tokens: 640, output_tokens: 172 },
    },
  });
  yield {
    m: 'conversation_item_added',
    name: 'livekit.agents',
    level: 'DEBUG',
    t: at(2),
    extra: { role: 'assistant', 'lk.pii.text': 'Your order has shipped and will arrive on Tuesday.' },
  };
  if (turn % 10 === 0)
    yield rt('>>>', { type: 'session.update', event_id: `su_${turn}`, session: { type: 'realtime', instructions: 'You are a helpful support agent.' } });
  if (turn % 7 === 0) yield { m: 'http request', name: 'httpx', level: 'INFO', t: at(10), extra: { url: 'https://example.invalid/orders', status: 200 } };
}

const pad = (n, w = 2) => String(n).padStart(w, '0');
function asctime(t) {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
}

async function generate(file, lines, format) {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let n = 0;
  let turn = 0;
  let t = Date.UTC(2026, 0, 5, 9, 0, 0);
  let buf = '';
  const header =
    format === 'json'
      ? `${JSON.stringify({ message: 'starting worker', level: 'INFO', name: 'livekit.agents', version: '1.7.2', 'rtc-version': '1.0.19', timestamp: new Date(t).toISOString() })}\n`
      : `${asctime(t)} - INFO livekit.agents - starting worker {"version": "1.7.2"}\n`;
  buf += header;
  n++;
  while (n < lines) {
    for (const r of turnRecords(turn, t)) {
      if (n >= lines) break;
      t = r.t;
      buf +=
        format === 'json'
          ? `${JSON.stringify({ message: r.m, level: r.level, name: r.name, ...r.extra, pid: 4242, job_id: 'AJ_bench', timestamp: new Date(r.t).toISOString().replace('Z', '000+00:00') })}\n`
          : `${asctime(r.t)} - ${r.level} ${r.name} - ${r.m} ${JSON.stringify(r.extra)}\n`;
      n++;
      if (buf.length > 1 << 20) {
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
      }
    }
    turn++;
    t += 1500;
  }
  out.end(buf);
  await once(out, 'close');
  return { file, lines: n, bytes: statSync(file).size, turns: turn };
}

// ---- measurement ------------------------------------------------------------------------------

function child(mode, file) {
  const devnull = openSync('/dev/null', 'w');
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CHILD, mode, file], {
    cwd: ROOT,
    stdio: ['ignore', devnull, 'pipe'],
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    maxBuffer: 16 << 20,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  closeSync(devnull);
  const m = /LKDIAG_BENCH (\{.*\})/.exec(r.stderr.toString());
  if (!m) throw new Error(`${mode} on ${file} failed (exit ${r.status}): ${r.stderr.toString().slice(-2000)}`);
  const info = JSON.parse(m[1]);
  return { ms: Math.round(ms), exit: r.status, maxRssMB: Math.round(info.maxRSS / 1024), ...(info.lines !== undefined ? { linesSeen: info.lines } : {}) };
}

const rate = (lines, ms) => Math.round((lines / ms) * 1000);

async function main() {
  if (!existsSync(join(ROOT, 'dist/commands/trace-log.run.js'))) {
    console.error('build first: npx tsc -p tsconfig.json');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'lkdiag-bench-trace-log-'));
  console.error(`generating logs in ${dir} …`);
  const files = {
    json100k: await generate(join(dir, 'agent-100k.jsonl'), 100_000, 'json'),
    json: await generate(join(dir, `agent-${MAIN / 1000}k.jsonl`), MAIN, 'json'),
    json1m: await generate(join(dir, 'agent-1m.jsonl'), 1_000_000, 'json'),
    text: await generate(join(dir, `agent-${MAIN / 1000}k.log`), MAIN, 'text'),
  };
  const results = {};
  try {
    // side by side on the main-size files: warm the page cache first, then alternate
    for (const key of ['json', 'text']) {
      const f = files[key];
      child('baseline', f.file);
      const runs = { baseline: [], 'trace-log': [], 'trace-log-text': [], parse: [] };
      for (let i = 0; i < REPEAT; i++) for (const mode of Object.keys(runs)) runs[mode].push(child(mode, f.file));
      const fastest = (mode) => ({ ...runs[mode].reduce((a, b) => (b.ms < a.ms ? b : a)), runsMs: runs[mode].map((r) => r.ms) });
      const base = fastest('baseline');
      const cmd = fastest('trace-log');
      const text = fastest('trace-log-text');
      const parse = fastest('parse');
      results[key] = {
        lines: f.lines,
        megabytes: Math.round(f.bytes / 1e5) / 10,
        baseline: {
          ...base,
          linesPerSec: rate(f.lines, base.ms),
          what: key === 'json' ? 'readline + JSON.parse' : 'readline + JSON.parse of the trailing extras',
        },
        traceLog: { ...cmd, linesPerSec: rate(f.lines, cmd.ms), what: 'lkdiag --json trace log FILE > /dev/null (every event echoed as NDJSON)' },
        traceLogText: { ...text, linesPerSec: rate(f.lines, text.ms), what: 'lkdiag trace log FILE > /dev/null (findings and the timeline)' },
        parseOnly: { ...parse, linesPerSec: rate(f.lines, parse.ms), what: 'parseLogFile, events discarded' },
        ratio: Math.round((rate(f.lines, cmd.ms) / rate(f.lines, base.ms)) * 100) / 100,
        ratioText: Math.round((rate(f.lines, text.ms) / rate(f.lines, base.ms)) * 100) / 100,
      };
      console.error(
        `${key}: baseline ${results[key].baseline.linesPerSec} lines/s · trace log ${results[key].traceLogText.linesPerSec} lines/s (ratio ${results[key].ratioText}) · --json ${results[key].traceLog.linesPerSec} lines/s (ratio ${results[key].ratio})`,
      );
    }
    // peak RSS against file size
    results.rss = {};
    for (const [label, f] of [
      ['100k', files.json100k],
      [`${MAIN / 1000}k`, files.json],
      ['1m', files.json1m],
    ]) {
      const cmd = child('trace-log', f.file);
      const base = child('baseline', f.file);
      results.rss[label] = { lines: f.lines, traceLogMaxRssMB: cmd.maxRssMB, baselineMaxRssMB: base.maxRssMB, traceLogMs: cmd.ms };
      console.error(`rss ${label}: trace log ${cmd.maxRssMB} MB, baseline ${base.maxRssMB} MB`);
    }
  } finally {
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    generated: 'Python livekit-agents 1.7 logs with LK_OPENAI_DEBUG=1 at DEBUG: ~75 lines per turn, most of them <<< Realtime events',
    method: `wall time of each child process; each mode's fastest of ${REPEAT} interleaved runs (runsMs lists them all)`,
    ...results,
  };
  record('traceLog', out);
}

await main();
