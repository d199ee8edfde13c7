"""Which language a message is in (lingua, restricted) and what a person writing in another
language is told."""

from __future__ import annotations

import pytest

from bot.answer import language


@pytest.mark.parametrize(("text", "lang"), [
    ("hola", "es"), ("ayuda por favor", "es"), ("救命", "zh-TW"), ("有人散布我的私密照片", "zh-TW"),
    ("hello", "en"), ("help me", "en"), ("ok", "en"), ("12345", "en"), ("", "en"),
    ("Un hombre publicó fotos íntimas mías sin mi permiso", "es"),
    ("mis fotos", "es"),  # Portuguese or Spanish, unsure: one we answer in
    ("bonjour, quelqu'un a publié mes photos intimes", "other"),
    ("alguém postou minhas fotos íntimas na internet", "other"),
])
def test_the_language_of_a_message(text, lang):
    assert language.detect(text) == lang


def test_a_short_reply_keeps_the_conversations_language():
    assert language.of("ok", ["Un hombre publicó fotos íntimas mías sin permiso"]) == "es"
    assert language.of("Texas", ["Un hombre publicó fotos íntimas mías sin permiso"]) == "es"
    assert language.of("ok", []) == "en"


def test_another_language_is_told_which_we_answer_in_with_lines_that_work_anywhere(assistant):
    ans = assistant.answer("bonjour, quelqu'un a publié mes photos intimes sur internet")
    assert ans.lang == "en" and "Spanish (español)" in ans.answer and "繁體中文" in ans.answer
    assert ans.resources and "988" not in ans.answer
    assert not ans.citations


def test_a_person_in_crisis_in_another_language_gets_crisis_lines_first(assistant):
    ans = assistant.answer("je veux mourir, tout le monde a vu la vidéo")
    assert ans.safety.crisis
    assert ans.answer.index("findahelpline.com") < ans.answer.index("Spanish (español)")
    assert "988" not in ans.answer


def test_a_place_named_in_a_follow_up_does_not_switch_the_language():
    # lingua reads "i'm in manila" alone as Tagalog (0.94); in the conversation it is English.
    assert language.of("i'm in manila", ["my nudes got leaked"]) == "en"
    assert language.of("estoy en Manila", ["alguien publicó mis fotos íntimas"]) == "es"
