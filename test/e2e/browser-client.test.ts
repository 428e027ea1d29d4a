// The official livekit-client (2.23.0, and 2.15.3 for the regression) in headless chromium — a fake microphone
// playing fixtures/audio/two-part.wav — against a real livekit-server and the real Python reference agent
// (livekit-agents 1.8.9) joining ~3 s late (LKDIAG_AGENT_START_DELAY_MS), the Realtime simulator as the model,
// and `lkdiag trace room --agent-log` watching. Issue #13 items 2 and 5.
//
// Timing bounds (a loaded 2-core machine): the stack starts within 120 s (beforeAll); each session waits on
// events only — the agent's log line or a trace event — each wait bounded (20–30 s); the file runs in ~60 s.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf } from '../helpers/cli.js';
import { chromiumPrereq, launchWithFakeMic, type FakeMicBrowser } from './browser/chromium.js';
import { serveWebClient, type StaticServer } from './browser/serve.js';
import { startSession, until } from './browser/session.js';
import { REPO_ROOT, startPythonAgent } from './harness.js';
import { e2ePrereqs } from './prereqs.js';
import { useE2EStack } from './stack.js';

const skip = e2ePrereqs({ python: true }).skip || chromiumPrereq().skip;
const WAV = join(REPO_ROOT, 'fixtures', 'audio', 'two-part.wav');
const JOIN_DELAY_MS = 3_000;
const TOPIC = 'lk.agent.pre-connect-audio-buffer';
const PUSHED = /"message":\s*"pre-connect audio buffer pushed"/;
const LIVE = /"message":\s*"start reading stream"/;

describe.skipIf(skip)('livekit-client in chromium → real Python agent (joins 3 s late)', () => {
  const s = useE2EStack((server, sim) =>
    startPythonAgent({
      url: server.url,
      apiKey: server.apiKey,
      apiSecret: server.apiSecret,
      openaiBaseUrl: sim.baseUrl,
      mode: 'healthy',
      agentName: 'py-web',
      env: { LKDIAG_AGENT_START_DELAY_MS: String(JOIN_DELAY_MS) },
    }),
  );
  let web: StaticServer | undefined;
  let browser: FakeMicBrowser | undefined;
  const deps = () => {
    if (!web || !browser) throw new Error('web server or browser not started');
    return { server: s.server, agent: s.agent, web, browser };
  };
  beforeAll(async () => {
    web = await serveWebClient();
    browser = await launchWithFakeMic(WAV);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('2.23.0, new Room({publishDefaults: {preConnectBuffer: true}}): a WebM/Opus buffer, used by the agent, which answers', async () => {
    const session = await startSession(deps(), '2.23.0', 'publish-defaults');
    try {
      expect(session.joined.version).toBe('2.23.0');
      expect(session.joined.features).toContain('TF_PRECONNECT_BUFFER');
      await session.waitAgentLog(PUSHED, 30_000);
      await until('the stream closed (the agent subscribed)', async () => (await session.state()).streams[0]?.closedAt !== undefined, 15_000);
      const sent = (await session.state()).streams;
      expect(sent).toHaveLength(1);
      const b = sent[0]!;
      expect(b.topic).toBe(TOPIC);
      expect(b.mimeType).toBe('audio/webm;codecs=opus');
      expect(b.head).toBe('1a45dfa3'); // EBML magic: a WebM container
      expect(b.attributes).toEqual({ trackId: session.joined.trackSid, sampleRate: '48000', channels: '1' });
      expect(b.destinationIdentities).toHaveLength(1);
      expect(b.destinationIdentities[0]).toMatch(/^agent-/);
      // ≥ 2.5 s of 48 kHz Opus at ~32 kbit/s is > 8 kB; the JS recorder writes 100 ms timeslices.
      expect(b.bytes).toBeGreaterThan(8_000);
      expect(b.chunks).toBeGreaterThan(5);
      console.info(`livekit-client 2.23.0 buffer: ${b.bytes} bytes in ${b.chunks} writes, open ${(b.closedAt ?? 0) - b.openedAt} ms`);
      // The agent logged the buffer for this track, and later answered (lk.agent.state speaking, seen by trace room).
      expect(session.agentLog()).toMatch(new RegExp(`"pre-connect audio received".*"track_id":\\s*"${session.joined.trackSid}"`));
      await until('the agent answered (speaking)', () => session.events().some((e) => e.kind === 'agent.state' && e.data['to'] === 'speaking'), 30_000);
      const { report, code, stderr } = await session.leave();
      expect(codesOf(report), stderr).toContain('info:preconnect/consumed');
      expect(codesOf(report).filter((c) => c.includes('lost-first-words'))).toEqual([]);
      expect([0, 1], stderr).toContain(code);
    } catch (err) {
      const st = await session.state().catch(() => undefined);
      console.error('page state:', JSON.stringify(st?.streams), JSON.stringify(st?.logs.slice(-25)));
      console.error(
        'agent log (pre-connect):',
        session
          .agentLog()
          .split('\n')
          .filter((l) => /pre-connect|preconnect|byte stream|start reading/i.test(l))
          .join('\n'),
      );
      await session.abort();
      throw err;
    }
  }, 90_000);

  it('2.23.0, setMicrophoneEnabled(true, undefined, {preConnectBuffer: true}): no flag, no stream — preconnect/lost-first-words', async () => {
    const session = await startSession(deps(), '2.23.0', 'publish-options');
    try {
      expect(session.joined.features).not.toContain('TF_PRECONNECT_BUFFER');
      await until(
        'the agent ACTIVE (trace room)',
        () => session.events().some((e) => e.kind === 'room.participant.active' && e.data['kind'] === 'agent'),
        30_000,
      );
      await session.waitAgentLog(LIVE, 20_000);
      const st = await session.state();
      expect(st.streams).toEqual([]);
      expect(st.logs.map((l) => l.msg)).not.toContain('starting preconnect buffer for microphone');
      const { report, code, stderr } = await session.leave();
      expect(codesOf(report), stderr).toContain('error:preconnect/lost-first-words');
      const lost = report.findings.find((f) => f.code === 'preconnect/lost-first-words');
      const secs = Number(/ (\d+(?:\.\d+)?) s before the agent/.exec(lost?.detail ?? '')?.[1]);
      // The window is the page's publication → the agent's ACTIVE as trace room saw it (one machine, one clock);
      // the finding uses the room's own publication event, within a few hundred ms of the page's.
      const activeAt = session.events().find((e) => e.kind === 'room.participant.active' && e.data['kind'] === 'agent')?.t ?? Number.NaN;
      const measured = (activeAt - session.joined.publishedAt) / 1000;
      expect(measured).toBeGreaterThan(1); // the agent waits 3 s after the dispatch; the page joins within ~2 s of it
      expect(Math.abs(secs - measured), `finding ${secs} s, measured ${measured.toFixed(2)} s`).toBeLessThan(0.5);
      expect(lost?.detail).toContain('without TF_PRECONNECT_BUFFER');
      expect(lost?.fix).toContain('publishDefaults');
      expect(code).toBe(1);
    } catch (err) {
      const st = await session.state().catch(() => undefined);
      console.error('page state:', JSON.stringify(st?.streams), JSON.stringify(st?.logs.slice(-25)));
      console.error(
        'agent log (pre-connect):',
        session
          .agentLog()
          .split('\n')
          .filter((l) => /pre-connect|preconnect|byte stream|start reading/i.test(l))
          .join('\n'),
      );
      await session.abort();
      throw err;
    }
  }, 90_000);

  it('2.15.3 (before 744d0d5e): the third-argument call still sets the flag and sends a WebM buffer (labelled audio/opus) — which livekit rtc 1.1.21 rejects: preconnect/lost-first-words', async () => {
    const session = await startSession(deps(), '2.15.3', 'publish-options');
    try {
      expect(session.joined.version).toBe('2.15.3');
      expect(session.joined.features).toContain('TF_PRECONNECT_BUFFER');
      await until('a pre-connect stream opened', async () => (await session.state()).streams.length > 0, 30_000);
      const b = (await session.state()).streams[0]!;
      expect(b.topic).toBe(TOPIC);
      expect(b.head).toBe('1a45dfa3');
      expect(b.mimeType).toBe('audio/opus'); // 2.15.3 labels its WebM recording audio/opus (ce1f845d, #1609, changed it in 2.15.4)
      expect(b.attributes['trackId']).toBe(session.joined.trackSid);
      // 2.15.3's streamBytes writes totalLength 0 into the header (dist l.22121: info.size ?? 0; 2.23.0 leaves it unset),
      // and the Rust data-stream reader under livekit rtc 1.1.21 then refuses the first chunk: the agent never gets the buffer.
      await session.waitAgentLog(/"error reading pre-connect audio buffer.*read length exceeded total length specified in stream header/, 30_000);
      expect(session.agentLog()).not.toMatch(PUSHED);
      const { report, stderr } = await session.leave();
      expect(codesOf(report), stderr).not.toContain('info:preconnect/consumed');
      // trace room cannot see the stream, and its log reader does not yet map livekit-agents 1.8.9's
      // "error reading pre-connect audio buffer\nTraceback…" message (an exact match in src/sources/logs/messages.ts):
      // the loss is named, its reason (the 'unreadable' case, tested in the rule tester) not yet.
      expect(codesOf(report), stderr).toContain('error:preconnect/lost-first-words');
    } catch (err) {
      await session.abort();
      throw err;
    }
  }, 90_000);
});
