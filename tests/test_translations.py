"""The gettext catalogs: every English message translated in every language, nothing a person
relies on (a number, an address, a placeholder the code fills) lost in translation."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from bot.answer.phrases import DOMAIN, LOCALE_DIR, LOCALES, english, phrase

# What must survive translation unchanged: {placeholders}, numbers, web addresses.
KEEP = re.compile(r"\{[a-z_]+\}|https?://\S+|\b[\w.-]+\.(?:org|com|gov)\b|\d+")


def catalog(locale: str):
    with open(LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as fh:
        return read_po(fh, locale=locale)


@pytest.mark.parametrize("locale", sorted(LOCALES.values()))
def test_every_message_is_translated_and_checked(locale):
    found = {m.context: m for m in catalog(locale) if m.id}
    missing = sorted(set(english()) - set(found))
    assert not missing, f"{locale}: no entry for {missing} (run the update in docs/translations.md)"
    untranslated = sorted(k for k, m in found.items() if not m.string or not m.string.strip())
    fuzzy = sorted(k for k, m in found.items() if m.fuzzy)
    stale = sorted(k for k, m in found.items() if k in english() and m.id != english()[k])
    assert not untranslated, f"{locale}: untranslated {untranslated}"
    assert not fuzzy, f"{locale}: fuzzy (unchecked) {fuzzy}"
    assert not stale, f"{locale}: translated from older English {stale}"


@pytest.mark.parametrize("locale", sorted(LOCALES.values()))
def test_a_translation_keeps_the_numbers_addresses_and_placeholders(locale):
    for m in catalog(locale):
        if not m.id or not m.string:
            continue
        want, got = sorted(KEEP.findall(m.id)), sorted(KEEP.findall(m.string))
        assert want == got, f"{locale} {m.context}: the English has {want}, the translation {got}"


def test_the_code_reads_the_catalogs_and_falls_back_to_english():
    assert phrase("ask_place", "es").startswith("¿En qué")
    assert "法律" in phrase("ask_place", "zh-TW")
    assert phrase("ask_place", "fr") == phrase("ask_place", "en") == english()["ask_place"]
    assert "{place}" in phrase("no_law_place", "zh-TW")


def test_a_planted_slip_is_caught(tmp_path):
    # The checks above run on the real catalogs; here, that they catch what they say they catch.
    m = next(m for m in catalog("es") if m.context == "no_law_place")
    assert sorted(KEEP.findall(m.id)) == ["{place}"]
    assert sorted(KEEP.findall(m.string.replace("{place}", "{lugar}"))) != ["{place}"]


# Spanish speaks to the person as "usted" everywhere (docs/translations.md): the reply's opening
# and its steps must not switch between "usted" and "tú" mid-reply.
TU = re.compile(r"\b(tú|tu|tus|te|ti|contigo|puedes|tienes|quieres|estás|eres|sientes|"
                r"cuéntame|dime|ayudarte|envíes|hayas|contaste)\b", re.I)


def test_spanish_speaks_as_usted_in_the_catalog_the_actions_and_the_letters():
    import yaml

    from bot.config import Settings

    texts = [m.string for m in catalog("es") if m.id and m.string]
    actions = yaml.safe_load((Settings().knowledge_dir / "actions" / "actions.yaml").read_text(encoding="utf-8"))
    texts += [a[field]["es"] for a in actions for field in ("title", "text") if (a.get(field) or {}).get("es")]
    texts += [p.read_text(encoding="utf-8") for p in (Settings().knowledge_dir / "templates" / "es").glob("*.txt")]
    informal = [t for t in texts if TU.search(t)]
    assert not informal, informal[:5]
