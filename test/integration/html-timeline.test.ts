import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { metaFor } from '../../src/diagnose/catalogue.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { ALL_RULES } from '../../src/diagnose/rules/index.js';
import type { EventKind, EventSource, TraceEvent } from '../../src/diagnose/types.js';
import { partialEvent } from '../helpers/events.js';
import { renderHtml } from '../../src/report/html.js';
import { makeReport } from '../../src/report/report.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const OUT = new URL('../../test-results/', import.meta.url);
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const msg = `\n${'!'.repeat(78)}\n!! HTML timeline browser tests: ${CHROMIUM} not found.\n!! Install it with:  apt-get update && apt-get install -y chromium\n${'!'.repeat(78)}\n`;
  if (process.env['CI']) throw new Error(msg);
  process.stderr.write(msg);
}

const T0 = 1_757_805_905_000;
const ev = (ms: number, source: EventSource, kind: EventKind, data: Record<string, unknown> = {}): TraceEvent => partialEvent(T0 + ms, source, kind, data);
const oa = (ms: number, direction: 'client' | 'server', event: Record<string, unknown>) =>
  ev(ms, 'log', `openai.${String(event['type'])}`, { direction, event });
const XSS = `<img src=x onerror="window.__xss=1"></script><script>window.__xss=2</script>`;

/** The issue-4 session: buffer pushed, reply created, live speech, response.cancel — plus hostile log text. */
function sessionEvents(): TraceEvent[] {
  return [
    ev(0, 'client', 'client.connected', { url: 'ws://127.0.0.1:7880', room: 'demo', identity: 'lkdiag-user' }),
    ev(120, 'client', 'client.track.published', { trackSid: 'TR_mic', features: ['TF_PRECONNECT_BUFFER'], preconnectFlag: true }),
    ev(600, 'room', 'room.participant.joined', { identity: 'agent-AJ_1', sid: 'PA_1', kind: 'agent' }),
    ev(900, 'client', 'client.agent.active', { identity: 'agent-AJ_1' }),
    ev(905, 'client', 'client.preconnect.opened', {
      streamId: 's',
      trackId: 'TR_mic',
      sampleRate: 24000,
      channels: 1,
      destination: 'agent-AJ_1',
      mimeType: 'application/octet-stream',
    }),
    ev(1_300, 'client', 'client.preconnect.closed', { bytes: 96_000, audioMs: 2_000, reason: 'subscribed' }),
    ev(1_310, 'client', 'client.live.started', { offsetMs: 2_000 }),
    ev(1_400, 'log', 'log.preconnect.received', { level: 'debug', logger: 'livekit.agents', message: 'pre-connect audio received', line: 10, duration: 2.0 }),
    ev(1_410, 'log', 'log.preconnect.pushed', {
      level: 'debug',
      logger: 'livekit.agents',
      message: 'pre-connect audio buffer pushed',
      line: 11,
      duration: 2.0,
    }),
    ev(1_420, 'log', 'log.line', { level: 'info', logger: 'user', message: XSS, line: 12 }),
    oa(1_500, 'server', { type: 'input_audio_buffer.speech_started' }),
    ...Array.from({ length: 20 }, (_, i) => oa(1_520 + i * 40, 'client', { type: 'input_audio_buffer.append', audio: '<4800 bytes>' })),
    oa(2_600, 'server', { type: 'input_audio_buffer.committed' }),
    oa(2_700, 'server', { type: 'response.created', response: { id: 'resp_1', status: 'in_progress', metadata: null } }),
    ev(2_710, 'room', 'agent.state', { identity: 'agent-AJ_1', to: 'thinking', from: 'listening' }),
    ev(3_039, 'log', 'user.state', {
      level: 'info',
      logger: 'events',
      message: 'User state changed from: listening to speaking',
      line: 40,
      from: 'listening',
      to: 'speaking',
    }),
    oa(3_039, 'client', { type: 'response.cancel' }),
    oa(3_120, 'server', {
      type: 'response.done',
      response: { id: 'resp_1', status: 'cancelled', status_details: { type: 'cancelled', reason: 'client_cancelled' } },
    }),
    ev(3_200, 'session', 'user.transcript', { transcript: XSS, final: true }),
    ev(3_300, 'room', 'agent.state', { identity: 'agent-AJ_1', to: 'listening', from: 'thinking' }),
  ];
}

describe.skipIf(!haveChromium)('HTML timeline in headless Chromium', () => {
  let browser: Browser;
  let file: string;
  let evidenceCount = 0;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const events = sessionEvents();
    const findings = diagnose(events, ALL_RULES, { command: 'trace' });
    const interrupted = findings.find((f) => f.code === 'preconnect/interrupted-by-live-audio');
    expect(interrupted, 'the issue-4 session yields preconnect/interrupted-by-live-audio').toBeDefined();
    evidenceCount = interrupted!.evidence.length;
    // A finding whose text is hostile too.
    findings.push({ code: 'test/xss', severity: 'info', title: XSS, detail: XSS, evidence: [events[9]!], fix: XSS });
    const report = makeReport('trace', T0, findings, metaFor, { events });
    mkdirSync(OUT, { recursive: true });
    file = new URL('html-timeline.html', OUT).pathname;
    writeFileSync(file, renderHtml(report));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders lanes, links findings to evidence, zooms, shows hover details; no console errors, no network, no script injection', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });

    // One lane per source.
    const lanes = await page.locator('#lane-names .lane-name').allTextContents();
    expect(lanes.slice(1)).toEqual(['client', 'room', 'session', 'log']);
    expect(await page.locator('.lane').count()).toBe(4);
    expect(await page.locator('.ev').count()).toBeGreaterThanOrEqual(sessionEvents().length);

    // Click the pre-connect finding → exactly its evidence is highlighted.
    expect(await page.locator('.ev.hl').count()).toBe(0);
    const li = page.locator('.finding', { hasText: 'preconnect/interrupted-by-live-audio' });
    await li.click();
    await expect.poll(() => page.locator('.ev.hl').count()).toBe(evidenceCount);
    expect(await page.locator('#events tr.hl').count()).toBe(evidenceCount);
    expect(await li.getAttribute('class')).toContain('selected');
    const hlKinds = await page.locator('#events tr.hl td:nth-child(3)').allTextContents();
    expect(hlKinds).toContain('openai.response.cancel');
    expect(hlKinds).toContain('log.preconnect.pushed');

    // An evidence link highlights its one event.
    await li.locator('a[data-ev]').first().click();
    expect(await page.locator('.ev.hl').count()).toBe(1);

    // Zoom buttons and wheel change the track width.
    const width = () => page.locator('#track').evaluate((e) => Number(Reflect.get(e, 'offsetWidth')));
    const w0 = await width();
    await page.click('#zoom-in');
    const w1 = await width();
    expect(w1).toBeGreaterThan(w0 * 1.5);
    await page.locator('#track-scroll').hover();
    await page.mouse.wheel(0, 300);
    expect(await width()).toBeLessThan(w1);
    await page.click('#zoom-fit');
    expect(await width()).toBe(w0);

    // Hover details: the event JSON.
    await page.locator('.ev[data-ev="2"]').hover(); // the third event: room.participant.joined
    const tip = page.locator('#tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain('"source": "room"');

    // Hostile log text is shown as text, never run.
    expect(await page.evaluate(() => Reflect.get(globalThis, '__xss'))).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('.finding', { hasText: '<img src=x' }).count()).toBe(1);

    // Screenshot (test artifact): select the finding again so the picture shows the link.
    await page.click('#zoom-fit');
    await li.click();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: new URL('html-timeline.png', OUT).pathname, fullPage: false });

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
