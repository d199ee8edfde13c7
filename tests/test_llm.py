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
