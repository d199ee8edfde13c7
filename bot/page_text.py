"""The page's own words (tabs, labels, the privacy notice, Quick exit, the forms) in every
language we answer in.

The texts are gettext messages in the same catalogs as the reply phrases (msgctxt `ui_…`, see
docs/translations.md). Two mechanisms, each for what it does well:
- Gradio's i18n (`gr.I18n`, built here from the catalogs) writes the first paint in the
  browser's language, on the client, before any event runs — Quick exit and the privacy notice
  are never shown in the wrong language first;
- the language picker re-labels the page from the server (`relabel`): Gradio's own switch sits
  in its settings footer, which Recourse hides, and a person who picks "Español" expects the
  page to follow. Every component whose text came from `tr(...)` is found by walking the Blocks
  (no list to keep in step by hand).
"""

from __future__ import annotations

import json
from functools import lru_cache

import gradio as gr
from babel import negotiate_locale
from gradio.i18n import I18nData

from bot.answer.phrases import LANGS, english, phrase

PREFIX = "ui_"
_BABEL = {"en": "en", "es": "es", "zh-TW": "zh_TW"}  # our language codes → Babel's
ATTRS = ("label", "value", "placeholder", "info")


@lru_cache(maxsize=1)
def i18n() -> gr.I18n:
    """gr.I18n with every `ui_` message, per language, from the catalogs."""
    keys = [k for k in english() if k.startswith(PREFIX)]
    return gr.I18n(**{lang: {k: phrase(k, lang) for k in keys} for lang in LANGS})


def tr(key: str) -> I18nData:
    """A text for a component: translated on the client by the browser's language."""
    if key not in english():
        raise KeyError(f"no UI message {key!r} in bot/locale/recourse.pot")
    return i18n()(key)


def text(key: str, lang: str | None) -> str:
    """The same text, resolved on the server (for HTML we render ourselves, and re-labelling)."""
    return phrase(key, lang if lang in LANGS else "en")


def from_header(accept_language: str | None) -> str:
    """Our language for a browser's Accept-Language header ("es-US,es;q=0.9" → "es")."""
    wanted = []
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip()
        if tag:
            wanted.append(tag.replace("-", "_"))
    # zh-Hant and zh-HK read Traditional characters; zh-CN and bare zh fall back to English
    # rather than being shown Taiwan's wording as if it were theirs.
    wanted = ["zh_TW" if w.lower() in ("zh_tw", "zh_hant", "zh_hant_tw", "zh_hk", "zh_hant_hk") else w
              for w in wanted]
    got = negotiate_locale(wanted, list(_BABEL.values()), sep="_")
    if got is None:  # "es_MX" → "es": negotiate by language alone too
        got = negotiate_locale([w.split("_")[0] for w in wanted if not w.lower().startswith("zh")],
                               ["en", "es"], sep="_")
    return next((lang for lang, b in _BABEL.items() if b == got), "en")


MARKER = "__i18n__"  # how Gradio keeps a translated *value* (a button's text, a Markdown)


def key_of(value) -> str | None:
    """The message key behind a component's text, if it came from `tr(...)`."""
    if isinstance(value, I18nData):
        return value.key
    if isinstance(value, str) and value.startswith(MARKER):
        try:
            return json.loads(value[len(MARKER):]).get("key")
        except ValueError:
            return None
    return None


def _choices(block) -> list[tuple]:
    choices = getattr(block, "choices", None)
    return [c for c in choices if isinstance(c, tuple)] if isinstance(choices, list) else []


def translated(blocks: gr.Blocks) -> list:
    """The components (tabs included) built with a `tr(...)` text, in a stable order."""
    return [block for block in blocks.blocks.values()
            if any(key_of(getattr(block, a, None)) for a in ATTRS)
            or any(key_of(label) for label, _ in _choices(block))]


def relabel(components: list, lang: str) -> list:
    """One gr.update per component: its texts in `lang`."""
    updates = []
    for block in components:
        changes = {a: text(key, lang) for a in ATTRS if (key := key_of(getattr(block, a, None)))}
        if any(key_of(label) for label, _ in _choices(block)):
            changes["choices"] = [(text(k, lang) if (k := key_of(label)) else label, v)
                                  for label, v in _choices(block)]
        updates.append(gr.update(**changes))
    return updates
