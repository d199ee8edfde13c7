"""The typed records that travel along the data path: sources, chunks, citations, answers.

The JSON the CLI prints is `model_dump()` of the same objects the app renders, so the CLI
contract in DESIGN.md cannot drift from what people see in the browser.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["statute", "bill", "policy", "guide", "directory"]


class Source(BaseModel):
    """One file (or one directory record) from knowledge/, with its front matter."""

    id: str
    title: str
    kind: Kind
    jurisdiction: str
    citation: str
    url: str
    last_verified: date
    lang: str = "en"
    topics: list[str] = Field(default_factory=list)
    summary: str = ""
    audience: str = "any"
    verification: str = "full"
    path: str = ""  # relative to the knowledge dir, for messages and reports
    body: str = ""
    meta: dict = Field(default_factory=dict)  # everything else in the front matter
    content_hash: str = ""


class Chunk(BaseModel):
    """One retrievable passage: a statute subsection, a guide step, a directory record."""

    id: str
    source_id: str
    text: str
    heading: str  # "15 U.S.C. § 6851 › (b)(3) Relief"
    section: str | None = None
    title: str
    kind: str
    jurisdiction: str
    citation: str
    url: str
    last_verified: str
    lang: str = "en"
    audience: str = "any"
    source_hash: str = ""

    def metadata(self) -> dict:
        """Flat metadata for Chroma (scalars only)."""
        return self.model_dump(exclude={"id", "text"}, exclude_none=True)


class ScoredChunk(BaseModel):
    chunk: Chunk
    score: float  # fused score, higher is better
    dense: float | None = None  # cosine similarity from the dense search, if it found it
    exact: bool = False  # the query named this chunk's statute number or subsection


class Citation(BaseModel):
    source_id: str
    title: str
    citation: str
    section: str | None = None
    url: str
    jurisdiction: str
    last_verified: str

    @classmethod
    def of(cls, chunk: Chunk) -> "Citation":
        return cls(
            source_id=chunk.source_id, title=chunk.title, citation=chunk.citation,
            section=chunk.section, url=chunk.url, jurisdiction=chunk.jurisdiction,
            last_verified=chunk.last_verified,
        )


class Resource(BaseModel):
    """A directory entry shown with an answer."""

    id: str = ""
    name: str
    phone: str | None = None
    sms: str | None = None
    url: str | None = None
    hours: str | None = None


class SafetyFlags(BaseModel):
    crisis: bool = False
    minor: bool = False
    danger: bool = False
    misuse: bool = False
    injection: bool = False
    image_request: bool = False

    @property
    def refuses(self) -> bool:
        """Requests for intimate images and attempts to override the rules are both refused."""
        return self.misuse or self.injection


class Answer(BaseModel):
    id: str | None = None
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    resources: list[Resource] = Field(default_factory=list)
    safety: SafetyFlags = Field(default_factory=SafetyFlags)
    refused: bool = False
    mode: Literal["offline", "llm"] = "offline"
    lang: str = "en"
    grounded: bool = True  # False when retrieval found nothing good enough
    notice: str | None = None  # e.g. "the AI model could not be reached; offline answer"
    # From the understand and plan stages (DESIGN.md): what the message is, what the
    # conversation has told us, and the plan shown ({title, text, url, citation}).
    intent: str | None = None
    facts: dict = Field(default_factory=dict)
    steps: list[dict] = Field(default_factory=list)
    # A letter drafted in the chat: its kind and the fields the conversation filled ({kind,
    # platform, urls}), so the Take action tab can open with them.
    letter: dict | None = None
    # LLM mode: what the verifier checked (sentences, kept, dropped with reasons, seconds to the
    # first verified sentence, fallback reason); None when no model was asked.
    llm_check: dict | None = None

    def contract(self) -> dict:
        """The DESIGN.md answer object (safety limited to its three public flags)."""
        data = self.model_dump()
        data["safety"] = {k: data["safety"][k] for k in ("crisis", "minor", "danger")}
        return data
