"""The page's language: negotiated from the browser, re-labelled by the picker (bot/page_text.py)."""

from __future__ import annotations

import gradio as gr
import pytest

from bot.page_text import from_header, relabel, text, tr, translated


@pytest.mark.parametrize("header, lang", [
    ("es-US,es;q=0.9,en;q=0.8", "es"), ("es-MX", "es"), ("zh-TW,zh;q=0.9", "zh-TW"),
    ("zh-Hant-TW", "zh-TW"), ("zh-HK", "zh-TW"), ("en-GB", "en"), ("fr-FR,fr;q=0.9", "en"),
    ("de-DE,es;q=0.5", "es"), ("", "en"), (None, "en"),
    ("zh-CN,zh;q=0.9", "en"),  # Simplified readers are not shown Taiwan's wording as theirs
])
def test_the_browsers_language_picks_ours(header, lang):
    assert from_header(header) == lang


def test_relabel_finds_every_translated_text_and_leaves_the_rest():
    with gr.Blocks() as demo:
        with gr.Tab(tr("ui_tab_chat")):
            button = gr.Button(tr("ui_quick_exit"))
            note = gr.Markdown(tr("ui_privacy"))
            radio = gr.Radio([(tr("ui_persona_victim"), "victim"), ("Other", "other")], label=tr("ui_persona"))
            box = gr.Textbox(placeholder=tr("ui_placeholder"))
            gr.Markdown("not translated")
    found = translated(demo)
    assert {button, note, radio, box} <= set(found) and len(found) == 5  # and the tab
    updates = dict(zip(found, relabel(found, "es")))
    assert updates[button]["value"] == text("ui_quick_exit", "es") != text("ui_quick_exit", "en")
    assert updates[radio]["label"] == text("ui_persona", "es")
    assert updates[radio]["choices"] == [(text("ui_persona_victim", "es"), "victim"), ("Other", "other")]
    assert updates[box]["placeholder"] == text("ui_placeholder", "es")


def test_an_unknown_key_fails_when_the_page_is_built():
    with pytest.raises(KeyError):
        tr("ui_no_such_message")
