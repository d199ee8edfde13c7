"""Ready-to-send letters filled from what the person enters: TAKE IT DOWN Act removal
requests, DMCA notices, platform reports and a summary for the police, plus an evidence log.

The letters' wording and filling are in bot/letters.py (no Gradio there, so the chat can draft
a letter without loading the UI); this module is the Take action tab: the form, the previews
and the .txt / .docx downloads. A person picks the language of the letter they send (English
by default: most platforms and every US agency work in English) and, when their page is in
another language, reads the same letter, filled in the same way, in their own.

Nothing a person enters touches the disk: the .txt is made in the browser, the .docx is built
in memory when the person clicks its button and handed to the browser as data (no temp file,
no Gradio cache file, no shared path).
"""

from __future__ import annotations

import base64
import io

import gradio as gr

from bot.letters import LETTER_LANGS, TEMPLATES, fill
from bot.page_text import tr
from bot.web_privacy import private_textbox

# The letter kinds' names on the page (msgctxt in bot/locale): the key stays the English name.
KIND_TEXT = {"TAKE IT DOWN Act removal request": "ui_letter_tida", "DMCA takedown notice": "ui_letter_dmca",
             "Platform report": "ui_letter_platform", "Summary for the police": "ui_letter_police"}
FIELDS = ("name", "contact", "platform", "urls", "description", "context", "suspect", "signature")
EVIDENCE_HEADERS = ["Date seen", "URL", "Platform", "Account", "What was seen", "Screenshot file"]


def docx_bytes(text: str) -> bytes:
    """The letter as a Word document, built in memory."""
    from docx import Document

    doc = Document()
    for para in text.split("\n"):
        doc.add_paragraph(para)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_payload(text: str) -> str:
    """Base64 of the .docx, for the browser to turn into a download (see SAVE_DOCX_JS)."""
    return base64.b64encode(docx_bytes(text or "")).decode("ascii") if text else ""


def evidence_text(rows: list[list[str]]) -> str:
    lines = ["\t".join(EVIDENCE_HEADERS)]
    lines += ["\t".join(str(c) for c in row) for row in rows if any(str(c).strip() for c in row)]
    return "\n".join(lines) + "\n"


SAVE_TXT_JS = """(text, kind) => {
  const blob = new Blob([text], {type: 'text/plain'});
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = (kind || 'notice').toLowerCase().replace(/[^a-z0-9]+/g, '-') + '.txt';
  document.body.appendChild(a); a.click(); a.remove();
  return [text, kind];
}"""


SAVE_DOCX_JS = """(data, kind) => {
  if (data) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const blob = new Blob([bytes], {type:
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document'});
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = (kind || 'notice').toLowerCase().replace(/[^a-z0-9]+/g, '-') + '.docx';
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }
  return '';
}"""


def build_notices_tab(page_lang: gr.State) -> tuple:
    """The "Take action" tab: a form, a live preview, .txt (in-browser) and .docx downloads, and
    the same letter in the page's language to read when the letter sent is in another.
    Returns (letter kind, platform, urls), the fields a letter drafted in the chat fills in."""
    with gr.Tab(tr("ui_tab_notices"), id="notices"):
        gr.Markdown(tr("ui_notice_intro"))
        kind = gr.Dropdown([(tr(KIND_TEXT[k]), k) for k in TEMPLATES], value=list(TEMPLATES)[0],
                           label=tr("ui_letter"), elem_id="notice-kind")
        with gr.Row():
            name = private_textbox(label=tr("ui_your_name"), elem_id="notice-name")
            contact = private_textbox(label=tr("ui_your_contact"), elem_id="notice-contact")
            platform = private_textbox(label=tr("ui_platform"), elem_id="notice-platform")
        urls = private_textbox(label=tr("ui_urls"), lines=3, elem_id="notice-urls")
        description = private_textbox(label=tr("ui_description"), lines=2)
        context = private_textbox(label=tr("ui_context"), lines=2)
        suspect = private_textbox(label=tr("ui_suspect"))
        send_lang = gr.Radio([("English", "en"), ("Español", "es"), ("繁體中文", "zh-TW")], value="en",
                             label=tr("ui_letter_language"), info=tr("ui_letter_language_info"),
                             elem_id="notice-language")
        preview = private_textbox(label=tr("ui_preview"), lines=16, elem_id="notice-preview", buttons=["copy"])
        reading = private_textbox(label=tr("ui_reading_copy"), lines=16, elem_id="notice-reading",
                                  buttons=["copy"], visible=False, interactive=False)
        with gr.Row():
            txt = gr.Button(tr("ui_download_txt"), elem_id="notice-txt")
            docx_btn = gr.Button(tr("ui_download_docx"), elem_id="notice-docx")
        docx_data = private_textbox(visible=False)
        inputs = [kind, send_lang, page_lang, name, contact, platform, urls, description, context, suspect]

        def render(k, sent, page, n, c, p, u, d, ctx, s):
            values = dict(name=n, contact=c, platform=p, urls=u, description=d, context=ctx, suspect=s)
            sent = sent if sent in LETTER_LANGS else "en"
            page = page if page in LETTER_LANGS else "en"
            other = page != sent
            return (fill(k, values, lang=sent),
                    gr.update(value=fill(k, values, lang=page) if other else "", visible=other))

        # One listener for every field, run one at a time per page with only the latest
        # pending change kept: separate listeners could finish out of order and leave the
        # preview (and the .txt built from it) without what was typed last.
        gr.on([control.change for control in inputs], render, inputs, [preview, reading],
              trigger_mode="always_last", api_name=False)
        docx_btn.click(docx_payload, preview, docx_data, api_name=False).then(
            None, [docx_data, kind], docx_data, js=SAVE_DOCX_JS)
        txt.click(None, [preview, kind], None, js=SAVE_TXT_JS)

        gr.Markdown(tr("ui_evidence_intro"))
        log = gr.Dataframe(headers=EVIDENCE_HEADERS, row_count=3, column_count=(6, "fixed"),
                           interactive=True, elem_id="evidence-log", type="array")
        log_text = private_textbox(visible=False)
        save_log = gr.Button(tr("ui_evidence_download"), elem_id="evidence-txt")
        save_log.click(evidence_text, log, log_text, api_name=False).then(
            None, [log_text, gr.State("evidence-log")], None, js=SAVE_TXT_JS)
    return kind, platform, urls


def letter_updates(letter: dict | None) -> tuple:
    """Gradio updates for the Take action fields: filled from a letter drafted in the chat,
    left as the person typed them otherwise."""
    if not letter or letter.get("kind") not in TEMPLATES:
        return gr.update(), gr.update(), gr.update()
    return (gr.update(value=letter["kind"]), gr.update(value=letter.get("platform") or ""),
            gr.update(value=letter.get("urls") or ""))
