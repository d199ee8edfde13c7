"""The LLM path against a real OpenAI-compatible HTTP server on 127.0.0.1 (tests/llm_server.py):
the real `openai` client streams over real HTTP; citations are checked; failures fall back."""

from __future__ import annotations

import pytest

from bot.answer.assistant import Assistant
from bot.config import Settings
from tests.llm_server import running_server


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


def llm_assistant(corpus_settings, embedder, url, model, timeout=10.0):
    settings = Settings(**{**corpus_settings.model_dump(), "llm_model": model,
                           "openai_base_url": url, "openai_api_key": "none", "llm_timeout": timeout})
    return Assistant(settings, embedder=embedder)


def test_llm_answer_is_streamed_and_cited(corpus_settings, embedder, server):
    bot = llm_assistant(corpus_settings, embedder, server, "cite-first")
    pieces = list(bot.stream("Can I sue someone who posted my nude photos?"))
    ans = pieces[-1]
    assert ans.mode == "llm" and ans.citations and "[1]" in ans.answer
    assert len([p for p in pieces if isinstance(p, str)]) > 3  # streamed in pieces


def test_invented_citation_falls_back_to_offline(corpus_settings, embedder, server):
    ans = llm_assistant(corpus_settings, embedder, server, "bad-citation").answer(
        "Can I sue someone who posted my nude photos?")
    assert ans.mode == "offline" and "did not cite my sources correctly" in ans.answer
    assert ans.citations


def test_server_error_falls_back_and_says_so(corpus_settings, embedder, server):
    ans = llm_assistant(corpus_settings, embedder, server, "error-500").answer("Texas deepfake law")
    assert ans.mode == "offline" and "could not be reached" in ans.answer and ans.citations


def test_timeout_falls_back(corpus_settings, embedder, server):
    ans = llm_assistant(corpus_settings, embedder, server, "slow", timeout=1.0).answer("Texas deepfake law")
    assert ans.mode == "offline" and ans.notice


def test_unreachable_endpoint_falls_back(corpus_settings, embedder):
    ans = llm_assistant(corpus_settings, embedder, "http://127.0.0.1:9/v1", "any").answer("Texas deepfake law")
    assert ans.mode == "offline" and ans.notice


def test_misuse_never_reaches_the_model(corpus_settings, embedder, server):
    ans = llm_assistant(corpus_settings, embedder, server, "cite-first").answer(
        "generate a nude deepfake of my coworker")
    assert ans.refused and ans.mode == "offline"


def seen(bot, question: str) -> tuple[str, object]:
    """Everything the person is shown, as it streams and at the end, and the final answer."""
    pieces = list(bot.stream(question))
    return "".join(p for p in pieces if isinstance(p, str)) + "\n" + pieces[-1].answer, pieces[-1]


@pytest.mark.parametrize("model, invented", [
    ("fake-section", "9999"),         # a section number no passage holds, cited [1]
    ("fake-phone", "555-013-4477"),   # a phone number no passage holds
    ("cite-99", "[99]"),              # a passage that does not exist
])
def test_an_invented_fact_is_never_shown_and_the_answer_falls_back(corpus_settings, embedder, server,
                                                                   model, invented):
    bot = llm_assistant(corpus_settings, embedder, server, model)
    shown, ans = seen(bot, "Can I sue someone who posted my nude photos?")
    assert invented not in shown
    assert ans.mode == "offline" and "did not cite my sources correctly" in ans.answer and ans.citations
    assert ans.llm_check["fallback"]


def test_one_unsupported_amount_is_dropped_and_the_rest_kept(corpus_settings, embedder, server):
    bot = llm_assistant(corpus_settings, embedder, server, "fake-amount")
    shown, ans = seen(bot, "Can I sue someone who posted my nude photos?")
    assert "9,999,999" not in shown
    assert ans.mode == "llm" and "You are not to blame" in ans.answer
    assert [d["kinds"] for d in ans.llm_check["dropped"]] == [["amount"]]
    check = ans.llm_check
    assert check["kept"] == check["sentences"] - 1 and check["first_verified_s"] is not None


@pytest.mark.parametrize("model", ["garbage", "cut-off"])
def test_a_broken_stream_falls_back_without_half_an_answer(corpus_settings, embedder, server, model):
    bot = llm_assistant(corpus_settings, embedder, server, model)
    shown, ans = seen(bot, "Can I sue someone who posted my nude photos?")
    assert ans.mode == "offline" and ans.notice
    assert "the platform must" not in shown  # the sentence the connection cut is never shown


def test_a_server_that_never_answers_falls_back_within_the_timeout(corpus_settings, embedder, server):
    import time

    bot = llm_assistant(corpus_settings, embedder, server, "hang", timeout=2.0)
    started = time.monotonic()
    ans = bot.answer("Can I sue someone who posted my nude photos?")
    assert time.monotonic() - started < 2.0 + 3.0  # the deadline, plus the offline answer
    assert ans.mode == "offline" and ans.notice and ans.citations


PLAN = "my ex posted my nudes on reddit, i'm in texas and i'm 24"


def test_the_plan_is_the_skeleton_the_model_rewrites(assistant, knowledge_settings, embedder, server):
    """A person's situation gets the plan in the model's words, verified: every step, link and
    citation of the offline plan kept, and the people to talk to word for word."""
    offline = assistant.answer(PLAN)
    shown, ans = seen(llm_assistant(knowledge_settings, embedder, server, "rewrite-plan"), PLAN)
    assert offline.steps and ans.mode == "llm" and ans.llm_check["dropped"] == []
    assert "one step at a time" in ans.answer
    import re

    links = re.findall(r"\]\((https?://[^)\s]+)\)", offline.answer)
    assert links and all(link in ans.answer for link in links)  # every step's link, kept
    assert "844-878-2274" in offline.answer and "844-878-2274" in ans.answer  # a helpline, kept
    assert [c.source_id for c in ans.citations] == [c.source_id for c in offline.citations]


def test_a_rewrite_that_drops_a_step_is_replaced_by_the_plan(knowledge_settings, embedder, server):
    shown, ans = seen(llm_assistant(knowledge_settings, embedder, server, "rewrite-drop-step"), PLAN)
    assert ans.mode == "offline" and "did not cite my sources correctly" in ans.answer
    assert ans.steps and ans.llm_check["fallback"].startswith("the rewrite dropped")
