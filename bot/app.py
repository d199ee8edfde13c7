"""The web app (Gradio Blocks): a private, calm chat, take-action forms, helplines, staff desk.

Bound to 127.0.0.1 unless the operator sets a host. No file upload anywhere, no analytics;
conversation state lives in the browser session (gr.State), never on disk.
"""

from __future__ import annotations

import hmac
import logging
import os

import gradio as gr

from bot import jurisdictions
from bot.answer.assistant import Assistant
from bot.config import Settings
from bot.models import Answer
from bot.notices import build_notices_tab
from bot.render import (DIRECTORY_HEADERS, STATE_HEADERS, directory_rows, directory_table,
                        html_table, sources_md, state_table)

log = logging.getLogger(__name__)
NEUTRAL_SITE = "https://www.wikipedia.org/"
CSS = """
#quick-exit {position: fixed; top: 10px; right: 10px; z-index: 1000; background: #b3261e !important;
  color: #fff !important; font-weight: 700; width: auto !important; max-width: 12em; flex: none;}
.table-wrap {overflow-x: auto; max-height: 70vh;}
.table-wrap table {border-collapse: collapse; width: 100%; font-size: .92em;}
.table-wrap th, .table-wrap td {border: 1px solid #bbb; padding: .35em .5em; text-align: left; vertical-align: top;}
.table-wrap caption {text-align: left; font-weight: 600; padding: .3em 0;}
.privacy {border-left: 4px solid #1f5f8b; padding-left: .75em;}
/* Primary buttons in a calm blue with white text at 6.9:1 contrast (Gradio's orange is 2.8:1). */
button.primary {background: #1f5f8b !important; border-color: #1f5f8b !important; color: #fff !important;}
button.primary:hover {background: #174a6c !important;}
footer {display: none !important;}
"""
# Quick exit: replace this page in history (Back won't return), then go to a neutral site.
QUICK_EXIT_JS = f"""() => {{
  document.body.innerHTML = '';
  try {{ sessionStorage.clear(); }} catch (e) {{}}
  window.location.replace('{NEUTRAL_SITE}');
}}"""
HEAD = f"""<script>
document.addEventListener('keydown', (e) => {{
  if (e.key === 'Escape') {{ ({QUICK_EXIT_JS})(); }}
}});
</script>"""
PRIVACY = """**Your privacy.** Nothing you type is saved: the conversation lives only in this browser tab and
disappears when you close it or press **Quick exit** (or Esc). Recourse never asks for or accepts
images. It gives legal information, not legal advice. To hide that you visited, also clear your
browser history."""


def build_app(assistant: Assistant) -> gr.Blocks:
    places = [("Not sure / not set", "")] + jurisdictions.choices()
    with gr.Blocks(title="Recourse — help with image-based abuse", delete_cache=(300, 600)) as demo:
        gr.Button("Quick exit (Esc)", elem_id="quick-exit").click(None, js=QUICK_EXIT_JS)
        gr.Markdown("# Recourse\nHelp with intimate images shared without consent, sexual "
                    "deepfakes and sextortion. **In danger now? Call 911.** In crisis? Call or text **988**.")
        gr.Markdown(PRIVACY, elem_classes="privacy", elem_id="privacy-notice")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row():
                    place = gr.Dropdown(places, value="", label="Where you live (optional)")
                    persona = gr.Radio([("Personal help", "victim"), ("Hotline staff", "staff")],
                                       value="victim", label="I am using this for")
                    lang = gr.Dropdown([("Automatic", ""), ("English", "en"), ("Español", "es"),
                                        ("繁體中文", "zh-TW")], value="", label="Language")
                chatbot = gr.Chatbot(label="Conversation", height=460, feedback_options=None,
                                     elem_id="chatbot", buttons=["copy"])
                with gr.Row():
                    box = gr.Textbox(placeholder="Tell me what happened or ask a question…",
                                     show_label=False, scale=6, max_lines=6, elem_id="question",
                                     max_length=50_000)
                    send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
                panel = gr.Markdown(sources_md(None), elem_id="sources")
                asked = gr.State([])

                def respond(message, chat, history, place_code, persona_value, lang_code):
                    message = message or ""
                    chat = [*chat, {"role": "user", "content": message or "…"},
                            {"role": "assistant", "content": ""}]
                    final: Answer | None = None
                    shown = ""
                    for piece in assistant.stream(message, jurisdiction=place_code or None,
                                                  lang=lang_code or None, persona=persona_value,
                                                  history=history):
                        if isinstance(piece, Answer):
                            final = piece
                        else:
                            shown += piece
                            chat[-1]["content"] = shown
                            yield chat, gr.update(), history, ""
                    chat[-1]["content"] = final.answer
                    yield chat, sources_md(final), [*history, message][-6:], ""

                inputs = [box, chatbot, asked, place, persona, lang]
                outputs = [chatbot, panel, asked, box]
                box.submit(respond, inputs, outputs, api_name="reply")
                send.click(respond, inputs, outputs, api_name=False)

            with gr.Tab("Helplines", id="helplines"):
                records = directory_rows(assistant.search.sources())
                with gr.Row():
                    d_place = gr.Dropdown(places, value="", label="Where", elem_id="directory-place")
                    d_aud = gr.Dropdown(["", "adult", "minor", "parent", "any", "staff"], value="", label="For")
                    d_lang = gr.Dropdown(["", *sorted({l for r in records for l in r.get("languages", [])})],
                                         value="", label="Language")
                    d_service = gr.Dropdown(["", *sorted({s for r in records for s in r.get("services", [])})],
                                            value="", label="Service")
                table = gr.HTML(html_table(DIRECTORY_HEADERS, directory_table(records), "Support services"),
                                elem_id="directory")

                def filter_directory(p, a, l, s):
                    rows = directory_table(directory_rows(assistant.search.sources()), p, a, l, s)
                    return html_table(DIRECTORY_HEADERS, rows, "Support services")

                for control in (d_place, d_aud, d_lang, d_service):
                    control.change(filter_directory, [d_place, d_aud, d_lang, d_service], table,
                                   api_name=False)

            build_notices_tab()

            with gr.Tab("Staff reference", id="staff"):
                staff_tab(assistant)
    return demo


def staff_tab(assistant: Assistant) -> None:
    """Direct search and the state-law table; behind a login when the operator set one."""
    settings = assistant.settings
    locked = bool(settings.staff_user and settings.staff_password)
    authorised = gr.State(not locked)
    with gr.Column(visible=locked) as login:
        gr.Markdown("Staff views need a login on this server.")
        user = gr.Textbox(label="User name", elem_id="staff-user")
        password = gr.Textbox(label="Password", type="password", elem_id="staff-password")
        login_btn = gr.Button("Log in", elem_id="staff-login")
        login_msg = gr.Markdown()
    with gr.Column(visible=not locked) as desk:
        gr.Markdown("Search the knowledge base directly, and compare state laws. "
                    "Each row links to the official text.")
        q = gr.Textbox(label="Search the sources", elem_id="staff-search")
        results = gr.Markdown()
        table = gr.HTML("" if locked else state_table_html(assistant), elem_id="state-table")

    def staff_search(query, ok):
        if not ok:
            return "Log in first."
        hits = assistant.search.search(query or "", k=8)
        return "\n\n".join(
            f"**{n}. {h.chunk.citation}{' › ' + h.chunk.section if h.chunk.section else ''}** "
            f"({h.chunk.jurisdiction}, verified {h.chunk.last_verified}) — [source]({h.chunk.url})\n\n"
            f"{h.chunk.text}" for n, h in enumerate(hits, 1)) or "No results."

    def log_in(name, secret):
        ok = hmac.compare_digest(f"{name}\0{secret}", f"{settings.staff_user}\0{settings.staff_password}")
        if not ok:
            return False, gr.update(), gr.update(), "That user name and password did not match.", gr.update()
        return True, gr.update(visible=False), gr.update(visible=True), "", state_table_html(assistant)

    q.submit(staff_search, [q, authorised], results, api_name="staff_search")
    login_btn.click(log_in, [user, password], [authorised, login, desk, login_msg, table], api_name=False)


def state_table_html(assistant: Assistant) -> str:
    return html_table(STATE_HEADERS, state_table(assistant.search.sources()),
                      "US state laws on intimate images and deepfakes")


def serve(settings: Settings) -> None:
    """`recourse chat`: load everything, then serve on the configured loopback address."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    assistant = Assistant(settings)
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=8).launch(
        server_name=settings.host, server_port=settings.port, show_error=False,
        quiet=True, css=CSS, head=HEAD, footer_links=[], max_file_size=0, prevent_thread_lock=True)
    print(f"Recourse is ready: http://{settings.host}:{settings.port}", flush=True)
    demo.block_thread()
