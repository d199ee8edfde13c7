"""Split a source into retrievable chunks along its own structure.

A statute subsection or a guide step is one `##` section in the knowledge file, and it stays
whole: we split on headings (LangChain's MarkdownHeaderTextSplitter) and only cut a section
further when it is longer than MAX_CHARS. Every chunk keeps its heading path and the source's
citation metadata, so an answer can cite "15 U.S.C. § 6851 › (b)(3) Relief".
"""

from __future__ import annotations

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from bot.models import Chunk, Source

# Bump when the chunking rules or the metadata the loaders derive change: the index manifest
# records it and forces a rebuild.
CHUNKING_VERSION = "structure-v3"
MAX_CHARS = 1600
SKIPPED_SECTIONS = {"source", "sources", "fuente", "fuentes", "資料來源", "來源"}

_headers = MarkdownHeaderTextSplitter(
    headers_to_split_on=[("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True
)
_long = RecursiveCharacterTextSplitter(chunk_size=1200, chunk_overlap=150)


def chunk_source(source: Source) -> list[Chunk]:
    """The source's chunks in reading order (a directory record is a single chunk)."""
    base = dict(
        source_id=source.id, title=source.title, kind=source.kind,
        jurisdiction=source.jurisdiction, citation=source.citation, url=source.url,
        last_verified=source.last_verified.isoformat(), lang=source.lang,
        audience=source.audience, source_hash=source.content_hash,
    )
    if source.kind == "directory":
        return [Chunk(id=f"{source.id}:{source.content_hash}:0", text=source.body,
                      heading=source.title, section=None, **base)]
    pieces: list[tuple[str | None, str]] = []
    for doc in _headers.split_text(source.body):
        text = doc.page_content.strip()
        if not text:
            continue
        section = doc.metadata.get("h3") or doc.metadata.get("h2")
        if section and section.strip().lower() in SKIPPED_SECTIONS:
            continue  # the citation and address are already on every chunk
        if section and doc.metadata.get("h3") and doc.metadata.get("h2"):
            section = f"{doc.metadata['h2']} › {doc.metadata['h3']}"
        if section is None and source.summary:
            text = f"{source.summary}\n\n{text}"
        parts = [text] if len(text) <= MAX_CHARS else _long.split_text(text)
        pieces.extend((section, part) for part in parts)
    if not pieces and source.summary:
        pieces.append((None, source.summary))
    return [
        Chunk(id=f"{source.id}:{source.content_hash}:{n}", text=text,
              heading=f"{source.citation} › {section}" if section else source.citation,
              section=section, **base)
        for n, (section, text) in enumerate(pieces)
    ]


def embedding_text(chunk: Chunk) -> str:
    """What the model embeds: title and heading give a short passage its context."""
    return f"{chunk.title}. {chunk.heading}\n{chunk.text}"
