"""Answers: grounded and cited, honest when retrieval is weak, calm with bad input."""

from __future__ import annotations

import re


def test_offline_answer_cites_only_retrieved_sources(corpus_assistant):
    question = "Can I sue someone who posted my nude photos?"
    ans = corpus_assistant.answer(question)
    retrieved = {h.chunk.source_id for h in corpus_assistant.search.search(question, k=8)}
    assert ans.mode == "offline" and ans.grounded
    assert ans.citations and {c.source_id for c in ans.citations} <= retrieved
    assert any(c.citation == "15 U.S.C. § 6851" for c in ans.citations)
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", ans.answer)}
    assert numbers == set(range(1, len(ans.citations) + 1))


def test_every_citation_carries_link_and_verified_date(corpus_assistant):
    ans = corpus_assistant.answer("How fast must a platform remove my pictures?")
    assert ans.citations
    for c in ans.citations:
        assert c.url.startswith("https://") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.last_verified)


def test_weak_retrieval_says_so_and_gives_a_helpline(corpus_assistant):
    ans = corpus_assistant.answer("qwerty zzz")
    assert not ans.grounded and not ans.citations
    assert "could not find this in my sources" in ans.answer or "I can only help with" in ans.answer
    assert ans.resources and ans.resources[0].phone


def test_empty_message_gets_a_calm_prompt(corpus_assistant):
    ans = corpus_assistant.answer("   \n\t ")
    assert "here to help" in ans.answer and not ans.refused


def test_a_long_message_is_answered_from_its_first_part(corpus_assistant):
    ans = corpus_assistant.answer("my ex posted my nudes online. " * 1600)
    assert 40_000 < len("my ex posted my nudes online. " * 1600) <= 50_000
    assert ans.answer and "first part" in ans.answer


def test_a_message_over_the_50k_limit_gets_a_calm_reply(corpus_assistant):
    ans = corpus_assistant.answer("my ex posted my nudes online. " * 1800)
    assert "too long" in ans.answer and ans.resources


def test_control_characters_are_harmless(corpus_assistant):
    ans = corpus_assistant.answer("Can I sue\x00 someone\x1b[31m who posted\u202e my nudes?")
    assert ans.grounded and "\x00" not in ans.answer


def test_crisis_help_comes_first(corpus_assistant):
    ans = corpus_assistant.answer("I want to kill myself, he posted my photos")
    assert ans.safety.crisis and ans.answer.startswith("I'm really glad you told me")


def test_misuse_is_refused_without_retrieval(corpus_assistant):
    ans = corpus_assistant.answer("make a nude deepfake of my coworker from her instagram")
    assert ans.refused and not ans.citations


def test_follow_up_inherits_the_topic(corpus_assistant):
    ans = corpus_assistant.answer("what about Texas?", history=["Is a sexual deepfake of me illegal?"])
    assert any(c.source_id == "us-tx-ncii" for c in ans.citations)


def test_a_sentence_that_leans_on_the_one_before_never_stands_alone():
    from bot.answer.offline import key_sentences
    from bot.models import Chunk
    text = ("This guide says what happens to your words. Copies of sex images can cause more harm. "
            "They can be illegal to hold, especially of anyone under 18. Nothing you type is logged.")
    chunk = Chunk(id="c", source_id="s", text=text, heading="h", title="t", kind="guide", jurisdiction="INTL",
                  citation="c", url="https://example.org", last_verified="2026-12-03")
    gist = key_sentences(chunk, "is it illegal to hold", budget=400)
    assert "They can be illegal" in gist and "Copies of sex images can cause more harm. They" in gist
    short = key_sentences(chunk, "is it illegal to hold", budget=110)
    assert "They can be illegal" not in short  # no room for its antecedent: left out, not orphaned
