/**
 * A cheap stand-in agent for bench/synthetic-users.mjs (not a test, not a LiveKit agent worker):
 * one Node process, one @livekit/rtc-node participant per room, each joined with an agent-kind token
 * (grant agent: true, and the token's kind claim 'agent': livekit-server v1.13.5 gives kind AGENT only
 * for the claim; the grant alone leaves STANDARD, which lkdiag does not take for an agent). Per room it
 *   - sets lk.agent.state=listening and publishes an (idle) microphone track,
 *   - reads the pre-connect buffer from the byte stream lk.agent.pre-connect-audio-buffer,
 *   - subscribes to the user's microphone and watches its energy (10 ms frames at 16 kHz),
 *   - once the buffer is in and the user has been quiet for SILENCE_MS after live speech (or heard no
 *     live speech for NO_SPEECH_MS), answers with a 1 s tone:
 *     lk.agent.state speaking → tone → listening,
 *   - asks the server (RoomServiceClient.listParticipants) for every participant's joinedAtMs when
 *     the user joins,
 * and reports each room's record (host-clock epoch ms, the same clock lkdiag's events use) to the
 * parent over IPC.
 *
 * Rooms are joined on request (`{ type: 'join', room }` from the parent, before the user comes) or,
 * with BENCH_WEBHOOK_PORT set, when livekit-server's room_started webhook names a room that starts with
 * BENCH_ROOM_PREFIX (lkdiag smoke creates its own rooms).
 *
 * Env: BENCH_LK_URL, BENCH_LK_KEY, BENCH_LK_SECRET, BENCH_WEBHOOK_PORT (optional), BENCH_ROOM_PREFIX.
 */
process.env.NODE_ENV = 'production'; // before rtc-node loads: its debug logs would go to stdout
import http from 'node:http';

const { Room, AudioSource, AudioFrame, AudioStream, LocalAudioTrack, TrackPublishOptions, TrackSource, dispose } = await import('@livekit/rtc-node');
const { AccessToken, RoomServiceClient } = await import('livekit-server-sdk');

const URL_ = process.env.BENCH_LK_URL;
const KEY = process.env.BENCH_LK_KEY;
const SECRET = process.env.BENCH_LK_SECRET;
const PREFIX = process.env.BENCH_ROOM_PREFIX ?? '';
const PRECONNECT_TOPIC = 'lk.agent.pre-connect-audio-buffer';
const STATE = 'lk.agent.state';
const SILENCE_MS = 800; // the fixtures' longest pause inside an utterance is 330 ms
const NO_SPEECH_MS = 3000; // the first live frames can take a moment to arrive
const QUIET_DBFS = -45;
const REPLY_RATE = 24000;
const REPLY_MS = 1000;
const now = () => performance.timeOrigin + performance.now();
const rooms = new Map(); // name -> { room, rec, lastLoudAt, subscribedAt, replying, reader }
const svc = new RoomServiceClient(URL_.replace(/^ws/, 'http'), KEY, SECRET);
const send = (msg) => process.connected && process.send(msg);
const report = (s) => send({ type: 'room', rec: s.rec });

// One second of a 440 Hz tone at -12 dBFS, as 10 ms frames.
const FRAME = REPLY_RATE / 100;
const tone = new Int16Array((REPLY_RATE * REPLY_MS) / 1000);
for (let i = 0; i < tone.length; i++) tone[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / REPLY_RATE) * 32767 * 0.25);

function dbfs(data) {
  let e = 0;
  for (let i = 0; i < data.length; i++) e += data[i] * data[i];
  return 10 * Math.log10(e / Math.max(1, data.length) / (32768 * 32768) + 1e-12);
}

async function join(name, via) {
  if (rooms.has(name)) return;
  const identity = `echo-agent-${name}`.slice(0, 120);
  const at = new AccessToken(KEY, SECRET, { identity, ttl: '10m' });
  at.kind = 'agent';
  at.addGrant({ roomJoin: true, room: name, agent: true, canPublish: true, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: true });
  const room = new Room();
  const rec = { room: name, identity, via, requestedAt: now() };
  const s = { room, rec, lastLoudAt: undefined, subscribedAt: undefined, replying: false, reader: undefined, source: undefined };
  rooms.set(name, s);

  room.registerByteStreamHandler(PRECONNECT_TOPIC, (reader, info) => {
    rec.bufferOpenedAt = now();
    rec.bufferFrom = info.identity;
    rec.bufferAttributes = { ...(reader.info.attributes ?? {}) };
    void reader.readAll().then(
      (chunks) => {
        rec.bufferAt = now();
        rec.bufferBytes = chunks.reduce((n, c) => n + c.length, 0);
        report(s);
      },
      (err) => {
        rec.bufferError = String(err?.message ?? err);
        report(s);
      },
    );
  });
  room.on('participantConnected', (p) => {
    if (p.kind === 4) return;
    rec.userIdentity = p.identity;
    rec.userSeenAt = now();
    void serverParticipants(s);
  });
  room.on('trackSubscribed', (track, pub, p) => {
    if (p.kind === 4 || pub.kind !== 1 /* KIND_AUDIO */ || s.reader) return;
    s.subscribedAt = now();
    rec.userTrackSubscribedAt = s.subscribedAt;
    void watch(s, track);
  });
  room.on('disconnected', () => {
    rec.leftAt = now();
    s.reader?.cancel().catch(() => undefined);
    rooms.delete(name);
    report(s);
  });
  await room.connect(URL_, await at.toJwt(), { autoSubscribe: true, dynacast: false });
  rec.connectedAt = now();
  // A user who was in before us (smoke creates the room, then joins while the webhook brings us in).
  for (const p of room.remoteParticipants.values())
    if (p.kind !== 4 && !rec.userIdentity) (rec.userIdentity = p.identity), (rec.userSeenAt = now()), void serverParticipants(s);
  await room.localParticipant.setAttributes({ [STATE]: 'listening' });
  s.source = new AudioSource(REPLY_RATE, 1, 1000);
  const track = LocalAudioTrack.createAudioTrack('agent-voice', s.source);
  await room.localParticipant.publishTrack(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
  rec.readyAt = now();
  report(s);
  send({ type: 'joined', room: name });
}

async function serverParticipants(s) {
  // The user's ParticipantInfo may lag its participantConnected by a moment: retry a few times.
  for (let i = 0; i < 10; i++) {
    try {
      const list = await svc.listParticipants(s.rec.room);
      const parts = list.map((p) => ({ identity: p.identity, kind: p.kind, joinedAtMs: Number(p.joinedAtMs), joinedAt: Number(p.joinedAt) }));
      if (!s.rec.userIdentity || parts.some((p) => p.identity === s.rec.userIdentity)) {
        s.rec.participants = parts;
        report(s);
        return;
      }
    } catch (err) {
      s.rec.participantsError = String(err?.message ?? err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  report(s);
}

async function watch(s, track) {
  const stream = new AudioStream(track, { sampleRate: 16000, numChannels: 1 });
  const reader = stream.getReader();
  s.reader = reader;
  s.lastLoudAt = now();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || !value) break;
      const db = dbfs(value.data);
      s.rec.userFrames = (s.rec.userFrames ?? 0) + 1;
      s.rec.userMaxDbfs = Math.max(s.rec.userMaxDbfs ?? -200, Math.round(db));
      if (db > QUIET_DBFS) {
        s.lastLoudAt = now();
        s.rec.userSpeechSeen = true;
      }
    }
  } catch {
    /* the track went away */
  }
}

async function reply(s) {
  s.replying = true;
  const { rec, room } = s;
  rec.speechEndAt = now();
  try {
    rec.speakingAt = now();
    await room.localParticipant.setAttributes({ [STATE]: 'speaking' });
    for (let off = 0; off < tone.length; off += FRAME) {
      const f = new AudioFrame(tone.slice(off, off + FRAME), REPLY_RATE, 1, FRAME);
      if (off === 0) rec.firstReplyFrameAt = now();
      await s.source.captureFrame(f);
    }
    await s.source.waitForPlayout();
    rec.replyDoneAt = now();
    rec.listeningAt = now();
    await room.localParticipant.setAttributes({ [STATE]: 'listening' });
  } catch (err) {
    rec.replyError = String(err?.message ?? err);
  }
  report(s);
}

// One timer for all rooms: answer once the buffer is in and the user has been quiet for SILENCE_MS.
setInterval(() => {
  const t = now();
  for (const s of rooms.values()) {
    if (s.replying || s.rec.bufferAt === undefined || s.lastLoudAt === undefined) continue;
    // Quiet after live speech; or no live speech at all for NO_SPEECH_MS (the buffer held it all).
    const quiet = t - Math.max(s.lastLoudAt, s.rec.bufferAt);
    if (s.rec.userSpeechSeen ? quiet >= SILENCE_MS : quiet >= NO_SPEECH_MS) void reply(s);
  }
}, 50).unref();

if (process.env.BENCH_WEBHOOK_PORT) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      res.writeHead(200).end();
      try {
        const ev = JSON.parse(body);
        const name = ev.room?.name;
        if (ev.event === 'room_started' && name?.startsWith(PREFIX))
          void join(name, 'webhook').catch((err) => send({ type: 'error', room: name, message: String(err?.message ?? err) }));
      } catch {
        /* not a webhook */
      }
    });
  });
  server.listen(Number(process.env.BENCH_WEBHOOK_PORT), '127.0.0.1');
}

process.on('message', async (msg) => {
  if (msg.type === 'join') {
    join(msg.room, 'request').catch((err) => send({ type: 'error', room: msg.room, message: String(err?.message ?? err) }));
  } else if (msg.type === 'leave') {
    const s = rooms.get(msg.room);
    await s?.room.disconnect().catch(() => undefined);
  } else if (msg.type === 'stop') {
    await Promise.all([...rooms.values()].map((s) => s.room.disconnect().catch(() => undefined)));
    await dispose().catch(() => undefined);
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
