"""Ready-to-send letters: filled from what the person entered, nothing invented."""

from __future__ import annotations

import base64
import io
import os
import re
import tempfile

import pytest

from docx import Document

from bot.letters import TEMPLATES, fill, template_path
from bot.notices import docx_bytes, docx_payload, evidence_text
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


KEEP = re.compile(r"\{[a-z]+\}|https?://\S+|\d+")


@pytest.mark.parametrize("lang", ["es", "zh-TW"])
def test_every_letter_has_a_translation_that_keeps_its_fields_numbers_and_sections(lang):
    # A reading copy that dropped "48" or "512(c)(3)", or a {field} the form fills, would tell
    # the person something the letter they send does not say.
    for kind, name in TEMPLATES.items():
        english = (ROOT / "knowledge" / "templates" / name).read_text(encoding="utf-8")
        path = ROOT / "knowledge" / "templates" / lang / name
        assert template_path(kind, lang, ROOT / "knowledge") == path, f"no {lang} {name}"
        own = path.read_text(encoding="utf-8")
        assert sorted(KEEP.findall(own)) == sorted(KEEP.findall(english)), (lang, name)


def test_a_letter_fills_the_same_in_every_language_and_names_blanks_in_it():
    values = {"name": "Ana Ejemplo", "platform": "ExampleSite", "urls": "https://example.com/a"}
    for lang, blank in (("en", "[contact]"), ("es", "[contacto]"), ("zh-TW", "[聯絡方式]")):
        text = fill("TAKE IT DOWN Act removal request", values, ROOT / "knowledge", lang)
        assert "/Ana Ejemplo/" in text and "https://example.com/a" in text and "ExampleSite" in text
        assert blank in text and "48" in text and "119-12" in text
    assert "Ley TAKE IT DOWN" in fill("TAKE IT DOWN Act removal request", values, ROOT / "knowledge", "es")
    assert fill("Platform report", values, ROOT / "knowledge", "fr") == fill("Platform report", values, ROOT / "knowledge")
