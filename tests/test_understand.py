"""The understand stage reads the facts of a message in English, Spanish and Traditional Chinese
(rules only: no model, no index)."""

import pytest

from bot import jurisdictions
from bot.answer.understand import facts_of, find_platforms

# The platform aliases as the manifest declares them (a small fixed set: the rules, not the data).
ALIASES = sorted([("pornhub", "platform-pornhub-aylo", "Pornhub"), ("x", "platform-x-twitter", "X"),
                  ("推特", "platform-x-twitter", "X"), ("ig", "platform-meta", "Instagram"),
                  ("LINE", "platform-line", "LINE"), ("line app", "platform-line", "LINE")],
                 key=lambda a: -len(a[0]))


@pytest.mark.parametrize(("text", "harm", "place"), [
    ("前男友把我的裸照傳到pornhub上，我在俄亥俄州", {"posted"}, "US-OH"),
    ("有人用我的臉做了假的色情影片。我住加州", {"deepfake"}, "US-CA"),
    ("他跟我要500美金，不然就要傳給我家人。我在德州", {"sextortion", "threatened"}, "US-TX"),
    ("我在首爾，浴室裡有針孔鏡頭", {"recorded"}, "KR"),
    ("un tipo quiere $800 o las publica. Estoy en Nueva York", {"sextortion", "threatened"}, "US-NY"),
    ("hizo un video porno falso con mi cara, vivo en Carolina del Norte", {"deepfake"}, "US-NC"),
    ("he wants $500 or he will post them, i'm in ohio", {"sextortion", "threatened"}, "US-OH"),
])
def test_harm_and_place_in_three_languages(text, harm, place):
    facts = facts_of(text, ALIASES)
    assert harm <= set(facts.harm) and facts.place == place


def test_a_place_inside_another_place_name_is_the_longer_one():
    assert jurisdictions.place_of("我住在新墨西哥州") == "US-NM"  # not the country 墨西哥
    assert jurisdictions.place_of("vivo en Nuevo México") == "US-NM"


@pytest.mark.parametrize(("text", "writer", "pictured"), [
    ("我前任在X上po我的照片。26歲女生", "adult", "adult"),
    ("我最好的朋友14歲，她前男友把她的裸照po到網路上", None, "minor"),
    ("mi mejor amiga tiene 14 y su ex subió sus fotos", None, "minor"),
])
def test_ages_of_the_writer_and_of_a_friend(text, writer, pictured):
    facts = facts_of(text, ALIASES)
    assert (facts.writer, facts.pictured) == (writer, pictured)


def test_platforms_named_inside_chinese_text_and_line_only_in_capitals():
    assert find_platforms("他在X上po我的照片", ALIASES)[0] == ["platform-x-twitter"]
    assert find_platforms("被傳到推特", ALIASES)[0] == ["platform-x-twitter"]
    assert find_platforms("我的照片被傳到LINE群組", ALIASES)[0] == ["platform-line"]
    assert find_platforms("he sent it to me in a line of text", ALIASES)[0] == []


def test_a_place_is_named_in_the_reply_language():
    assert jurisdictions.name_of("US-NY", "es") == "Nueva York"
    assert jurisdictions.name_of("US-OH", "zh-TW") == "俄亥俄州"
    assert jurisdictions.name_of("ES", "es") == "España" and jurisdictions.name_of("GB-SCT", "es") == "Scotland"


def test_a_threat_to_post_is_not_read_as_already_posted():
    facts = facts_of("He keeps saying he'll post my videos if I leave him", ALIASES)
    assert "threatened" in facts.harm and "posted" not in facts.harm


@pytest.mark.parametrize("text", [
    "He keeps saying he'll post my videos if I leave him",
    "Nude pictures of me were posted to a forum by someone I used to date",
    "ever since we broke up he sends my pics around",
    "dice que si lo dejo va a publicar mis fotos",
    "如果我跟他分手，他就要把影片傳出去",
])
def test_a_partner_is_recognised_without_the_word_partner(text):
    assert facts_of(text, ALIASES).who == "partner"


def test_a_stranger_or_someone_unnamed_is_not_a_partner():
    assert facts_of("someone posted my nudes on reddit", ALIASES).who == "unknown"
    assert facts_of("a guy i met online wants money", ALIASES).who == "stranger"


def test_safety_steps_are_in_scope_but_evidence_for_a_divorce_is_not():
    from bot.answer.understand import classify, Facts, rule_intent
    assert classify("Should I delete everything and block him?", Facts(), None, None)[0] != "out_of_scope"
    assert rule_intent("How do I collect evidence for my divorce?") == "out_of_scope"


@pytest.mark.parametrize(("text", "asks"), [
    ("What are my legal rights?", True), ("can i sue him for this", True), ("¿Puedo demandar?", True),
    ("這樣違法嗎", True), ("How do I report it to Instagram?", False), ("me demanda dinero", False),
])
def test_a_question_about_the_law_is_recognised(text, asks):
    from bot.answer import understand_rules as R
    assert bool(R.ASKS_LAW.search(text.lower())) is asks


@pytest.mark.parametrize(("text", "done", "app"), [
    ("the site won't take my video down", ["request_ignored"], False),
    ("i reported it three times and they ignored my requests", ["reported_platform", "request_ignored"], False),
    ("No lo quieren quitar de la página", ["request_ignored"], False),
    ("我檢舉了但網站不肯下架", ["reported_platform", "request_ignored"], False),
    ("someone used a nudify app on my photo", [], True),
    ("a guy used an app to make a fake nude of me", [], True),
    ("they took it down yesterday", [], False),
    ("I reported it on an app", ["reported_platform"], False),  # an app, but no fake: not a nudify app
])
def test_an_ignored_request_and_a_nudify_app(text, done, app):
    facts = facts_of(text, ALIASES)
    assert facts.done == done and facts.nudify_app is app
