"""The web app (Gradio Blocks): a private, calm chat, take-action forms, helplines, staff desk.

Bound to 127.0.0.1 unless the operator sets a host (another address is warned about). No file
upload anywhere, no analytics, no run history. The conversation lives in the page's server-side
session state (gr.State) only: the API takes just the new message, so no client can send a
history, and nothing is written to disk. See bot/web_privacy.py for the rest of the promise.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import sys

import gradio as gr
from starlette.middleware import Middleware

from bot import jurisdictions
from bot.answer.assistant import MAX_HISTORY, MAX_MESSAGE, Assistant
from bot.answer.helplines import line
from bot.answer import language
from bot.answer.phrases import phrase
from bot import page_text
from bot.page_text import text, tr
from bot.config import Settings
from bot.models import Answer
from bot.notices import build_notices_tab, letter_updates
from bot.staff_login import LoginGuard
from bot.web_privacy import HEAD, QUICK_EXIT_JS, NoStore, private_textbox, quiet_request_errors
from bot.render import (DIRECTORY_HEADERS, ESCALATION_HEADERS, STATE_HEADERS, directory_rows,
                        directory_table, escalation_rows, html_table, sources_md, state_table)

log = logging.getLogger(__name__)
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
/* Links (a plan's steps, the sources) in the same blue: 6.9:1 on white, where the theme's
   visited-link colour is under 4.5:1. */
:root, .gradio-container {--link-text-color: #1f5f8b; --link-text-color-visited: #5a3d8a;
  --link-text-color-hover: #174a6c; --link-text-color-active: #1f5f8b;}
#chatbot a, #chatbot a:visited {color: #0a3d62 !important; text-decoration: underline;}  /* dark enough to stay above 4.5:1 while a reply is dimmed */
/* A field's help line ("Language of the letter you send"): the theme's grey is under 4.5:1,
   lower still while the form updates. */
.info-text {color: #3d3d45 !important;}
#queue-note {display: none; border-left: 4px solid #8a5a00; padding: .4em .75em; background: #fff8e6; color: #3d2a00;}
"""
MAX_STAFF_QUERY = 500
AUDIENCES = ("adult", "minor", "parent", "any", "staff")
# Shows the queue note when a reply has not started after 3 s; hides it when it starts.
QUEUE_WATCH_JS = """() => {
  const note = document.getElementById('queue-note');
  const chat = document.getElementById('chatbot');
  if (!note || !chat) return;
  note.setAttribute('role', 'status'); note.setAttribute('aria-live', 'polite');
  const count = () => chat.querySelectorAll('[data-testid="user"]').length;
  const before = count();
  clearTimeout(window.recourseQueueTimer);
  if (window.recourseQueueObserver) window.recourseQueueObserver.disconnect();
  const done = () => { note.style.display = 'none'; clearTimeout(window.recourseQueueTimer);
                       if (window.recourseQueueObserver) window.recourseQueueObserver.disconnect(); };
  window.recourseQueueObserver = new MutationObserver(() => { if (count() !== before) done(); });
  window.recourseQueueObserver.observe(chat, {childList: true, subtree: true});
  window.recourseQueueTimer = setTimeout(() => { if (count() === before) note.style.display = 'block'; }, 3000);
}"""
def build_app(assistant: Assistant) -> gr.Blocks:
    places = [(tr("ui_place_unset"), "")] + jurisdictions.choices()
    with gr.Blocks(title="Recourse — help with image-based abuse", delete_cache=(300, 600)) as demo:
        ui_lang = gr.State("en")  # the page's language: the browser's, or the one picked
        gr.Button(tr("ui_quick_exit"), elem_id="quick-exit").click(None, js=QUICK_EXIT_JS)
        gr.Markdown(tr("ui_header"), elem_id="crisis-lines")
        gr.Markdown(tr("ui_privacy"), elem_classes="privacy", elem_id="privacy-notice")
        with gr.Tabs():
            with gr.Tab(tr("ui_tab_chat"), id="chat"):
                with gr.Row():
                    place = gr.Dropdown(places, value="", label=tr("ui_place"))
                    persona = gr.Radio([(tr("ui_persona_victim"), "victim"), (tr("ui_persona_staff"), "staff")],
                                       value="victim", label=tr("ui_persona"))
                    lang = gr.Dropdown([(tr("ui_language_auto"), ""), ("English", "en"), ("Español", "es"),
                                        ("繁體中文", "zh-TW")], value="", label=tr("ui_language"),
                                       elem_id="language")
                chatbot = gr.Chatbot(label=tr("ui_conversation"), height=460, feedback_options=None,
                                     elem_id="chatbot", buttons=["copy"])
                gr.Markdown(tr("ui_queue"), elem_id="queue-note")
                with gr.Row():
                    box = private_textbox(placeholder=tr("ui_placeholder"),
                                     show_label=False, scale=6, max_lines=6, elem_id="question",
                                     max_length=MAX_MESSAGE)
                    send = gr.Button(tr("ui_send"), variant="primary", scale=1, elem_id="send")
                # Rendered on the server (an answer's sources replace it): not re-labelled.
                panel = gr.Markdown(sources_md(None), elem_id="sources")
                shown = gr.State([])  # the messages on screen, kept server-side per page
                asked = gr.State([])  # what the person asked, for follow-ups
                # How many replies this page has had: a count only, kept in the page. A replica
                # that has no conversation for a page that has had replies lost it (its process
                # restarted, or the balancer moved the session) and says so (docs/deploy.md).
                turns = gr.Number(0, visible=False, precision=0, elem_id="turns")

                def respond(message, chat, history, place_code, persona_value, lang_code, replies):
                    yield from reply_stream(assistant, message, chat, history, place_code,
                                            persona_value, lang_code, replies)

                inputs = [box, shown, asked, place, persona, lang, turns]

            with gr.Tab(tr("ui_tab_helplines"), id="helplines"):
                records = directory_rows(assistant.search.sources())
                every = (tr("ui_all"), "")
                with gr.Row():
                    d_place = gr.Dropdown(places, value="", label=tr("ui_where"), elem_id="directory-place")
                    d_aud = gr.Dropdown([every, *((tr(f"ui_for_{a}"), a) for a in AUDIENCES)], value="",
                                        label=tr("ui_for"))
                    d_lang = gr.Dropdown([every, *((l, l) for l in sorted({l for r in records for l in r.get("languages", [])}))],
                                         value="", label=tr("ui_language"))
                    d_service = gr.Dropdown([every, *((s, s) for s in sorted({s for r in records for s in r.get("services", [])}))],
                                            value="", label=tr("ui_service"))
                table = gr.HTML(html_table(DIRECTORY_HEADERS, directory_table(records), text("ui_directory_caption", "en")),
                                elem_id="directory")
                filters = [d_place, d_aud, d_lang, d_service, ui_lang]

                def filter_directory(p, a, l, s, page_lang):
                    rows = directory_table(directory_rows(assistant.search.sources()), p, a, l, s)
                    return html_table(DIRECTORY_HEADERS, rows, text("ui_directory_caption", page_lang))

                for control in (d_place, d_aud, d_lang, d_service):
                    control.change(filter_directory, filters, table, api_name=False)

            letter_fields = build_notices_tab(ui_lang)
            # A letter drafted in the chat opens the Take action tab's form filled in.
            outputs = [chatbot, shown, panel, asked, box, *letter_fields, turns]
            for trigger, api in ((box.submit, "reply"), (send.click, False)):
                trigger(None, js=QUEUE_WATCH_JS)
                trigger(respond, inputs, outputs, api_name=api)

            with gr.Tab(tr("ui_tab_staff"), id="staff"):
                staff_tab(assistant)

        # The page in the person's language: the browser's at first (gr.I18n paints it on the
        # client; the load event tells the server, for the HTML it renders), then the one picked.
        translated = page_text.translated(demo)

        def page_language(lang_code, place_code, aud, l, s, request: gr.Request):
            header = request.headers.get("accept-language") if request else None
            page = lang_code or page_text.from_header(header)
            return (page, filter_directory(place_code, aud, l, s, page),
                    *page_text.relabel(translated, page))

        def first_language(lang_code, place_code, aud, l, s, request: gr.Request):
            page, directory, *_ = page_language(lang_code, place_code, aud, l, s, request)
            return page, directory, sources_md(None, page)

        lang.change(page_language, [lang, *filters[:4]], [ui_lang, table, *translated], api_name=False)
        demo.load(first_language, [lang, *filters[:4]], [ui_lang, table, panel], api_name=False)
    return demo


def reply_stream(assistant: Assistant, message, chat: list, history: list, place_code,
                 persona_value, lang_code, replies=0):
    """The chat's one handler: streams the answer; whatever fails, the person gets a calm
    sentence and people to talk to, never an error toast (and the log gets the type only).
    `replies` is the page's count of replies so far: with no conversation here, it means this
    process lost the page's conversation, and the reply ends by saying so (`_with_note`)."""
    message = message if isinstance(message, str) else ""
    lost = not chat and _count(replies) > 0
    if lost:
        log.warning("a page's conversation is not in this process (restarted or moved): starting afresh")
        lang_code = lang_code or language.answered(language.detect(message[:2000]))
    chat = [*chat, {"role": "user", "content": message[:MAX_MESSAGE] or "…"},
            {"role": "assistant", "content": ""}]
    count = len(chat) // 2
    persona_value = persona_value if persona_value in ("victim", "staff") else "victim"
    final: Answer | None = None
    streamed = ""
    try:
        for piece in assistant.stream(message, jurisdiction=place_code or None,
                                      lang=lang_code or None, persona=persona_value,
                                      history=history[-MAX_HISTORY:]):
            if isinstance(piece, Answer):
                final = piece
            else:
                streamed += piece
                if streamed != piece and assistant.llm is None:
                    continue  # offline, the rest comes within ~50 ms: sent once, with the end
                # The first piece at once (a crisis reply's lines come first); with a model, each
                # verified sentence as it is ready.
                chat[-1]["content"] = _with_note(streamed, lost, final, lang_code)
                yield chat, chat, gr.update(), history, "", *letter_updates(None), count
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a person mid-crisis
        log.error("reply failed: %s", type(exc).__name__)
        chat[-1]["content"] = fallback_reply(assistant, message, place_code, lang_code)
        yield chat, chat, sources_md(None, lang_code or "en"), history, "", *letter_updates(None), count
        return
    chat[-1]["content"] = _with_note(final.answer, lost, final, lang_code)
    yield (chat, chat, sources_md(final), [*history, message[:MAX_MESSAGE]][-MAX_HISTORY:], "",
           *letter_updates(final.letter), count)


def _count(value) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


def _with_note(text: str, lost: bool, final: Answer | None, lang_code) -> str:
    """The reply, then the lost-conversation note when there is one, in the reply's language.
    After the reply, not before: a crisis reply's lines stay first, and nothing moves on screen
    when the streamed answer is complete."""
    if not lost:
        return text
    return f"{text}\n\n{phrase('session_lost', final.lang if final is not None else lang_code)}"


def fallback_reply(assistant: Assistant, message: str, place_code, lang_code) -> str:
    """When answering itself failed: one calm sentence and the helplines we can still name."""
    lang = lang_code or language.answered(language.detect(message[:2000]))
    lines = [phrase("storage", lang)]
    try:
        for flag in ("crisis", "help"):
            lines += [line(r, hours=False)
                      for r in assistant.helplines.route(flag, jurisdictions.normalise(place_code or None), lang)[:2]]
    except Exception:  # noqa: BLE001 - the directory is unreadable too: the header still has the lines
        pass
    return "\n".join(lines)


def staff_tab(assistant: Assistant) -> None:
    """Direct search and the state-law table; behind a login when the operator set one."""
    settings = assistant.settings
    locked = bool(settings.staff_user and settings.staff_password)
    authorised = gr.State(not locked)
    with gr.Column(visible=locked) as login:
        gr.Markdown(tr("ui_staff_locked"))
        user = private_textbox(label=tr("ui_user"), elem_id="staff-user")
        password = private_textbox(label=tr("ui_password"), type="password", elem_id="staff-password")
        login_btn = gr.Button(tr("ui_log_in"), elem_id="staff-login")
        login_msg = gr.Markdown()
    with gr.Column(visible=not locked) as desk:
        gr.Markdown(tr("ui_staff_intro"))
        q = private_textbox(label=tr("ui_staff_search"), elem_id="staff-search")
        results = gr.Markdown()
        table = gr.HTML("" if locked else state_table_html(assistant), elem_id="state-table")
        routes = gr.HTML("" if locked else escalation_html(assistant), elem_id="escalation-table")

    guard = LoginGuard(settings.staff_user or "", settings.staff_password or "") if locked else None

    def staff_search(query, ok):
        if not ok:
            return "Log in first."
        query = query if isinstance(query, str) else ""
        note = ""
        if len(query) > MAX_STAFF_QUERY:
            query, note = query[:MAX_STAFF_QUERY], (
                f"_Searched the first {MAX_STAFF_QUERY} characters of that query._\n\n")
        hits = assistant.search.search(query, k=8)
        return note + ("\n\n".join(
            f"**{n}. {h.chunk.citation}{' › ' + h.chunk.section if h.chunk.section else ''}** "
            f"({h.chunk.jurisdiction}, verified {h.chunk.last_verified}) — [source]({h.chunk.url})\n\n"
            f"{h.chunk.text}" for n, h in enumerate(hits, 1)) or "No results.")

    def log_in(name, secret):
        ok, message = guard.attempt(name, secret) if guard else (True, "")
        if not ok:
            return False, gr.update(), gr.update(), message, gr.update(), gr.update(), ""
        return (True, gr.update(visible=False), gr.update(visible=True), "", state_table_html(assistant),
                escalation_html(assistant), "")

    q.submit(staff_search, [q, authorised], results, api_name="staff_search")
    login_btn.click(log_in, [user, password], [authorised, login, desk, login_msg, table, routes, password],
                    api_name=False)


def state_table_html(assistant: Assistant) -> str:
    return html_table(STATE_HEADERS, state_table(assistant.search.sources()),
                      "US state laws on intimate images and deepfakes")


def escalation_html(assistant: Assistant) -> str:
    return html_table(ESCALATION_HEADERS, escalation_rows(assistant.search.manifest.get("actions") or [],
                                                          assistant.search.sources()),
                      "Escalation routes: when a site will not remove the images, and for apps and devices")


def health_route(assistant: Assistant, settings: Settings):
    """GET /healthz, for a load balancer's checks and for an operator: which generation of the
    index this replica serves. Counts and ids only; nothing anyone wrote."""
    name = os.environ.get("RECOURSE_REPLICA_NAME") or f"{settings.host}:{settings.port}"

    def health() -> dict:
        search = assistant.search
        search.refresh()
        generation, updated = search.generation or (None, None)
        return {"status": "ok", "replica": name, "generation": generation, "updated": updated,
                "chunks": len(search.order)}

    return health


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(settings: Settings) -> None:
    """`recourse chat`: load everything, then serve on the configured address."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    if not is_loopback(settings.host):
        print(f"recourse: warning: serving on {settings.host}, not a loopback address: anyone who "
              f"can reach this machine on port {settings.port} can use the app. Put it behind "
              "HTTPS and a reverse proxy (docs/deploy.md), or use --host 127.0.0.1.",
              file=sys.stderr, flush=True)
    assistant = Assistant(settings)
    quiet_request_errors()
    demo = build_app(assistant)
    app, _, _ = demo.queue(default_concurrency_limit=settings.concurrency).launch(
        server_name=settings.host, server_port=settings.port, show_error=False,
        quiet=True, css=CSS, head=HEAD, footer_links=[], max_file_size=0, prevent_thread_lock=True,
        i18n=page_text.i18n(),
        run_history=False, app_kwargs={"middleware": [Middleware(NoStore)]})
    app.add_api_route("/healthz", health_route(assistant, settings), methods=["GET"])
    print(f"Recourse is ready: http://{settings.host}:{settings.port}", flush=True)
    demo.block_thread()
