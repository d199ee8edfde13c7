"""Replicas that really run (issue 15): a Chroma server, two app processes reading it, and
haproxy in front of them on 127.0.0.1, driven by simultaneous chat sessions through the balancer.

    python -m quality.replicas [--sessions 100] [--out docs/replicas.md]

What it does, in order, and what it reports (docs/replicas.md + .json):
1. starts `chroma run` and seeds it with the local index's serving copy (var/index/live.npz —
   the same chunks, vectors and manifest `recourse ingest` wrote; run `make index` first), so
   the run does not spend two minutes re-embedding what is already embedded;
2. starts two `recourse chat` replicas on that server, and haproxy with sticky sessions: a cookie
   (RECOURSE_REPLICA) names the replica that served the page, and every later request of that
   session goes to it — Gradio keeps a conversation (gr.State) in the memory of the process
   serving it, so a session that wandered to the other replica would lose its thread;
3. drives `--sessions` simultaneous sessions of two questions each through haproxy (each asks
   about its own state: an answer naming another session's state is cross-talk);
4. meanwhile edits one source in a copy of knowledge/ and runs a real `recourse ingest` against
   the server, and polls each replica's /healthz until it serves the new generation;
5. kills one replica (SIGKILL) while sessions it served are mid-conversation, and records what
   each of them sees next: a reply from the live replica that says the thread was lost (a fresh
   conversation), or an error.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from quality.bench import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMA = Path(sys.executable).parent / "chroma"
COOKIE = "RECOURSE_REPLICA"
CHANGED_SOURCE = "guides/self-care.md"
MARKER = "Replica check sentence."


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer in {seconds:.0f} s")


def healthz(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as resp:
            return json.loads(resp.read())
    except OSError:
        return None


HAPROXY_CFG = """\
# Written by quality/replicas.py. No log section: haproxy logs nothing here.
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 180s
    timeout server 180s
    timeout tunnel 180s
    timeout check 5s
    option redispatch
    retries 2
frontend recourse
    bind 127.0.0.1:{port}
    default_backend replicas
backend replicas
    balance roundrobin
    # Sticky sessions: the first response sets the cookie naming its replica; a session whose
    # replica is down is sent to a live one (redispatch) and gets that one's cookie. Checks are
    # lenient (3 misses of 1 s, 5 s each): a replica busy answering is slow, not dead, and a
    # refused connection is retried on the other replica at once anyway.
    cookie {cookie} insert indirect nocache httponly
    option httpchk GET /healthz
    http-check expect status 200
{servers}
"""


def session_client(lb: str, replica_cookie: dict | None = None):
    """A Gradio API client that behaves like one browser tab behind the balancer: it loads the
    page (getting the sticky cookie) and sends that cookie with every request."""
    import httpx
    from gradio_client import Client

    page = httpx.get(lb, timeout=30, cookies=replica_cookie)
    cookies = {COOKIE: page.cookies.get(COOKIE) or (replica_cookie or {}).get(COOKIE, "")}
    return Client(lb, verbose=False, httpx_kwargs={"cookies": cookies, "timeout": 120}), cookies[COOKIE]


def ask(client, question: str, turns: int, timeout: float = 120) -> tuple[str, int, float]:
    t0 = time.perf_counter()
    out = client.submit(question, "", "victim", "", turns, api_name="/reply").result(timeout=timeout)
    chat, seen = out[0], out[-1]
    content = chat[-1]["content"]
    text = content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)
    return text, int(seen or 0), time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "replicas.md")
    parser.add_argument("--index", type=Path, default=None,
                        help="the local index whose serving copy seeds the server (default var/index)")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    report = run(args.sessions, args.index)
    args.out.write_text(render(report), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(render(report))
    return 0 if report["ok"] else 1


def run(sessions: int, index_dir: Path | None = None) -> dict:
    if shutil.which("haproxy") is None:
        raise SystemExit("haproxy is not installed (Debian: apt-get install haproxy)")
    sys.path.insert(0, str(ROOT))
    from bot.config import Settings
    from bot.jurisdictions import US_STATES
    from ingest.index import Index
    from ingest.snapshot import read_snapshot, snapshot_path

    local = read_snapshot(snapshot_path(Settings(**({"index_dir": index_dir} if index_dir else {}))))
    if local is None:
        raise SystemExit("no serving copy in var/index: run `make index` first")
    tmp = Path(tempfile.mkdtemp(prefix="recourse-replicas-"))
    procs: dict[str, subprocess.Popen] = {}
    try:
        knowledge = tmp / "knowledge"
        shutil.copytree(ROOT / "knowledge", knowledge)
        chroma_port = free_port()
        chroma_url = f"http://127.0.0.1:{chroma_port}"
        procs["chroma"] = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(tmp / "chroma"), "--host", "127.0.0.1", "--port", str(chroma_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(f"{chroma_url}/api/v2/heartbeat", 60)
        served = Settings(chroma_url=chroma_url, knowledge_dir=knowledge)
        t0 = time.perf_counter()
        store = Index(served, create=True)
        store.add(local.chunks, local.vectors)
        store.write_manifest({k: v for k, v in local.manifest.items() if k != "updated"})
        seed_s = time.perf_counter() - t0

        env = {**os.environ, "RECOURSE_CHROMA_URL": chroma_url, "RECOURSE_KNOWLEDGE_DIR": str(knowledge),
               "HF_HUB_OFFLINE": "1"}
        replicas = {name: f"http://127.0.0.1:{free_port()}" for name in ("r1", "r2")}
        t0 = time.perf_counter()
        for name, url in replicas.items():
            procs[name] = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "chat", "--port", url.rsplit(":", 1)[1]], cwd=ROOT,
                env={**env, "RECOURSE_REPLICA_NAME": name}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for url in replicas.values():
            wait_for(f"{url}/healthz", 180)
        replicas_ready_s = time.perf_counter() - t0

        lb_port = free_port()
        lb = f"http://127.0.0.1:{lb_port}/"
        servers = "\n".join(f"    server {name} {url[len('http://'):]} check inter 1s fall 3 rise 1 cookie {name}"
                            for name, url in replicas.items())
        cfg = tmp / "haproxy.cfg"
        cfg.write_text(HAPROXY_CFG.format(port=lb_port, cookie=COOKIE, servers=servers), encoding="utf-8")
        procs["haproxy"] = subprocess.Popen(["haproxy", "-f", str(cfg), "-db"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(f"{lb}healthz", 30)

        every = sorted(US_STATES.items())
        states = [every[i % len(every)] for i in range(sessions)]
        names = {name for _, name in states}
        generation_before = healthz(replicas["r1"])["generation"]

        # Load (quality/load.py: the browser's protocol, light on this machine's 2 cores) and,
        # while it runs, a re-ingest of one changed source against the same server.
        from quality.load import drive

        held: list = []
        loader = threading.Thread(target=lambda: held.append(drive(lb, states, 2, COOKIE)))
        t_load = time.perf_counter()
        loader.start()
        path = knowledge / CHANGED_SOURCE
        path.write_text(path.read_text(encoding="utf-8").rstrip() + f"\n\n{MARKER}\n", encoding="utf-8")
        ingest_started = time.perf_counter()
        ingest = subprocess.run([sys.executable, "-m", "bot.cli", "ingest"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=900)
        ingest_done = time.perf_counter()
        seen: dict[str, float | None] = {name: None for name in replicas}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and None in seen.values():
            for name, url in replicas.items():
                h = healthz(url)
                if seen[name] is None and h and h["generation"] != generation_before:
                    seen[name] = time.perf_counter() - ingest_done
            time.sleep(0.1)
        loader.join()
        result = held[0]
        wall = result.wall_s

        # A replica dies mid-conversation: sessions it served ask their next question.
        killed: list[dict] = []
        victims = []
        for code, name in every[:12]:
            try:
                client, replica = session_client(lb)
                text, turns, _ = ask(client, f"What does {name} law say about sharing intimate images?", 0)
                victims.append((client, replica, name, turns))
            except Exception as exc:
                killed.append({"state": name, "error": f"before the kill: {type(exc).__name__}: {str(exc)[:160]}"})
        procs["r1"].send_signal(signal.SIGKILL)
        procs["r1"].wait(timeout=30)
        t_kill = time.perf_counter()
        from bot.answer.phrases import phrase

        lost = phrase("session_lost", "en")
        for _, replica, name, turns in victims:
            if replica != "r1":
                continue
            try:
                # The page's next request, with its replica cookie, reaches the balancer, which
                # sends it to the live replica. (A new API client: gradio_client keeps one event
                # stream per client open to the replica it started on, which died with it; the
                # live replica sees a session it has never seen either way, as with a browser.)
                client, now_on = session_client(lb, {COOKIE: replica})
                text, _, took = ask(client, "and can I sue them?", turns, timeout=60)
                killed.append({"state": name, "seconds": round(took, 2), "error": None, "now_on": now_on,
                               "told_thread_lost": lost in text,
                               "other_state_named": [n for n in names if n != name and n in text]})
            except Exception as exc:
                killed.append({"state": name, "error": f"{type(exc).__name__}: {str(exc)[:160]}"})
        lat = sorted(result.latencies)
        report = {
            "date": time.strftime("%Y-%m-%d %H:%M"), "sessions": sessions, "questions": len(lat),
            "seed_s": round(seed_s, 1), "replicas_ready_s": round(replicas_ready_s, 1),
            "p50_s": round(statistics.median(lat), 2) if lat else None,
            "p95_s": round(lat[int(0.95 * (len(lat) - 1))], 2) if lat else None,
            "wall_s": round(wall, 1), "answers_per_s": round(len(lat) / wall, 1) if wall else None,
            "errors": result.errors, "crosstalk": result.crosstalk, "served_by": result.served_by,
            "ingest_rc": ingest.returncode, "ingest_s": round(ingest_done - ingest_started, 1),
            "ingest_tail": ingest.stdout.strip().splitlines()[-2:] if ingest.stdout else [],
            "seen_new_generation_s": {k: (round(v, 2) if v is not None else None) for k, v in seen.items()},
            "generation": {"before": generation_before, "after": (healthz(replicas["r2"]) or {}).get("generation")},
            "killed_replica": "r1", "after_kill": killed,
            "after_kill_s": round(time.perf_counter() - t_kill, 1),
        }
        report["ok"] = (not result.errors and not result.crosstalk and ingest.returncode == 0
                        and None not in seen.values() and bool(killed)
                        and all(k.get("error") is None and k.get("told_thread_lost") and not k.get("other_state_named")
                                for k in killed))
        return report
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def render(r: dict) -> str:
    kill = r["after_kill"]
    told = sum(1 for k in kill if k.get("told_thread_lost"))
    return f"""# Replicas behind a real load balancer

One run of `python -m quality.replicas --sessions {r['sessions']}` ({r['date']}, this 2-core machine):
a Chroma server (`chroma run`), two `recourse chat` replicas reading it, and haproxy (Debian's
package) in front, all on 127.0.0.1. Raw figures: `docs/replicas.json`.

## Sticky sessions
Gradio keeps a conversation (`gr.State`) in the memory of the process that serves it, so haproxy
keeps each session on one replica: the first response sets a cookie (`{COOKIE}`, the replica's
name and nothing else) and later requests carry it (`cookie … insert indirect nocache`). A replica
that stops answering its `/healthz` check is taken out, and its sessions are sent to a live one
(`option redispatch`). Sessions per replica this run: {r['served_by']}.

## Load through the balancer
- {r['sessions']} simultaneous sessions, {r['questions']} questions (two each, each about its own state):
  p50 **{r['p50_s']} s**, p95 **{r['p95_s']} s**, wall {r['wall_s']} s ({r['answers_per_s']} answers/s).
- Errors: **{len(r['errors'])}**; answers not about the session's own state (cross-talk):
  **{len(r['crosstalk'])}**. Sessions speak the browser's queue protocol (`quality/load.py`) and
  keep the sticky cookie in their cookie jar.
- Everything here shares this machine's 2 cores: the Chroma server, haproxy, the load generator
  and, during the load, the re-ingest below (which loads torch to embed the changed chunks). So
  these latencies say that the path works under load, not what two replicas on two hosts give:
  one app alone answers about 20 answers/s here (`docs/benchmarks.md`), and each replica on its
  own host adds its own.
- Start-up: seeding the server from the local serving copy {r['seed_s']} s; both replicas ready
  (answering /healthz) {r['replicas_ready_s']} s after they were started together.

## Re-ingest while serving
During the load, one source (`knowledge/{CHANGED_SOURCE}` in a copy) was edited and a real
`recourse ingest` was run against the same server: exit code {r['ingest_rc']}, {r['ingest_s']} s
(`{' / '.join(r['ingest_tail'])}`). Generation {r['generation']['before']} → {r['generation']['after']}.
Each replica served the new generation this long after ingest finished (it checks the manifest
at most every 2 s): {r['seen_new_generation_s']}. Nobody restarted anything.

## A replica killed mid-conversation
After the load, 12 new sessions asked one question each; then replica r1 was killed (SIGKILL)
and the sessions it had served asked their next question ("and can I sue them?"). {len(kill)}
sessions were on r1; {told} of them got a reply from r2 that says the thread of the conversation
was lost and that nothing they wrote was kept, and asks them to say again what they need (a fresh
conversation); errors: {sum(1 for k in kill if k.get('error'))}; replies naming another session's
state: {sum(1 for k in kill if k.get('other_state_named'))}. The browser's own page does the same:
the next message goes to the live replica, which starts the person's conversation afresh.

Verdict: {'all checks passed' if r['ok'] else 'SOME CHECKS FAILED (see docs/replicas.json)'}.
"""


if __name__ == "__main__":
    raise SystemExit(main())
