import { describe, expect, it } from 'vitest';
import { chalk } from '../../src/ui.js';
import { metaFor } from '../../src/diagnose/catalogue.js';
import type { EventKind, EventSource, Finding, TraceEvent } from '../../src/diagnose/types.js';
import { partialEvent } from '../helpers/events.js';
import { escapeHtml, jsonForScript, renderHtml } from '../../src/report/html.js';
import { makeReport } from '../../src/report/report.js';
import { laneOf, renderSwimlanes } from '../../src/report/timeline-text.js';

const T0 = 1_700_000_000_000;
const ev = (ms: number, source: EventSource, kind: EventKind, data: Record<string, unknown> = {}): TraceEvent => partialEvent(T0 + ms, source, kind, data);
const HOSTILE = `</script><script>alert(1)</script><img src=x onerror=alert(2)> & "quotes" 'single' \u2028`;

describe('escaping', () => {
  it('escapeHtml escapes the five characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('jsonForScript cannot close the script element and still parses back', () => {
    const s = jsonForScript({ m: HOSTILE });
    expect(s).not.toMatch(/<|>|\u2028/);
    expect(JSON.parse(s)).toEqual({ m: HOSTILE });
  });
});

describe('renderHtml', () => {
  const events = [ev(0, 'log', 'log.line', { level: 'info', message: HOSTILE, line: 1 }), ev(50, 'room', 'agent.state', { identity: 'a', to: 'speaking' })];
  const f: Finding = {
    code: 'agent/fatal-error',
    severity: 'error',
    title: HOSTILE,
    detail: HOSTILE,
    evidence: [events[0]!, ev(70, 'session', 'agent.error', { message: HOSTILE, recoverable: false })],
    fix: HOSTILE,
  };
  const html = renderHtml(makeReport('trace', T0, [f], metaFor, { events }));

  it('is self-contained: no external resources, a CSP forbidding the network, one inline script allowed by hash', () => {
    expect(html).not.toMatch(/\s(src|href)=["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none';[^"]*script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(html.match(/<script>/g)?.length).toBe(1);
  });

  it('never lets report text become markup', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html.split('</script>').length - 1).toBe(2); // the data block and our script, nothing else
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('links evidence not in report.events too (appended to the timeline)', () => {
    const data = JSON.parse(html.split('<script type="application/json" id="lkdiag-data">')[1]!.split('</script>')[0]!) as {
      events: Array<{ kind: string }>;
      findings: Array<{ evidence: number[] }>;
    };
    expect(data.events.map((e) => e.kind)).toEqual(['log.line', 'agent.state', 'agent.error']);
    expect(data.findings[0]!.evidence).toEqual([0, 2]);
  });

  it('redacts secrets like the JSON report does', () => {
    const h = renderHtml(makeReport('trace', T0, [], metaFor, { events: [ev(0, 'log', 'log.line', { message: 'key sk-abcdefghijklmnop1234 used' })] }));
    expect(h).not.toContain('sk-abcdefghijklmnop1234');
  });
});

describe('renderSwimlanes', () => {
  it('maps sources and kinds to the user · agent · model · room lanes', () => {
    expect(laneOf(ev(0, 'client', 'client.connected'))).toBe('user');
    expect(laneOf(ev(0, 'log', 'user.state', { to: 'speaking' }))).toBe('user');
    expect(laneOf(ev(0, 'session', 'user.state', { to: 'speaking' }))).toBe('user');
    expect(laneOf(ev(0, 'room', 'user.transcript', { transcript: 'hi' }))).toBe('user');
    expect(laneOf(ev(0, 'room', 'agent.transcript', { transcript: 'hello' }))).toBe('agent');
    expect(laneOf(ev(0, 'session', 'conversation.item', { role: 'user' }))).toBe('user');
    expect(laneOf(ev(0, 'session', 'conversation.item', { role: 'assistant' }))).toBe('agent');
    expect(laneOf(ev(0, 'log', 'agent.state'))).toBe('agent');
    expect(laneOf(ev(0, 'session', 'agent.state'))).toBe('agent');
    expect(laneOf(ev(0, 'log', 'log.preconnect.pushed'))).toBe('agent');
    expect(laneOf(ev(0, 'log', 'openai.response.created'))).toBe('model');
    expect(laneOf(ev(0, 'log', 'log.openai.connection-error'))).toBe('model');
    expect(laneOf(ev(0, 'room', 'agent.state'))).toBe('room'); // lk.agent.state, as the room shows it
    expect(laneOf(ev(0, 'server', 'server.dispatch.state'))).toBe('room');
  });

  it('one row per event with relative times, each in its lane column; audio deltas collapse', () => {
    const level = chalk.level;
    chalk.level = 0;
    try {
      const out = renderSwimlanes(
        [
          ev(0, 'client', 'client.connected', { url: 'ws://x' }),
          ev(250, 'log', 'agent.state', { message: 'Agent state changed from: listening to thinking', from: 'listening', to: 'thinking' }),
          ev(300, 'log', 'openai.response.output_audio.delta', { direction: 'server', event: { type: 'response.output_audio.delta' } }),
          ev(340, 'log', 'openai.response.output_audio.delta', { direction: 'server', event: { type: 'response.output_audio.delta' } }),
          ev(1_200, 'room', 'room.closed', {}),
          ev(1_300, 'log', 'log.line', { message: 'noise' }),
        ],
        { width: 100 },
      );
      const lines = out.split('\n');
      expect(lines[0]).toMatch(/^TIME\s+USER\s+AGENT\s+MODEL\s+ROOM/);
      expect(lines).toHaveLength(2 + 4);
      const col = (name: string) => lines[0]!.indexOf(name);
      expect(lines[2]!.indexOf('● connected')).toBe(col('USER'));
      expect(lines[3]!.startsWith('+250 ms')).toBe(true);
      expect(lines[3]!.indexOf('● agent.state')).toBe(col('AGENT'));
      expect(lines[4]!.indexOf('● response.output_audio.delta ×2 over 40 ms')).toBe(col('MODEL'));
      expect(lines[5]!.indexOf('● closed')).toBe(col('ROOM'));
      expect(out).not.toContain('noise');
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
    } finally {
      chalk.level = level;
    }
  });

  it('marks highlighted events', () => {
    const e = ev(0, 'log', 'agent.fatal', { message: 'boom' });
    expect(renderSwimlanes([e], { highlight: new Set([e]) })).toContain('◆ agent.fatal');
  });
});
