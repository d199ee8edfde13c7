"""One settings object for the whole program, read from `RECOURSE_*` environment variables.

Built once at start-up (CLI or app) and passed down; nothing else reads os.environ. The
defaults give the embedded, offline mode with no configuration at all.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RECOURSE_", extra="ignore")

    knowledge_dir: Path = ROOT / "knowledge"
    index_dir: Path = ROOT / "var" / "index"
    # Model files made here (the ONNX query encoder; the benchmark's GGUF), not in the index.
    models_dir: Path = ROOT / "var" / "models"
    collection: str = "recourse"
    # A Chroma server ("http://host:port"); unset means the embedded PersistentClient.
    chroma_url: str | None = None

    host: str = "127.0.0.1"
    port: int = 7860
    # Replies worked on at once per process; the rest wait in the queue (and are told so).
    concurrency: int = 8

    # OpenAI-compatible endpoint: all three must be set for the LLM composer to be used.
    llm_model: str | None = None
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "RECOURSE_OPENAI_BASE_URL")
    )
    openai_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "RECOURSE_OPENAI_API_KEY")
    )
    llm_timeout: float = 20.0

    # Retrieval
    top_k: int = 6
    # Below this cosine similarity for the best passage, the answer says it found nothing.
    min_relevance: float = 0.30

    # Privacy: conversation text is never logged unless the operator switches this on.
    log_conversations: bool = False
    log_level: str = "WARNING"

    # Staff views: when both are set, the staff tab asks for them.
    staff_user: str | None = None
    staff_password: str | None = None

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_model and self.openai_base_url)
