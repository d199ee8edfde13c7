"""Answering embeds the question with the ONNX export of the retrieval model, without torch;
its vectors must be the index's model's vectors (issue 15's rule: cosine ≥ 0.999)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import yaml

from bot.config import Settings
from bot.query_encoder import QueryEncoder, get_query_encoder
from ingest.export_encoder import encoder_paths, export, is_current
from tests.conftest import DATA, ROOT


def questions() -> list[str]:
    english = [c["q"] for c in yaml.safe_load((DATA / "eval_set.yaml").read_text(encoding="utf-8"))]
    translated = yaml.safe_load((DATA / "eval_translations.yaml").read_text(encoding="utf-8"))
    other = [t for item in (translated if isinstance(translated, list) else translated.get("items", []))
             for k, t in item.items() if k in ("es", "zh-TW", "zh") and isinstance(t, str)]
    return english + other


def test_the_onnx_encoder_agrees_with_sentence_transformers_on_every_eval_question(embedder):
    settings = Settings()
    export(settings)  # ingest writes it; a no-op when current
    assert is_current(settings)
    fast = QueryEncoder(settings)
    texts = questions()
    assert len(texts) >= 221
    cosines = (fast.embed(texts) * embedder.embed(texts)).sum(axis=1)
    assert cosines.min() >= 0.999, texts[int(cosines.argmin())]
    one = fast.embed_one(texts[0])
    assert abs(float(np.linalg.norm(one)) - 1.0) < 1e-4 and fast.name == embedder.name


def test_a_stale_or_missing_export_falls_back_to_sentence_transformers(tmp_path, caplog):
    settings = Settings(models_dir=tmp_path)
    assert not is_current(settings)
    graph, key = encoder_paths(settings)
    graph.write_bytes(b"not a model")
    key.write_text(json.dumps({"model": "another", "version": "0"}), encoding="utf-8")
    with caplog.at_level("WARNING"):
        encoder = get_query_encoder(settings)
    assert not isinstance(encoder, QueryEncoder) and "no current ONNX query encoder" in caplog.text


def test_answering_a_question_or_drafting_a_letter_imports_no_torch_or_gradio(knowledge_settings):
    # A cold `recourse ask` spent most of its time importing torch and sentence-transformers
    # to embed one question: the answering path must not import them at all.
    export(Settings())
    code = ("import sys, json; from bot.config import Settings; from bot.answer.assistant import Assistant; "
            f"a = Assistant(Settings(index_dir={str(knowledge_settings.index_dir)!r})); "
            "ans = a.answer('Can I sue someone who posted my nude photos?'); "
            "letter = a.answer('write my TAKE IT DOWN request', history=['my nudes are on reddit']); "
            "print(json.dumps({'torch': 'torch' in sys.modules, 'st': 'sentence_transformers' in sys.modules, "
            "'gradio': 'gradio' in sys.modules, 'chromadb': 'chromadb' in sys.modules, 'cited': bool(ans.citations), 'letter': letter.intent}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    # Nor Gradio (the Take action tab's module), which a letter drafted in the chat used to load.
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"torch": False, "st": False, "gradio": False,
                                                               "chromadb": False, "cited": True, "letter": "task"}
