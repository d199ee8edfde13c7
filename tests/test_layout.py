"""The answering core never imports the quality tooling (evaluation, baseline, benchmarks)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_bot_never_imports_quality_except_cli_commands():
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        if path.name == "cli.py":
            continue  # the eval and bench commands load quality/ lazily, on request
        if any(m == "quality" or m.startswith("quality.") for m in imported_modules(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_answer_stage_modules_stay_small():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines())
             for p in (ROOT / "bot" / "answer").glob("*.py")}
    assert all(n <= 320 for n in sizes.values()), sizes
