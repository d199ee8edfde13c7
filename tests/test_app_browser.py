"""The real web app in a real browser (Debian's headless Chromium driven by Playwright)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(knowledge_settings, **env_extra: str):
    """A real `recourse chat` on a free loopback port, with extra RECOURSE_* settings; its URL."""
    port = free_port()
    env = {**os.environ, "RECOURSE_KNOWLEDGE_DIR": str(knowledge_settings.knowledge_dir),
           "RECOURSE_INDEX_DIR": str(knowledge_settings.index_dir), **env_extra}
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        deadline = time.time() + 120
        for line in proc.stdout:
            if "ready" in line or time.time() > deadline:
                break
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def app_url(knowledge_settings):
    with app_server(knowledge_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture()
def page(browser, app_url):
    context = browser.new_context(accept_downloads=True)
    pg = context.new_page()
    pg.goto(app_url)
    pg.wait_for_selector("#question textarea", timeout=60_000)
    yield pg
    context.close()


def ask(page, text: str) -> None:
    page.fill("#question textarea", text)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#sources') && document.querySelector('#sources').innerText.includes('Last verified')",
        timeout=60_000)
    # and the event has finished (outputs are drawn faded while it is pending)
    page.wait_for_function("() => document.querySelectorAll('.pending, .generating').length === 0",
                           timeout=30_000)


def test_question_gets_a_cited_answer_with_sources(page):
    assert page.locator("#privacy-notice").inner_text().startswith("Your privacy")
    ask(page, "Can I sue someone who posted my nude photos?")
    chat = page.locator("#chatbot").inner_text()
    assert "[1]" in chat
    sources = page.locator("#sources")
    assert "15 U.S.C. § 6851" in sources.inner_text()
    assert sources.locator("a[href^='https://']").count() >= 1
    assert sources.locator("a[href^='tel:']").count() >= 1
    assert page.locator("input[type=file]").count() == 0  # no upload anywhere


WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}


def test_every_view_passes_axe_wcag_aa(page):
    """axe-core (bundled in axe-playwright-python, run in the page) finds no WCAG 2.1 A/AA
    violations (contrast, labels, roles, names) in any tab, with an answer on screen; and the
    page loads nothing from outside the machine."""
    from axe_playwright_python.sync_playwright import Axe

    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        ("http://127.0.0.1", "data:", "blob:")) else None)
    ask(page, "Can I sue someone who posted my nude photos?")
    found = {}
    for tab in (None, "Helplines", "Take action", "Staff reference"):
        if tab:
            page.get_by_role("tab", name=tab).click()
            page.wait_for_timeout(1000)
        violations = Axe().run(page, options=WCAG_AA).response["violations"]
        found[tab or "Chat"] = [(v["id"], [(n["target"], n.get("failureSummary", "")[:200]) for n in v["nodes"]][:3])
                                for v in violations]
    assert not any(found.values()), found
    assert outside == [], outside


def test_quick_exit_leaves_no_conversation(page):
    ask(page, "My ex posted my pictures on Reddit")
    page.click("#quick-exit")
    page.wait_for_timeout(1500)
    assert "127.0.0.1" not in page.url
    assert "Reddit" not in page.content() and "posted my pictures" not in page.content()


def test_escape_key_is_a_quick_exit(page):
    page.fill("#question textarea", "private words")
    page.keyboard.press("Escape")
    page.wait_for_timeout(1500)
    assert "private words" not in page.content()


def test_directory_filter(page):
    page.get_by_role("tab", name="Helplines").click()
    table = page.locator("#directory")
    table.wait_for()
    before = table.inner_text()
    assert "RAINN" in before
    page.locator("#directory-place input").fill("Taiwan")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('#directory').innerText.includes('RAINN')",
                           timeout=20_000)
    assert "113" in table.inner_text()


def test_take_it_down_notice_downloads_with_details(page):
    page.get_by_role("tab", name="Take action").click()
    page.fill("#notice-name textarea, #notice-name input", "Jane Example")
    page.fill("#notice-platform textarea, #notice-platform input", "ExampleSite")
    page.fill("#notice-urls textarea", "https://example.com/post/123")
    page.wait_for_function(
        "() => { const v = (document.querySelector('#notice-preview textarea') || {}).value || '';"
        " return v.includes('Jane Example') && v.includes('https://example.com/post/123'); }",
        timeout=20_000)  # the preview has caught up with the last field typed
    with page.expect_download() as info:
        page.click("#notice-txt")
    text = Path(info.value.path()).read_text()
    assert "TAKE IT DOWN Act" in text and "Jane Example" in text and "https://example.com/post/123" in text
    assert info.value.suggested_filename.endswith(".txt")


def test_a_letter_drafted_in_the_chat_opens_filled_in_take_action(page):
    ask(page, "write my take it down request for onlyfans, the post is https://onlyfans.com/example/123")
    assert "https://onlyfans.com/example/123" in page.locator("#chatbot").inner_text()
    page.get_by_role("tab", name="Take action").click()
    assert page.locator("#notice-platform textarea, #notice-platform input").input_value() == "OnlyFans"
    assert page.locator("#notice-urls textarea").input_value() == "https://onlyfans.com/example/123"
    page.wait_for_function(
        "() => ((document.querySelector('#notice-preview textarea') || {}).value || '')"
        ".includes('https://onlyfans.com/example/123')", timeout=60_000)  # under CI load the preview can lag
    assert "TAKE IT DOWN Act" in page.locator("#notice-preview textarea").input_value()


def test_docx_letter_downloads_from_memory(page):
    """The .docx is made only on the click and handed over as data (no server file path)."""
    from docx import Document

    page.get_by_role("tab", name="Take action").click()
    page.fill("#notice-name textarea, #notice-name input", "Jane Example")
    page.wait_for_function(
        "() => ((document.querySelector('#notice-preview textarea') || {}).value || '').includes('Jane Example')",
        timeout=20_000)
    with page.expect_download() as info:
        page.click("#notice-docx")
    assert info.value.suggested_filename.endswith(".docx")
    assert info.value.url.startswith("blob:")  # not /gradio_api/file=… on the server
    doc = Document(info.value.path())
    assert any("Jane Example" in para.text for para in doc.paragraphs)


def test_quick_exit_clears_browser_storage_and_no_run_history(page):
    ask(page, "My ex posted my pictures on Reddit")
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.includes('run-history')).length") == 0
    page.evaluate("() => { localStorage.setItem('probe', '1'); sessionStorage.setItem('probe', '1'); }")
    origin = page.url
    page.click("#quick-exit")
    page.wait_for_timeout(1500)
    assert "127.0.0.1" not in page.url
    page.goto(origin)
    page.wait_for_selector("#question textarea", timeout=60_000)
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0


def test_staff_table_lists_51_jurisdictions(page):
    page.get_by_role("tab", name="Staff reference").click()
    page.wait_for_selector("#state-table")
    count = page.evaluate("""() => {
        const names = new Set();
        document.querySelectorAll('#state-table tbody tr').forEach(tr => {
            const cell = tr.querySelector('td'); if (cell) names.add(cell.innerText.trim()); });
        return names.size; }""")
    assert count == 51


def test_staff_reference_lists_the_escalation_routes_with_their_sources(page):
    page.get_by_role("tab", name="Staff reference").click()
    page.wait_for_selector("#escalation-table")
    text = page.locator("#escalation-table").inner_text()
    for route in ("Report the site to its host and registrar", "Tell the site's payment companies",
                  "Report the app that made it", "Turn on your child's phone protections"):
        assert route in text
    links = page.eval_on_selector_all("#escalation-table a", "els => els.map(e => e.href)")
    assert "https://lookup.icann.org/" in links and "https://reportaproblem.apple.com/" in links


def test_staff_views_need_the_login_when_set(browser, knowledge_settings):
    with app_server(knowledge_settings, RECOURSE_STAFF_USER="advocate",
                    RECOURSE_STAFF_PASSWORD="s3cret") as url:
        pg = browser.new_page()
        pg.goto(url)
        pg.wait_for_selector("#question textarea", timeout=60_000)  # the chat stays open to all
        pg.get_by_role("tab", name="Staff reference").click()
        assert "Alabama" not in pg.locator("body").inner_text()
        pg.fill("#staff-user textarea, #staff-user input", "advocate")
        pg.fill("#staff-password input", "wrong")
        pg.click("#staff-login")
        pg.wait_for_function("() => document.body.innerText.includes('did not match')", timeout=20_000)
        pg.wait_for_timeout(1200)  # the back-off after one failure is half a second
        pg.fill("#staff-password input", "s3cret")
        pg.click("#staff-login")
        pg.wait_for_function("() => document.querySelector('#state-table') && "
                             "document.querySelector('#state-table').innerText.includes('Alabama')", timeout=20_000)
        pg.close()


def test_a_person_waiting_in_the_queue_is_told_so(browser, knowledge_settings):
    """One reply at a time and a slow model: the second person sees the queue note within a few
    seconds, the crisis lines in the header stay visible, and the note goes when the reply starts."""
    from tests.llm_server import running_server

    with running_server() as llm:
        with app_server(knowledge_settings, RECOURSE_CONCURRENCY="1", RECOURSE_LLM_MODEL="trickle",
                        OPENAI_BASE_URL=llm, OPENAI_API_KEY="none", RECOURSE_LLM_TIMEOUT="10") as url:
            first, second = browser.new_page(), browser.new_page()
            for pg in (first, second):
                pg.goto(url)
                pg.wait_for_selector("#question textarea", timeout=60_000)
            # A general question: the (slow) model writes it. A person's own case gets the plan,
            # which is composed offline and would not hold the queue.
            first.fill("#question textarea", "What does the TAKE IT DOWN Act require platforms to do?")
            first.keyboard.press("Enter")
            first.wait_for_timeout(1000)
            second.fill("#question textarea", "How do I report a post on Reddit?")
            second.keyboard.press("Enter")
            note = second.locator("#queue-note")
            note.wait_for(state="visible", timeout=8_000)
            assert "you are in the queue" in note.inner_text()
            assert second.locator("#crisis-lines").is_visible()
            assert "911" in second.locator("#crisis-lines").inner_text()
            note.wait_for(state="hidden", timeout=60_000)
            first.close()
            second.close()


@pytest.mark.parametrize("locale, lang", [("es-US", "es"), ("zh-TW", "zh-TW")])
def test_the_page_speaks_the_browsers_language_and_the_picker_switches_it(browser, app_url, locale, lang):
    """A Spanish or Chinese browser gets every tab, Quick exit, the privacy notice, the filters
    and the forms in its language at first paint (gr.I18n); the language picker switches the
    whole page (the server re-labels it), and the panel the server renders follows."""
    from bot.page_text import text

    context = browser.new_context(locale=locale, extra_http_headers={"Accept-Language": locale})
    pg = context.new_page()
    try:
        pg.goto(app_url)
        pg.wait_for_selector("#question textarea", timeout=60_000)
        for key in ("ui_tab_chat", "ui_tab_helplines", "ui_tab_notices", "ui_tab_staff"):
            assert text(key, lang) != text(key, "en")
            expect_visible(pg.get_by_role("tab", name=text(key, lang)))
        assert pg.inner_text("#quick-exit") == text("ui_quick_exit", lang)
        assert pg.inner_text("#privacy-notice").startswith(text("ui_privacy", lang).replace("**", "")[:4])
        assert "911" in pg.inner_text("#crisis-lines") and "988" in pg.inner_text("#crisis-lines")
        pg.wait_for_function(f"() => document.querySelector('#sources').innerText.includes({text('ui_sources_empty', lang)!r})",
                             timeout=20_000)
        assert pg.locator("#question textarea").get_attribute("placeholder") == text("ui_placeholder", lang)

        pg.get_by_role("tab", name=text("ui_tab_notices", lang)).click()
        for key in ("ui_your_name", "ui_urls", "ui_preview"):
            expect_visible(pg.get_by_text(text(key, lang), exact=True))
        expect_visible(pg.get_by_role("button", name=text("ui_download_docx", lang)))
        # The letter to send stays in English; the same letter, filled the same, to read below it.
        pg.fill("#notice-name textarea, #notice-name input", "Ana Ejemplo")
        reading = {"es": "Solicitud de retiro conforme a la Ley TAKE IT DOWN", "zh-TW": "依據 TAKE IT DOWN Act 提出的移除請求"}[lang]
        pg.wait_for_function("(want) => { const r = document.querySelector('#notice-reading textarea');"
                             " const p = document.querySelector('#notice-preview textarea');"
                             " return r && p && r.value.includes(want) && r.value.includes('/Ana Ejemplo/')"
                             " && p.value.includes('Removal request under the TAKE IT DOWN Act') && p.value.includes('/Ana Ejemplo/'); }",
                             arg=reading, timeout=30_000)
        pg.get_by_role("tab", name=text("ui_tab_helplines", lang)).click()
        expect_visible(pg.get_by_text(text("ui_service", lang), exact=True))
        assert text("ui_directory_caption", lang) in pg.inner_text("#directory")

        # The picker: English, then back to the browser's language ("Automatic" in English).
        pg.get_by_role("tab", name=text("ui_tab_chat", lang)).click()
        pg.click("#language input")
        pg.get_by_role("option", name="English").click()
        expect_visible(pg.get_by_role("tab", name="Take action"))
        assert pg.inner_text("#quick-exit") == "Quick exit (Esc)"
        assert pg.inner_text("#privacy-notice").startswith("Your privacy")
        pg.wait_for_selector("#notice-reading", state="hidden", timeout=20_000)  # English page: one letter
        pg.click("#language input")
        pg.get_by_role("option", name="Automatic").click()
        expect_visible(pg.get_by_role("tab", name=text("ui_tab_notices", lang)))
        assert pg.inner_text("#quick-exit") == text("ui_quick_exit", lang)
    finally:
        context.close()


def expect_visible(locator, timeout: float = 10_000) -> None:
    locator.first.wait_for(state="visible", timeout=timeout)
