"""Ready-to-send letters: filled from what the person entered, nothing invented."""

from __future__ import annotations

import base64
import io
import os
import tempfile

from docx import Document

from bot.notices import TEMPLATES, docx_bytes, docx_payload, evidence_text, fill
from tests.conftest import ROOT


def test_take_it_down_request_has_the_four_required_parts():
    text = fill("TAKE IT DOWN Act removal request", {
        "name": "Jane Example", "contact": "jane@example.org", "platform": "ExampleSite",
        "urls": "https://example.com/a\nhttps://example.com/b"}, ROOT / "knowledge")
    assert "/Jane Example/" in text  # signature
    assert "https://example.com/a" in text and "https://example.com/b" in text  # identification
    assert "good-faith belief" in text and "jane@example.org" in text  # statement, contact
    assert "48 hours" in text


def test_missing_fields_stay_visible_not_invented():
    text = fill("DMCA takedown notice", {"name": "Jane"}, ROOT / "knowledge")
    assert "[platform]" in text and "[urls]" in text


def test_every_template_fills_in_memory_without_writing_a_file():
    """Letters hold a person's name, contact and the image addresses: the .docx is built in
    memory (the old code wrote one shared file per letter kind into the temp directory)."""
    temp = tempfile.gettempdir()
    before = set(os.listdir(temp))
    for kind in TEMPLATES:
        text = fill(kind, {"name": "A", "contact": "b", "platform": "c", "urls": "https://d.example"},
                    ROOT / "knowledge")
        doc = Document(io.BytesIO(docx_bytes(text)))
        assert "https://d.example" in "\n".join(p.text for p in doc.paragraphs)
        assert Document(io.BytesIO(base64.b64decode(docx_payload(text)))).paragraphs
    assert set(os.listdir(temp)) - before == set()


def test_the_notices_module_has_no_download_directory():
    import bot.notices as notices

    assert not hasattr(notices, "_DOWNLOADS")
    assert "mkdtemp" not in (ROOT / "bot" / "notices.py").read_text(encoding="utf-8")


def test_evidence_log_text_keeps_rows():
    out = evidence_text([["2026-11-20", "https://x.example/p", "X", "@acct", "post", "shot1.png"],
                         ["", "", "", "", "", ""]])
    assert out.count("\n") == 2 and "shot1.png" in out
