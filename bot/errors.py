"""Every way a Recourse operation can fail on purpose, in one place.

    RecourseError                 base: the CLI prints the message and exits 1, the app says it calmly
    ├── KnowledgeError            a file in knowledge/ is malformed (message names file:line)
    ├── IndexMissing              no index yet: run `recourse ingest`
    ├── IndexIncompatible         the index was built with another model or chunking: rebuild
    ├── IndexDamaged              the index file is unreadable (0 bytes, not SQLite, malformed)
    ├── StoreUnavailable          the configured Chroma server cannot be reached
    ├── StorageError              the index failed while answering (shown calmly with helplines)
    ├── ModelMissing              the embedding model package is not installed
    └── LLMUnavailable            the configured OpenAI-compatible endpoint failed or timed out
"""

from __future__ import annotations


class RecourseError(Exception):
    """Base class: its message is shown to the person as-is, so it says what to do next."""


class KnowledgeError(RecourseError):
    """A knowledge file could not be read; `path` and `line` say where."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.reason = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class IndexMissing(RecourseError):
    """The index directory or collection does not exist yet."""


class IndexIncompatible(RecourseError):
    """The index manifest names another embedding model or chunking version."""


class IndexDamaged(RecourseError):
    """The embedded index's database is unreadable; the message says how to rebuild it."""


class StoreUnavailable(RecourseError):
    """RECOURSE_CHROMA_URL names a server that does not answer; named before the model loads."""


class StorageError(RecourseError):
    """Reading the index failed mid-conversation: the chat answers calmly with helplines."""


class ModelMissing(RecourseError):
    """The embedding model package is not importable."""


class LLMUnavailable(RecourseError):
    """The LLM endpoint failed; callers fall back to the offline composer."""
