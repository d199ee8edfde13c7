"""How well the reply language is chosen: lingua (bot/answer/language.py) against the word list it
replaced, on every labelled message that carries a `lang`, plus short messages and messages in
languages we do not answer in.

    HF_HUB_OFFLINE=1 .venv/bin/python -m quality.language_eval [--out docs/language-figures.json]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import yaml

from bot.answer import language

ROOT = Path(__file__).resolve().parent.parent
SETS = ("guided_blind.yaml", "safety_set.yaml", "safety_holdout.yaml", "safety_blind.yaml",
        "safety_blind2.yaml", "safety_blind3.yaml", "safety_train_extra.yaml", "safety_train_crisis.yaml",
        "understand_train.yaml")
# Short messages and other languages, written for this check (what each should get).
PROBES = [("hola", "es"), ("ayuda", "es"), ("gracias", "es"), ("救命", "zh-TW"), ("謝謝", "zh-TW"),
          ("hello", "en"), ("help", "en"), ("ok", "en"), ("yes", "en"), ("Texas deepfake law", "en"),
          ("StopNCII", "en"), ("mis fotos", "es"),
          ("bonjour, quelqu'un a publié mes photos intimes", "other"),
          ("alguém postou minhas fotos íntimas na internet", "other"),
          ("jemand hat meine Nacktbilder ins Internet gestellt", "other"),
          ("qualcuno ha pubblicato le mie foto intime", "other"),
          ("có người đăng ảnh riêng tư của tôi lên mạng", "other")]

# The detector this replaced (bot/answer/phrases.py before 2026-12-03), kept here to compare.
_SPANISH = re.compile(r"\b(qué|que|cómo|como|mis|fotos|ayuda|puedo|hacer|permiso|íntimas|sin|por|"
                      r"denunciar|quiero|tengo|mi|una|un|hombre|mujer|ella|él|está|estoy)\b", re.I)


def old_detect(text: str) -> str:
    if re.search(r"[\u3400-\u9fff]", text):
        return "zh-TW"
    if len(_SPANISH.findall(text)) >= 2 or re.search(r"[¿¡ñ]", text):
        return "es"
    return "en"


def labelled() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str) and node.get("lang"):
                out.append((node["text"], node["lang"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in SETS:
        walk(yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8")))
    return out


def score(items: list[tuple[str, str]], detect) -> dict:
    total, right, other = Counter(), Counter(), Counter()
    for text, lang in items:
        got = detect(text)
        total[lang] += 1
        right[lang] += got == lang
        other[lang] += got == "other"
    return {lang: {"messages": total[lang], "accuracy": round(right[lang] / total[lang], 4),
                   "called_another_language": other[lang]} for lang in sorted(total)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.language_eval", description=__doc__.split("\n")[0])
    p.add_argument("--out", default=str(ROOT / "docs" / "language-figures.json"))
    args = p.parse_args(argv)
    items = labelled()
    figures = {"labelled_sets": list(SETS), "lingua": score(items, language.detect),
               "word_list_before": score(items, old_detect),
               "probes": [{"text": t, "want": w, "got": language.detect(t)} for t, w in PROBES]}
    figures["probes_right"] = sum(p["want"] == p["got"] for p in figures["probes"])
    Path(args.out).write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: figures[k] for k in ("lingua", "word_list_before", "probes_right")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
