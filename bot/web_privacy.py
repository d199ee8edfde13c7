"""What keeps the web app's privacy promise, beyond not storing anything ourselves.

- `NoStore`: every response says `Cache-Control: no-store`, so the browser's disk cache never
  holds a streamed answer or a letter.
- `quiet_request_errors()`: Gradio prints the full traceback of any failed request to stderr,
  and a traceback's message can quote the person's words (pydantic puts the rejected input in
  its message). Inside Gradio's request handlers and uvicorn's error log we keep only the
  exception type and the line it came from.
- `private_textbox`: every text box is `autocomplete="off"`, which keeps what is typed out of
  the browser's form history and out of Chromium's session-restore file (found by the privacy
  test: without it, letter fields were saved in the profile's Sessions/ folder).
- `QUICK_EXIT_JS`: wipes what the page can reach (local and session storage, Cache Storage,
  IndexedDB) and leaves for a neutral site without a history entry to come back to.
Gradio's own run history (which saved every message and answer in localStorage) is switched
off at launch (`run_history=False`, see bot/app.py).
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import ModuleType

import gradio as gr

log = logging.getLogger("recourse.web")
NEUTRAL_SITE = "https://www.wikipedia.org/"


def private_textbox(**kwargs) -> gr.Textbox:
    """A gr.Textbox whose contents the browser does not save (form history, session restore)."""
    return gr.Textbox(html_attributes=gr.InputHTMLAttributes(autocomplete="off"), **kwargs)


class NoStore:
    """ASGI middleware adding `Cache-Control: no-store` (streaming responses included)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_no_store(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"cache-control", b"expires", b"pragma")]
                headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_no_store)


def where(tb) -> str:
    frames = traceback.extract_tb(tb) if tb else []
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"


class _TypeOnlyTraceback(ModuleType):
    """Stands in for the `traceback` module inside Gradio: print_exc logs type and place only."""

    def __init__(self) -> None:
        super().__init__("traceback")

    def __getattr__(self, name: str):
        return getattr(traceback, name)

    @staticmethod
    def print_exc(*args, **kwargs) -> None:
        etype, _, tb = sys.exc_info()
        log.error("a request failed: %s at %s", etype.__name__ if etype else "?", where(tb))


class _DropExceptionText(logging.Filter):
    """uvicorn logs "Exception in ASGI application" with the traceback: keep type and place."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            etype, _, tb = record.exc_info
            record.msg, record.args = "%s (%s at %s)", (record.getMessage(), getattr(etype, "__name__", "?"), where(tb))
            record.exc_info, record.exc_text = None, None
        return True


def quiet_request_errors() -> None:
    import gradio.queueing
    import gradio.route_utils
    import gradio.routes
    import gradio.utils

    for module in (gradio.queueing, gradio.route_utils, gradio.routes, gradio.utils):
        if getattr(module, "traceback", None) is traceback:
            module.traceback = _TypeOnlyTraceback()
    for name in ("uvicorn.error", "uvicorn", "fastapi", "starlette"):
        logging.getLogger(name).addFilter(_DropExceptionText())


# Quick exit: wipe what the page can reach, replace this page in history (Back won't return),
# then go to a neutral site. The storage wipe is given at most 300 ms.
QUICK_EXIT_JS = f"""() => {{
  document.body.innerHTML = '';
  try {{ localStorage.clear(); }} catch (e) {{}}
  try {{ sessionStorage.clear(); }} catch (e) {{}}
  const jobs = [];
  try {{ if (window.caches) jobs.push(caches.keys().then((ks) => Promise.all(ks.map((k) => caches.delete(k))))); }} catch (e) {{}}
  try {{ if (indexedDB.databases) jobs.push(indexedDB.databases().then((dbs) => dbs.forEach((d) => indexedDB.deleteDatabase(d.name)))); }} catch (e) {{}}
  const leave = () => window.location.replace('{NEUTRAL_SITE}');
  Promise.race([Promise.allSettled(jobs), new Promise((r) => setTimeout(r, 300))]).then(leave, leave);
}}"""
HEAD = f"""<meta name="referrer" content="no-referrer">
<script>
document.addEventListener('keydown', (e) => {{
  if (e.key === 'Escape') {{ ({QUICK_EXIT_JS})(); }}
}});
</script>"""
