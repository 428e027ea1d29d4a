"""Drive LiveKit's own OpenAI Realtime plugin (unmodified) against the lkdiag simulator.

Usage: LK_OPENAI_DEBUG=1 python sim_client.py --base-url http://127.0.0.1:PORT/v1 [--wav speech.wav]

Uses RealtimeModel.session() directly (no LiveKit room). Prints progress on stderr and
one JSON summary object as the last line of stdout:
  {"ok": bool, "plugin_version": ..., "phases": {...}, "client_events": [...],
   "server_events": [...], "unhandled": [...], "errors": [...], "warnings": [...]}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
import wave

os.environ.setdefault("LK_OPENAI_DEBUG", "1")  # read at import time

from livekit import rtc  # noqa: E402
from livekit.agents import llm  # noqa: E402
from livekit.plugins import openai  # noqa: E402

T0 = time.monotonic()


def now_ms() -> int:
    return int((time.monotonic() - T0) * 1000)


def say(msg: str) -> None:
    print(f"[sim_client +{now_ms()}ms] {msg}", file=sys.stderr, flush=True)


class Capture(logging.Handler):
    """Collects the plugin's debug protocol log (>>> / <<< / unhandled event) and warnings."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.client_events: list[dict] = []
        self.unhandled: list[str] = []
        self.warnings: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        ev = getattr(record, "lk.pii.event", None)
        if msg == ">>>" and isinstance(ev, dict):
            self.client_events.append({"t": now_ms(), "type": ev.get("type"), "event_id": ev.get("event_id")})
        elif msg.startswith("unhandled event: "):
            self.unhandled.append(msg[len("unhandled event: ") :])
        elif record.levelno >= logging.ERROR:
            self.errors.append(msg)
        elif record.levelno >= logging.WARNING:
            self.warnings.append(msg)


def read_wav_24k_mono(path: str) -> bytes:
    with wave.open(path, "rb") as w:
        if w.getframerate() != 24000 or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(f"{path}: need 24 kHz mono PCM16")
        return w.readframes(w.getnframes())


def frames_of(pcm: bytes, ms: int = 10):
    step = 24000 * ms // 1000 * 2
    for i in range(0, len(pcm) - step + 1, step):
        yield rtc.AudioFrame(pcm[i : i + step], 24000, 1, step // 2)


async def consume(gen: llm.GenerationCreatedEvent, stop_after_first_audio: bool = False) -> dict:
    out = {"messages": 0, "audio_frames": 0, "audio_ms": 0.0, "text": "", "modalities": None, "message_id": None}

    async def read_msg(msg: llm.MessageGeneration) -> None:
        out["messages"] += 1
        out["message_id"] = msg.message_id

        async def text() -> None:
            async for t in msg.text_stream:
                out["text"] += str(t)

        async def audio() -> None:
            async for f in msg.audio_stream:
                out["audio_frames"] += 1
                out["audio_ms"] += f.samples_per_channel * 1000 / f.sample_rate
                if out["audio_frames"] == 1:
                    out["first_audio_ms"] = now_ms()
                    if stop_after_first_audio:
                        return

        text_task = asyncio.create_task(text())
        await audio()
        if stop_after_first_audio:
            text_task.cancel()  # return mid-response, as a barge-in would
        else:
            await text_task
        out["modalities"] = await msg.modalities

    tasks = []
    async for msg in gen.message_stream:
        tasks.append(asyncio.create_task(read_msg(msg)))
        if stop_after_first_audio:
            break
    if tasks:
        await asyncio.gather(*tasks)
    out["audio_ms"] = round(out["audio_ms"])
    return out


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--wav", help="24 kHz mono PCM16 speech to push for the server-VAD phase")
    args = ap.parse_args()

    cap = Capture()
    lk_logger = logging.getLogger("livekit")
    lk_logger.setLevel(logging.DEBUG)
    lk_logger.addHandler(cap)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.INFO)
    lk_logger.addHandler(stderr)

    from livekit.plugins.openai import version as plugin_version

    result: dict = {"ok": False, "plugin_version": plugin_version.__version__, "phases": {}}
    server_events: list[dict] = []
    session_errors: list[str] = []
    speech_events: list[dict] = []

    model = openai.realtime.RealtimeModel(base_url=args.base_url, api_key="sk-test")
    sess = model.session()
    sess.on("openai_server_event_received", lambda ev: server_events.append({"t": now_ms(), "type": ev.get("type"), "event": ev if ev.get("type") in ("error", "response.done", "session.updated", "conversation.item.truncated") else None}))
    sess.on("error", lambda e: session_errors.append(f"{type(e.error).__name__}: {e.error}"))
    sess.on("input_speech_started", lambda _e: speech_events.append({"t": now_ms(), "kind": "speech_started"}))
    sess.on("input_speech_stopped", lambda _e: speech_events.append({"t": now_ms(), "kind": "speech_stopped"}))
    sess.on("input_audio_transcription_completed", lambda e: speech_events.append({"t": now_ms(), "kind": "transcript", "text": e.transcript}))
    auto_gens: list[llm.GenerationCreatedEvent] = []
    sess.on("generation_created", lambda g: auto_gens.append(g) if not g.user_initiated else None)

    try:
        # phase 1: what AgentActivity does first: instructions, chat context, then generate_reply
        t = now_ms()
        await sess.update_instructions("You are a test agent. Be brief.")
        ctx = sess.chat_ctx.copy()
        ctx.add_message(role="user", content="Hello from the Python plugin.")
        await asyncio.wait_for(sess.update_chat_ctx(ctx), 10)
        result["phases"]["update_chat_ctx_ms"] = now_ms() - t
        say("chat ctx synced")

        t = now_ms()
        gen = await asyncio.wait_for(sess.generate_reply(), 15)
        created_ms = now_ms() - t
        say(f"generation created in {created_ms} ms (user_initiated={gen.user_initiated})")
        reply = await asyncio.wait_for(consume(gen), 20)
        result["phases"]["generate_reply"] = {"created_ms": created_ms, "user_initiated": gen.user_initiated, **reply, "done_ms": now_ms() - t}
        say(f"reply: {reply}")

        # phase 2: interrupt during playback, then truncate the partly played message
        t = now_ms()
        gen2 = await asyncio.wait_for(sess.generate_reply(), 15)
        part = await asyncio.wait_for(consume(gen2, stop_after_first_audio=True), 20)
        sess.interrupt()
        await asyncio.sleep(0.3)
        if part["message_id"]:
            sess.truncate(message_id=part["message_id"], modalities=["audio"], audio_end_ms=50)
        await asyncio.sleep(0.3)
        result["phases"]["interrupt"] = {**part, "ms": now_ms() - t}

        # phase 3: server VAD turn from pushed speech (+ silence), auto-response
        if args.wav:
            pcm = read_wav_24k_mono(args.wav)
            silence = bytes(24000 * 2)  # 1 s
            t = now_ms()
            for f in frames_of(bytes(24000 // 5 * 2) + pcm + silence + silence):
                sess.push_audio(f)
                await asyncio.sleep(0.002)
            deadline = time.monotonic() + 15
            while not auto_gens and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            auto = await asyncio.wait_for(consume(auto_gens[0]), 20) if auto_gens else None
            deadline = time.monotonic() + 5
            while not any(e["kind"] == "transcript" for e in speech_events) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            result["phases"]["server_vad"] = {"events": speech_events, "auto_reply": auto, "ms": now_ms() - t}
    except Exception as e:  # noqa: BLE001
        result["exception"] = f"{type(e).__name__}: {e}"
        say(f"exception: {result['exception']}")
    finally:
        await sess.aclose()
        await model.aclose()

    result["client_events"] = cap.client_events
    result["server_events"] = server_events
    result["unhandled"] = sorted(set(cap.unhandled))
    result["errors"] = cap.errors + session_errors
    result["warnings"] = cap.warnings
    result["ok"] = "exception" not in result
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
