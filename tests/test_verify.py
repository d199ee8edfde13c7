"""The verifier (bot/answer/verify.py): facts found and normalised, held or not by a passage,
sentences cut where they end — on hand-made text, no model."""

from __future__ import annotations

import pytest

from bot.answer.verify import Evidence, check, facts_of, split_ready
from bot.models import Chunk


def chunk(text: str, citation: str = "Guide", url: str = "https://example.org/guide") -> Chunk:
    return Chunk(id="c", text=text, source_id="s", heading="t", title="t", kind="guide", jurisdiction="US",
                 citation=citation, url=url, last_verified="2026-11-25")


CCRI = Evidence(chunk("Call the CCRI Image Abuse Helpline at 844-878-2274, or write to "
                      "help@cybercivilrights.org. See https://cybercivilrights.org/ccri-safety-center/."))
LAW = Evidence(chunk("A platform must remove the image within 48 hours of a valid request. "
                     "Damages can be $150,000.", citation="47 U.S.C. § 223a"))


@pytest.mark.parametrize("sentence", [
    "Call 844.878.2274 [1].", "Call (844) 878-2274 [1].", "Call 1-844-878-2274 [1].",
    "Write to help@cybercivilrights.org [1].", "See cybercivilrights.org/ccri-safety-center [1].",
    "See https://www.cybercivilrights.org/ccri-safety-center [1].",
    "Under section 223a it must act within 48 hours [2].", "Under Sec. 223a it must act. [2]",
    "You could get $150,000 [2].", "You could get 150,000 dollars [2].",
    "You are not alone.",  # no checkable fact: no citation needed
])
def test_a_fact_held_by_a_cited_passage_passes_in_any_spelling(sentence):
    assert check(sentence, [CCRI, LAW]).ok, check(sentence, [CCRI, LAW]).reason


@pytest.mark.parametrize("sentence, kind", [
    ("Call 844-878-2275 [1].", "phone"),
    ("Under § 223b it must act. [2]", "section"),
    ("Under § 223a(a)(3) it must act. [2]", "number"),  # a paragraph the passage does not have
    ("It must act within 24 hours [2].", "duration"),
    ("You could get $250,000 [2].", "amount"),
    ("Write to help@evil.example.org [1].", "email"),
    ("See stopncii.org [1].", "url"),
    ("Call 844-878-2274 [2].", "phone"),  # the number is real, but not in the passage cited
])
def test_a_fact_no_cited_passage_holds_fails(sentence, kind):
    verdict = check(sentence, [CCRI, LAW])
    assert not verdict.ok and [f.kind for f in verdict.unsupported] == [kind]


def test_a_fact_without_a_citation_and_a_citation_out_of_range_fail():
    assert check("Call 844-878-2274.", [CCRI]).reason == "states a fact without citing a passage"
    assert "do not exist" in check("You are not alone. [7]", [CCRI]).reason


def test_facts_are_found_once_each_and_normalised():
    got = [(f.kind, f.value) for f in facts_of("Under 15 U.S.C. § 6851(b), call 1-800-CALL-FBI or "
                                                "text HOME to 741741 within 2 years; see tips.fbi.gov. [1]")]
    assert got == [("url", "tips.fbi.gov"), ("phone", "1800CALLFBI"), ("section", "6851"),
                   ("duration", "2 year"), ("number", "15"), ("number", "741741")]


def test_sentences_end_where_they_end():
    text = ("Under 15 U.S.C. § 6851 you can sue. [1] Tex. Penal Code § 21.16 applies. [2]\n"
            "1. Report it. It costs $1.5 a day, see example.org. 第 319-4 條。下一句")
    ready, rest = split_ready(text)
    assert ready == ["Under 15 U.S.C. § 6851 you can sue. [1]", "Tex. Penal Code § 21.16 applies. [2]\n",
                     "1. Report it.", "It costs $1.5 a day, see example.org.", "第 319-4 條。"]
    assert rest == "下一句"  # its end has not arrived
    assert split_ready("Wait for it.")[0] == []  # the next character decides
    assert split_ready("Wait for it.", final=True) == (["Wait for it."], "")
