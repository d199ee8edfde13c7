"""`recourse`: one command, thin subcommands over the library (ingest, validate, search, ask…).

Each subcommand parses arguments, calls one library function and prints the result (as JSON
with --json). A RecourseError becomes its message and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.config import Settings  # noqa: E402
from bot.errors import RecourseError  # noqa: E402


def settings_from(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "knowledge", None):
        overrides["knowledge_dir"] = Path(args.knowledge)
    if getattr(args, "index", None):
        overrides["index_dir"] = Path(args.index)
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None):
        overrides["port"] = args.port
    return Settings(**overrides)


def emit(data, as_json: bool, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str) if as_json else text)


def cmd_ingest(args) -> int:
    from ingest.pipeline import rebuild_index, run_ingest

    if args.rebuild:
        report = rebuild_index(settings_from(args))
    else:
        report = run_ingest(settings_from(args), dry_run=args.dry_run)
    emit(report.to_json(), args.json, report.render())
    return 0


def cmd_validate(args) -> int:
    """Every file's schema (loaders), then the checks across files (ingest/audit.py), then counts."""
    from ingest.audit import audit
    from ingest.loaders import load_sources

    settings = settings_from(args)
    result = load_sources(settings.knowledge_dir)
    found = audit(result.sources, result.routes)
    errors = [*result.errors, *found.errors]
    if args.json:
        print(json.dumps({"sources": len(result.sources), "errors": [str(e) for e in errors],
                          "warnings": [str(w) for w in found.warnings], "counts": found.counts}))
    else:
        for err in errors:
            print(f"{settings.knowledge_dir.name}/{err}", file=sys.stderr)
        for warning in found.warnings:
            print(f"warning: {settings.knowledge_dir.name}/{warning}", file=sys.stderr)
        c = found.counts
        print(f"{c['markdown']} files ({c['verified']} fully verified, {c['partial']} partly), "
              f"{c['directory']} directory records, {c['states']} US state files, {c['platforms']} platforms, "
              f"{c['countries_with_routes']} of {c['countries']} countries with crisis, danger and minor routes.")
        if not errors:
            print(f"OK: {len(result.sources)} sources valid.")
    return 1 if errors else 0


def cmd_sources(args) -> int:
    from bot.sources import list_sources

    rows = list_sources(settings_from(args), stale_days=args.stale)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return 0
    for r in rows:
        print(f"{r['id']:34} {r['jurisdiction']:7} {r['kind']:9} {r['last_verified']}  "
              f"{r['verification']:8} {r['citation']}")
    print(f"{len(rows)} sources" + (f" not verified in the last {args.stale} days" if args.stale else ""))
    return 0


def cmd_search(args) -> int:
    from bot.retrieval import HybridSearch

    hits = HybridSearch(settings_from(args)).search(args.query, args.k, args.state and
                                                   _place(args.state), args.lang)
    rows = [{"source_id": h.chunk.source_id, "score": h.score, "dense": h.dense,
             "citation": h.chunk.citation, "section": h.chunk.section, "url": h.chunk.url,
             "jurisdiction": h.chunk.jurisdiction, "text": h.chunk.text} for h in hits]
    emit(rows, args.json, "\n\n".join(
        f"{i}. [{r['score']:.4f}] {r['source_id']} › {r['section'] or ''}\n   {r['text'][:240]}"
        for i, r in enumerate(rows, 1)))
    return 0


def _place(value: str | None) -> str | None:
    from bot import jurisdictions

    return jurisdictions.normalise(value, state=True) if isinstance(value, str) and value else None


def cmd_ask(args) -> int:
    from bot.answer.assistant import Assistant

    assistant = Assistant(settings_from(args))
    if args.jsonl:
        from bot.batch import run_batch

        def answer(req) -> dict:
            ans = assistant.answer(req.q, jurisdiction=_place(req.state), lang=req.lang,
                                   persona=req.persona, qid=req.id, history=req.history)
            return ans.contract()

        run_batch(sys.stdin.buffer, sys.stdout, answer)
        return 0
    question = " ".join(args.question)
    ans = assistant.answer(question, jurisdiction=_place(args.state), lang=args.lang,
                           persona=args.persona)
    if args.json:
        print(json.dumps(ans.contract(), ensure_ascii=False, default=str))
    else:
        print(ans.answer)
        for n, c in enumerate(ans.citations, 1):
            print(f"[{n}] {c.citation}{' › ' + c.section if c.section else ''} — {c.url} "
                  f"(last verified {c.last_verified})")
    return 0


def cmd_fetch(args) -> int:
    from ingest.fetch import fetch_all, render

    settings = settings_from(args)
    results = fetch_all(settings.knowledge_dir, timeout=args.timeout, max_bytes=args.max_bytes,
                        dry_run=args.dry_run)
    emit([r.model_dump() for r in results], args.json, render(results))
    return 0


def cmd_chat(args) -> int:
    from bot.app import serve

    serve(settings_from(args))
    return 0


def cmd_eval(args) -> int:
    from quality.evaluate import run_eval

    return run_eval(settings_from(args), Path(args.file), as_json=args.json, baseline=args.baseline)


def cmd_bench(args) -> int:
    from quality.bench import run_bench

    sizes = [int(x) for x in args.sizes.split(",")]
    run_bench(settings_from(args), sizes, Path(args.out))
    print(f"wrote {args.out}/benchmarks.md")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="recourse", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, func, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_)
        p.add_argument("--knowledge", help="knowledge directory (default knowledge/)")
        p.add_argument("--index", help="index directory (default var/index)")
        p.set_defaults(func=func)
        return p

    p = command("ingest", cmd_ingest, "build or update the index from knowledge/")
    p.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")
    p.add_argument("--rebuild", action="store_true",
                   help="build a fresh local index beside the old one and swap it in (a damaged index)")
    p.add_argument("--json", action="store_true")
    p = command("validate", cmd_validate, "check every knowledge file")
    p.add_argument("--json", action="store_true")
    p = command("sources", cmd_sources, "list the indexed sources")
    p.add_argument("--stale", type=int, metavar="DAYS", help="only sources older than DAYS")
    p.add_argument("--json", action="store_true")
    p = command("search", cmd_search, "ranked passages for a query")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=6)
    p.add_argument("--state", help="US state code or jurisdiction (TX, US-TX, GB-SCT)")
    p.add_argument("--lang")
    p.add_argument("--json", action="store_true")
    p = command("ask", cmd_ask, "answer a question (or JSON lines on stdin with --jsonl)")
    p.add_argument("question", nargs="*")
    p.add_argument("--state")
    p.add_argument("--lang")
    p.add_argument("--persona", choices=["victim", "staff"], default="victim")
    p.add_argument("--json", action="store_true")
    p.add_argument("--jsonl", action="store_true")
    p = command("fetch", cmd_fetch, "snapshot the official pages in knowledge/remote.yaml")
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--max-bytes", type=int, default=5_000_000)
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--json", action="store_true")
    p = command("chat", cmd_chat, "serve the web app")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p = command("eval", cmd_eval, "run a question set and report pass rate and retrieval figures")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.add_argument("--baseline", action="store_true", help="also run the naive LangChain baseline")
    p = command("bench", cmd_bench, "benchmarks → docs/benchmarks.md (a script, not a test)")
    p.add_argument("--sizes", default="1000,10000,100000", help="index sizes for query latency")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("RECOURSE_LOG_LEVEL", "WARNING"),
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except RecourseError as exc:
        print(f"recourse: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `recourse ask … | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
    except Exception as exc:  # the person gets a sentence, the log gets the details
        logging.getLogger("recourse").debug("unexpected error", exc_info=True)
        print(f"recourse: sorry, something went wrong ({type(exc).__name__}: {exc}). "
              "Run with RECOURSE_LOG_LEVEL=DEBUG for details.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
