"""Check a plain-language rewrite of knowledge files against the committed version.

    .venv/bin/python scripts/check_rewrite.py knowledge/laws/us/states/tx.md [...]
    .venv/bin/python scripts/check_rewrite.py --changed      # every modified knowledge file

A rewrite may change wording only. For each file this compares the working copy with `git HEAD`
and fails when the front matter or a heading changed, or when any number, section reference,
address, e-mail or quoted phrase ("...") was dropped or added. It also prints the
Flesch-Kincaid grade of the body before and after, so the rewrite can be seen to help.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from offline_textstat import textstat

ROOT = Path(__file__).resolve().parent.parent

# Facts that must survive a rewrite unchanged. Numbers are compared without thousands commas.
PATTERNS = {
    "url": re.compile(r"https?://[^\s)>\]]+"),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "section": re.compile(r"§+\s*[\w.\-()]+"),
    "quote": re.compile(r"\"[^\"]{3,}?\"|“[^”]{3,}?”"),
    "number": re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?"),
}


def split(text: str) -> tuple[str, str]:
    if text.startswith("---"):
        end = text.index("\n---", 3)
        return text[: end + 4], text[end + 4 :]
    return "", text


def facts(body: str) -> dict[str, Counter]:
    out = {}
    flat = re.sub(r"\s+", " ", body)  # a quotation may wrap onto the next line
    for name, pattern in PATTERNS.items():
        found = [m.group(0).rstrip(".,;:") for m in pattern.finditer(flat)]
        if name == "number":
            found = [f.replace(",", "") for f in found]
        out[name] = Counter(found)
    return out


def prose(body: str) -> str:
    lines = [l for l in body.splitlines() if l.strip() and not l.startswith("#")]
    return re.sub(r"https?://\S+|\*\*|`", "", "\n".join(lines))


def check(path: Path) -> list[str]:
    rel = path.resolve().relative_to(ROOT)
    old = subprocess.run(
        ["git", "show", f"HEAD:{rel}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    new = path.read_text(encoding="utf-8")
    problems: list[str] = []
    old_front, old_body = split(old)
    new_front, new_body = split(new)
    if old_front != new_front:
        problems.append("front matter changed")
    old_heads = [l for l in old_body.splitlines() if l.startswith("#")]
    new_heads = [l for l in new_body.splitlines() if l.startswith("#")]
    if old_heads != new_heads:
        problems.append(f"headings changed: {sorted(set(old_heads) ^ set(new_heads))}")
    before, after = facts(old_body), facts(new_body)
    for name in PATTERNS:
        lost = before[name] - after[name]
        added = after[name] - before[name]
        if lost:
            problems.append(f"{name} dropped: {sorted(lost)}")
        if added:
            problems.append(f"{name} added: {sorted(added)}")
    grade_old = textstat.flesch_kincaid_grade(prose(old_body))
    grade_new = textstat.flesch_kincaid_grade(prose(new_body))
    status = "OK " if not problems else "BAD"
    print(f"{status} {rel}: grade {grade_old:.1f} -> {grade_new:.1f}")
    for p in problems:
        print(f"    {p}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--changed", action="store_true", help="check every modified .md file")
    args = parser.parse_args()
    files = list(args.files)
    if args.changed:
        out = subprocess.run(
            ["git", "diff", "--name-only", "HEAD", "--", "knowledge"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout
        files += [ROOT / f for f in out.split() if f.endswith(".md")]
    bad = sum(bool(check(f)) for f in files)
    print(f"{len(files) - bad} of {len(files)} files pass")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
