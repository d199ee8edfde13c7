"""How much of a Spanish or Chinese reply is really in Spanish or Chinese (issue 13's figure).

    python -m quality.language_share [--out docs/language-share.json]

The 40 translated eval questions (tests/data/eval_translations.yaml, each in Spanish and in
Traditional Chinese) are answered offline, as a person writing that message would be. In each
reply, what may stay in another language is taken out first: web addresses, phone numbers and
other digits, markdown link targets, the citations of the sources it cites, the names of
platforms, helplines and organisations in the directory, and labels quoted as the platform shows
them ("Report", «…», 「…」). What is left is measured:
- Chinese: the share of its letters that are Han characters (the rest is Latin-script words);
- Spanish: the share of its characters in sentences lingua reads as Spanish rather than English
  (sentences of four or more words; shorter fragments are not judged).
The report lists each language's mean and lowest share and the replies below 0.9 with the
sentences that pulled them down, so the next translation work knows where to look.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "tests" / "data" / "eval_translations.yaml"
EVAL_SET = ROOT / "tests" / "data" / "eval_set.yaml"
_URL = re.compile(r"https?://\S+|www\.\S+|\b[\w.-]+\.(?:com|org|gov|net|tw|io|me|gg|app)(?:/\S*)?\b")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_QUOTED = re.compile(r'"[^"\n]{1,60}"|«[^»\n]{1,60}»|「[^」\n]{1,60}」|“[^”\n]{1,60}”')
_DIGITS = re.compile(r"[\d§()+\-–—:/.,#*_|`>\[\]]+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
_SENTENCE = re.compile(r"[^.!?。！？\n]+")


def names(search) -> list[str]:
    """Names that stay as they are in any language, longest first."""
    out: set[str] = set()
    for sid, entry in search.sources().items():
        meta = entry.get("meta") or {}
        out.update(str(a) for a in meta.get("aliases") or [])
        for key in ("name", "citation"):
            if meta.get(key):
                out.add(str(meta[key]))
        if entry.get("citation"):
            out.add(str(entry["citation"]))
        if (entry.get("path") or "").startswith("directory/"):
            out.add(str(entry.get("title") or ""))
    for chunk in search.chunks.values():
        out.add(chunk.citation)
    return sorted((n for n in out if len(n) >= 2), key=len, reverse=True)


def stripped(reply: str, known: list[str]) -> str:
    text = _LINK_TARGET.sub("]", reply)
    text = _URL.sub(" ", text)
    text = _QUOTED.sub(" ", text)
    lowered = text.lower()
    for name in known:
        if name.lower() in lowered:
            text = re.sub(re.escape(name), " ", text, flags=re.I)
            lowered = text.lower()
    return _DIGITS.sub(" ", text)


def share_zh(text: str) -> float | None:
    han, latin = len(_HAN.findall(text)), len(_LATIN.findall(text))
    return han / (han + latin) if han + latin else None


def share_es(text: str, detector) -> tuple[float | None, list[str]]:
    from lingua import Language

    judged = ours = 0
    other: list[str] = []
    for sentence in (s.strip() for s in _SENTENCE.findall(text)):
        if len(sentence.split()) < 4:
            continue
        lang = detector.detect_language_of(sentence)
        judged += len(sentence)
        if lang == Language.SPANISH:
            ours += len(sentence)
        else:
            other.append(sentence[:120])
    return (ours / judged if judged else None), other


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "language-share.json")
    args = parser.parse_args(argv)
    from lingua import Language, LanguageDetectorBuilder

    from bot.answer.assistant import Assistant
    from bot.config import Settings

    assistant = Assistant(Settings())
    known = names(assistant.search)
    detector = LanguageDetectorBuilder.from_languages(Language.SPANISH, Language.ENGLISH).build()
    originals = {c["id"]: c for c in yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))}
    report: dict = {}
    for lang in ("es", "zh-TW"):
        rows = []
        for item in yaml.safe_load(TRANSLATIONS.read_text(encoding="utf-8")):
            original = originals.get(item["id"], {})
            answer = assistant.answer(item[lang], jurisdiction=original.get("state"),
                                      persona=original.get("persona", "victim"))
            left = stripped(answer.answer, known)
            if lang == "zh-TW":
                share, other = share_zh(left), [w for w in re.findall(r"[A-Za-z][A-Za-z' ]{3,}", left)][:6]
            else:
                share, other = share_es(left, detector)
            rows.append({"id": item["id"], "reply_lang": answer.lang, "share": None if share is None else round(share, 3),
                         "not_in_language": other[:6]})
        shares = [r["share"] for r in rows if r["share"] is not None]
        report[lang] = {"replies": len(rows), "replied_in_language": sum(r["reply_lang"] == lang for r in rows),
                        "mean_share": round(statistics.mean(shares), 3), "median_share": round(statistics.median(shares), 3),
                        "lowest_share": min(shares), "below_0_9": [r for r in rows if r["share"] is not None and r["share"] < 0.9]}
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    for lang, r in report.items():
        print(lang, {k: v for k, v in r.items() if k != "below_0_9"}, "below 0.9:", [x["id"] for x in r["below_0_9"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
