"""The fixed sentences of Recourse's voice, in each language we answer in.

The words live in gettext catalogs, the way translators work: the English in
bot/locale/recourse.pot (msgctxt = the key the code asks for, msgid = the English), each
language in bot/locale/<locale>/LC_MESSAGES/recourse.po. tests/test_translations.py fails when a
message is missing, fuzzy or untranslated, or a translation drops a number, URL or placeholder.
Wording only: no phone numbers, statute numbers or addresses (those come from knowledge/).
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "recourse"
# Reply language → gettext locale directory (bot/locale/<locale>/LC_MESSAGES/recourse.po).
LOCALES = {"es": "es", "zh-TW": "zh_TW"}
LANGS = ("en", *LOCALES)


@lru_cache(maxsize=1)
def english() -> dict[str, str]:
    """Message key (msgctxt) → English text, from the template catalog bot/locale/recourse.pot."""
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "rb") as fh:
        catalog = read_po(fh)
    return {m.context: m.id for m in catalog if m.id and m.context}


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The language's catalog compiled by Babel (in memory: no .mo files to keep in step) and
    loaded by gettext; English, or a language we have no catalog for, translates to itself."""
    locale = LOCALES.get(lang)
    if not locale:
        return gettext.NullTranslations()
    with open(LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as fh:
        catalog = read_po(fh, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy (unchecked) translation is not shown
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def phrase(key: str, lang: str = "en") -> str:
    """The sentence `key` in `lang`; English where the catalog has no (or only a fuzzy) translation."""
    return translations(lang).pgettext(key, english()[key])
