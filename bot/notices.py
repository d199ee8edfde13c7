"""Ready-to-send letters filled from what the person enters: TAKE IT DOWN Act removal
requests, DMCA notices, platform reports and a summary for the police, plus an evidence log.

The wording lives in knowledge/templates/*.txt (legal references are facts, so they stay in
knowledge/); this module only fills them in and turns them into .txt / .docx downloads.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import gradio as gr

from bot.config import Settings

TEMPLATES = {
    "TAKE IT DOWN Act removal request": "take-it-down-request.txt",
    "DMCA takedown notice": "dmca-notice.txt",
    "Platform report": "platform-report.txt",
    "Summary for the police": "police-summary.txt",
}
FIELDS = ("name", "contact", "platform", "urls", "description", "context", "suspect", "signature")
EVIDENCE_HEADERS = ["Date seen", "URL", "Platform", "Account", "What was seen", "Screenshot file"]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return f"[{key}]"


def fill(kind: str, values: dict, knowledge_dir: Path | None = None) -> str:
    """The letter with the person's details; empty fields stay visible as [field]."""
    knowledge_dir = knowledge_dir or Settings().knowledge_dir
    text = (knowledge_dir / "templates" / TEMPLATES[kind]).read_text(encoding="utf-8")
    clean = {k: str(v).strip() for k, v in values.items() if v and str(v).strip()}
    if "urls" in clean:
        clean["urls"] = "\n".join(f"   - {u.strip()}" for u in clean["urls"].splitlines() if u.strip())
    clean.setdefault("date", date.today().isoformat())
    clean.setdefault("signature", clean.get("name", "[signature]"))
    return text.format_map(_Blank(clean))


def to_docx(text: str, path: Path) -> Path:
    from docx import Document

    doc = Document()
    for para in text.split("\n"):
        doc.add_paragraph(para)
    doc.save(path)
    return path


def evidence_text(rows: list[list[str]]) -> str:
    lines = ["\t".join(EVIDENCE_HEADERS)]
    lines += ["\t".join(str(c) for c in row) for row in rows if any(str(c).strip() for c in row)]
    return "\n".join(lines) + "\n"


# Downloads are written to a private temp dir that Gradio's cache cleaner empties (see app).
_DOWNLOADS = Path(tempfile.mkdtemp(prefix="recourse-notices-"))

SAVE_TXT_JS = """(text, kind) => {
  const blob = new Blob([text], {type: 'text/plain'});
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = (kind || 'notice').toLowerCase().replace(/[^a-z0-9]+/g, '-') + '.txt';
  document.body.appendChild(a); a.click(); a.remove();
  return [text, kind];
}"""


def build_notices_tab() -> None:
    """The "Take action" tab: a form, a live preview, .txt (in-browser) and .docx downloads."""
    with gr.Tab("Take action", id="notices"):
        gr.Markdown("Fill in what you know; leave the rest blank. Nothing here is stored. "
                    "Check the letter before you send it — this is not legal advice.")
        kind = gr.Dropdown(list(TEMPLATES), value=list(TEMPLATES)[0], label="Letter", elem_id="notice-kind")
        with gr.Row():
            name = gr.Textbox(label="Your name", elem_id="notice-name")
            contact = gr.Textbox(label="Your email or phone", elem_id="notice-contact")
            platform = gr.Textbox(label="Platform or website", elem_id="notice-platform")
        urls = gr.Textbox(label="Addresses (URLs) of the images, one per line", lines=3, elem_id="notice-urls")
        description = gr.Textbox(label="Describe the images (no need for detail)", lines=2)
        context = gr.Textbox(label="Anything else (threats, when it started)", lines=2)
        suspect = gr.Textbox(label="Who posted it, if you know (police summary)")
        preview = gr.Textbox(label="Preview", lines=16, elem_id="notice-preview", buttons=["copy"])
        with gr.Row():
            txt = gr.Button("Download .txt", elem_id="notice-txt")
            docx_btn = gr.DownloadButton("Download .docx", elem_id="notice-docx")
        inputs = [kind, name, contact, platform, urls, description, context, suspect]

        def render(k, n, c, p, u, d, ctx, s):
            return fill(k, dict(name=n, contact=c, platform=p, urls=u, description=d, context=ctx, suspect=s))

        def make_docx(text, k):
            path = _DOWNLOADS / (k.lower().replace(" ", "-") + ".docx")
            return to_docx(text, path)

        # One listener for every field, run one at a time per page with only the latest
        # pending change kept: separate listeners could finish out of order and leave the
        # preview (and the .txt built from it) without what was typed last.
        gr.on([control.change for control in inputs], render, inputs, preview,
              trigger_mode="always_last", api_name=False)
        preview.change(make_docx, [preview, kind], docx_btn, trigger_mode="always_last",
                       api_name=False)
        txt.click(None, [preview, kind], None, js=SAVE_TXT_JS)

        gr.Markdown("### Evidence log\nKeep a record as you find things: it stays in this tab "
                    "until you download it. Never copy or save images of anyone under 18.")
        log = gr.Dataframe(headers=EVIDENCE_HEADERS, row_count=3, column_count=(6, "fixed"),
                           interactive=True, elem_id="evidence-log", type="array")
        log_text = gr.Textbox(visible=False)
        save_log = gr.Button("Download evidence log (.txt)", elem_id="evidence-txt")
        save_log.click(evidence_text, log, log_text, api_name=False).then(
            None, [log_text, gr.State("evidence-log")], None, js=SAVE_TXT_JS)
