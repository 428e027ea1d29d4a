"""Drive LiveKit's own GPTLiveModel (livekit-agents 1.8.9, unmodified) against the lkdiag GPT-Live simulator.

Usage: python sim_gpt_live.py --base-url http://127.0.0.1:PORT[/scenario/NAME]/v1 --wav speech-24k-mono.wav [--tools]

Uses GPTLiveModel.session() directly (no LiveKit room), configured the way the framework's adapter does
(_update_session: instructions, then tools), answers a backend function call the way the adapter does
(_append_items with a FunctionCallOutput), pushes the WAV as 10 ms frames in real time, then silence.
Progress on stderr; one JSON summary as the last line of stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
import wave

from livekit import rtc
from livekit.agents import llm
from livekit.plugins.openai.realtime import GPTLiveModel

T0 = time.monotonic()


def now_ms() -> int:
    return int((time.monotonic() - T0) * 1000)


def say(msg: str) -> None:
    print(f"[sim_gpt_live +{now_ms()}ms] {msg}", file=sys.stderr, flush=True)


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.warnings: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(record.getMessage())


@llm.function_tool
async def get_weather(city: str) -> str:
    """Look up the weather in a city."""
    return f"sunny in {city}"


def frames(pcm: bytes, ms: int = 10):
    step = 24000 * ms // 1000 * 2
    for i in range(0, len(pcm) - step + 1, step):
        yield rtc.AudioFrame(pcm[i : i + step], 24000, 1, step // 2)


async def push(session, pcm: bytes) -> None:
    """Real time: one 10 ms frame every 10 ms, as a room track delivers them."""
    start = time.monotonic()
    for n, f in enumerate(frames(pcm)):
        session.push_audio(f)
        delay = start + (n + 1) * 0.01 - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)


async def run(args) -> dict:
    cap = Capture()
    logging.getLogger("livekit.agents").addHandler(cap)
    out: dict = {"server": [], "client": [], "user_transcripts": [], "assistant_text": "", "audio_bytes": 0,
                 "function_calls": [], "reconnects": 0, "errors": [], "first_audio_ms": None}
    model = GPTLiveModel(base_url=args.base_url, api_key="sk-test")
    session = model.session()
    done = asyncio.Event()

    def on_server(ev: dict) -> None:
        out["server"].append({"t": now_ms(), "type": ev.get("type"),
                              **({"reason": ev.get("reason")} if ev.get("type") == "session.closed" else {}),
                              **({"error": ev.get("error")} if ev.get("type") == "error" else {})})
        if ev.get("type") == "session.closed":
            done.set()
        # a reply is over when its burst's usage arrives: the tool's answer with --tools, any reply without
        if ev.get("type") == "session.usage.updated" and ("sunny" in out["assistant_text"] or (not args.tools and out["assistant_text"])):
            done.set()

    def on_client(ev: dict) -> None:
        if ev.get("type") != "session.input_audio.append":
            out["client"].append({"t": now_ms(), "type": ev.get("type"),
                                  **({"input": ev["session"].get("input")} if ev.get("type") == "session.start" else {})})

    def on_transcript(ev) -> None:
        out["assistant_text"] += ev.text

    def on_call(fc: llm.FunctionCall) -> None:
        out["function_calls"].append({"name": fc.name, "arguments": fc.arguments})

        async def answer() -> None:
            result = await get_weather(**json.loads(fc.arguments))
            await session._append_items([llm.FunctionCallOutput(call_id=fc.call_id, name=fc.name, output=result, is_error=False)])

        asyncio.ensure_future(answer())

    session.on("openai_server_event_received", on_server)
    session.on("openai_client_event_queued", on_client)
    session.on("transcript_delta", on_transcript)
    session.on("function_call", on_call)
    session.on("input_audio_transcription_completed", lambda ev: ev.is_final and out["user_transcripts"].append(ev.transcript))
    session.on("session_reconnected", lambda _ev: out.__setitem__("reconnects", out["reconnects"] + 1))
    def on_error(ev) -> None:
        out["errors"].append({"error": str(ev.error), "recoverable": ev.recoverable})
        if not ev.recoverable:
            done.set()  # the session is over: nothing more will come

    session.on("error", on_error)

    async def read_audio() -> None:
        async for f in session.audio_stream:
            if out["first_audio_ms"] is None:
                out["first_audio_ms"] = now_ms()
            out["audio_bytes"] += len(f.frame.data.tobytes())

    reader = asyncio.ensure_future(read_audio())
    await session._update_session(instructions="You are a test agent.", tools=[get_weather] if args.tools else [])
    with wave.open(args.wav, "rb") as w:
        pcm = w.readframes(w.getnframes())
    await push(session, pcm + b"\x00" * (24000 * 2 * 3 // 2))
    try:
        await asyncio.wait_for(done.wait(), args.timeout)
    except asyncio.TimeoutError:
        out["timed_out"] = True
    if args.after_s:
        await asyncio.sleep(args.after_s)  # let a reconnect happen, if the plugin makes one
    out["session_id"] = session.session_id
    try:
        await asyncio.wait_for(session.aclose(), 10)
    except Exception as e:  # noqa: BLE001 - aclose re-raises what ended the session
        out["aclose_exception"] = f"{type(e).__name__}: {e}"
    reader.cancel()
    await model.aclose()
    out["warnings"], out["log_errors"] = cap.warnings, cap.errors
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--base-url", required=True)
    p.add_argument("--wav", required=True)
    p.add_argument("--tools", action="store_true")
    p.add_argument("--timeout", type=float, default=20)
    p.add_argument("--after-s", type=float, default=0)
    p.add_argument("--json-log", help="also write the plugin's log as livekit-agents' production JSON lines (debug)")
    args = p.parse_args()
    if args.json_log:
        from livekit.agents.cli.log import JsonFormatter

        h = logging.FileHandler(args.json_log)
        h.setFormatter(JsonFormatter())
        logging.getLogger().addHandler(h)
        logging.getLogger().setLevel(logging.DEBUG)
    try:
        out = asyncio.run(run(args))
    except Exception as e:  # noqa: BLE001 - the summary says what failed
        out = {"exception": f"{type(e).__name__}: {e}"}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
