"""Drive LiveKit's own RealtimeModel.with_azure (unmodified) against the lkdiag simulator's Azure paths.

Usage: python azure_client.py --endpoint http://127.0.0.1:PORT [--api-version V] [--urls JSON]

With --urls, prints process_base_url() for each case ([base, deployment, api_version]) and exits: the
URL construction lkdiag copies (src/protocol/providers.ts), checked against the plugin's own function.
Otherwise: with_azure → session → generate_reply → one spoken reply; prints one JSON summary on stdout:
  {"ok": bool, "reply": {...}, "errors": [...], "warnings": [...], "exception"?: str}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys

from livekit.agents import llm
from livekit.agents.llm._realtime.openai import process_base_url
from livekit.plugins import openai


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(record.getMessage())


async def consume(gen: llm.GenerationCreatedEvent) -> dict:
    out = {"messages": 0, "audio_frames": 0, "text": ""}

    async def read(msg: llm.MessageGeneration) -> None:
        out["messages"] += 1

        async def text() -> None:
            async for t in msg.text_stream:
                out["text"] += str(t)

        task = asyncio.create_task(text())
        async for _f in msg.audio_stream:
            out["audio_frames"] += 1
        await task

    tasks = [asyncio.create_task(read(m)) async for m in gen.message_stream]
    await asyncio.gather(*tasks)
    return out


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint")
    ap.add_argument("--api-version")
    ap.add_argument("--urls")
    args = ap.parse_args()
    if args.urls:
        cases = json.loads(args.urls)
        print(json.dumps([process_base_url(b, "unused", is_azure=True, azure_deployment=d, api_version=v) for b, d, v in cases]))
        return 0

    cap = Capture()
    logging.getLogger("livekit").addHandler(cap)
    result: dict = {"ok": False}
    kwargs = {"api_version": args.api_version} if args.api_version else {}
    model = openai.realtime.RealtimeModel.with_azure(
        azure_deployment="my-realtime", azure_endpoint=args.endpoint, api_key="0123456789abcdef0123456789abcdef", **kwargs
    )
    sess = model.session()
    errors: list[str] = []
    sess.on("error", lambda e: errors.append(f"{type(e.error).__name__}: {e.error}"))
    try:
        await sess.update_instructions("You are a test agent. Be brief.")
        gen = await asyncio.wait_for(sess.generate_reply(), 15)
        result["reply"] = await asyncio.wait_for(consume(gen), 20)
    except Exception as e:  # noqa: BLE001
        result["exception"] = f"{type(e).__name__}: {e}"
    finally:
        try:
            await sess.aclose()  # re-raises the session's connection error ("connection failed after 3 attempts")
        except Exception as e:  # noqa: BLE001
            result.setdefault("exception", f"{type(e).__name__}: {e}")
        await model.aclose()
    result["errors"] = cap.errors + errors
    result["warnings"] = cap.warnings
    result["ok"] = "exception" not in result
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
