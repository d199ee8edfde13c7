"""Shared fixtures: the real embedding model (loaded once), real Chroma indexes built once.

`corpus_settings` is a small fixture knowledge base (tests/data/corpus) with a broken file in
it; `knowledge_settings` is the real knowledge/ tree. Both are ingested into temp dirs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "RECOURSE_LLM_MODEL", "RECOURSE_CHROMA_URL"):
    os.environ.pop(var, None)

from bot.config import Settings  # noqa: E402
from ingest.embed import get_embedder  # noqa: E402
from ingest.pipeline import run_ingest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def embedder():
    return get_embedder()


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory, embedder) -> Settings:
    """The fixture corpus, copied (tests may edit the copy) and ingested once."""
    base = tmp_path_factory.mktemp("corpus")
    shutil.copytree(DATA / "corpus", base / "knowledge")
    settings = Settings(knowledge_dir=base / "knowledge", index_dir=base / "index")
    run_ingest(settings, embedder=embedder, progress=False)
    return settings


@pytest.fixture(scope="session")
def knowledge_settings(tmp_path_factory, embedder) -> Settings:
    """The real knowledge base, ingested once into a temp index."""
    settings = Settings(knowledge_dir=ROOT / "knowledge", index_dir=tmp_path_factory.mktemp("kindex"))
    run_ingest(settings, embedder=embedder, progress=False)
    return settings


@pytest.fixture(scope="session")
def corpus_assistant(corpus_settings, embedder):
    from bot.answer.assistant import Assistant
    return Assistant(corpus_settings, embedder=embedder)


@pytest.fixture(scope="session")
def assistant(knowledge_settings, embedder):
    from bot.answer.assistant import Assistant
    return Assistant(knowledge_settings, embedder=embedder)
