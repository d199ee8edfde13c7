"""Simultaneous chat sessions against a running app, speaking the browser's own protocol.

Each session is what one open page does: it joins Gradio's queue with its session hash
(POST /gradio_api/queue/join) and reads the replies from the session's event stream
(GET /gradio_api/queue/data), so the app keeps its conversation (gr.State) across questions.
Written with asyncio and httpx rather than gradio_client because the load generator shares this
2-core machine with the app: 50 gradio_client sessions used more than one core by themselves
(2026-12-06: 15.9 CPU-s in 15 s, beside the app's 13.4), so the figures measured the client.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import statistics
import time
from dataclasses import dataclass, field

import httpx


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    crosstalk: list[str] = field(default_factory=list)
    served_by: dict[str, int] = field(default_factory=dict)  # behind a balancer: sessions per replica cookie
    wall_s: float = 0.0

    def summary(self) -> dict:
        lat = sorted(self.latencies)
        return {"answers": len(lat), "errors": self.errors, "crosstalk": self.crosstalk, "served_by": self.served_by,
                "p50_s": round(statistics.median(lat), 3) if lat else None,
                "p95_s": round(lat[int(0.95 * (len(lat) - 1))], 3) if lat else None,
                "wall_s": round(self.wall_s, 2),
                "answers_per_s": round(len(lat) / self.wall_s, 1) if self.wall_s else None}


def reply_endpoint(url: str) -> tuple[int, int]:
    """(fn index of the chat's /reply event, how many inputs it takes, States included)."""
    config = httpx.get(f"{url.rstrip('/')}/config", timeout=30).json()
    for i, dep in enumerate(config["dependencies"]):
        if dep.get("api_name") == "reply":
            return dep.get("id", i), len(dep["inputs"])
    raise RuntimeError("the app has no /reply event")


def _text(chat: list) -> str:
    content = chat[-1]["content"] if chat else ""
    return content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)


async def _ask(client: httpx.AsyncClient, url: str, fn: int, session: str, question: str, turns: int) -> str:
    data = [question, None, None, "", "victim", "", turns]  # the States' places are sent empty
    joined = await client.post(f"{url}/gradio_api/queue/join", json={
        "data": data, "fn_index": fn, "session_hash": session, "event_data": None, "trigger_id": None})
    joined.raise_for_status()
    event = joined.json()["event_id"]
    async with client.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": session}) as stream:
        async for line in stream.aiter_lines():
            if not line.startswith("data:"):
                continue
            msg = json.loads(line[5:])
            if msg.get("event_id") != event or msg.get("msg") != "process_completed":
                continue
            if not msg.get("success"):
                raise RuntimeError(f"the app reported a failure: {msg.get('title')}")
            return _text(msg["output"]["data"][0])
    raise RuntimeError("the event stream ended before the reply")


async def _session(url: str, fn: int, code: str, name: str, rounds: int, result: LoadResult,
                   start: asyncio.Event, cookie: str) -> None:
    session = secrets.token_hex(6)
    async with httpx.AsyncClient(timeout=httpx.Timeout(180, connect=30)) as client:
        await start.wait()
        try:
            # The page first, as a browser loads it: behind a balancer this sets the sticky
            # cookie, which the client's cookie jar then sends with every request.
            (await client.get(f"{url}/")).raise_for_status()
            if replica := client.cookies.get(cookie):
                result.served_by[replica] = result.served_by.get(replica, 0) + 1
            for turn in range(rounds):
                t0 = time.perf_counter()
                text = await _ask(client, url, fn, session, f"What does {name} law say about sharing intimate images?", turn)
                result.latencies.append(time.perf_counter() - t0)
                if name not in text and code not in text:
                    result.crosstalk.append(name)
        except Exception as exc:  # counted, reported
            result.errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:160]}")


async def _drive(url: str, states: list[tuple[str, str]], rounds: int, cookie: str) -> LoadResult:
    fn, _ = await asyncio.to_thread(reply_endpoint, url)
    result, start = LoadResult(), asyncio.Event()
    tasks = [asyncio.create_task(_session(url, fn, code, name, rounds, result, start, cookie))
             for code, name in states]
    await asyncio.sleep(0.1)
    t0 = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    result.wall_s = time.perf_counter() - t0
    return result


def drive(url: str, states: list[tuple[str, str]], rounds: int, cookie: str = "RECOURSE_REPLICA") -> LoadResult:
    """One session per (state code, state name), all at once, `rounds` questions each about
    that state; an answer that does not name its session's state counts as cross-talk.
    `cookie`: the balancer's sticky cookie, to count sessions per replica."""
    return asyncio.run(_drive(url.rstrip("/"), states, rounds, cookie))
