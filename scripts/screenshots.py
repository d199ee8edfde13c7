"""Screenshots of each view at desktop and phone width, for the README (docs/screenshots/), and
of the chat and Take action views in Spanish and Traditional Chinese (a browser set to that
language: `*-es-desktop.png`, `*-zh-TW-desktop.png`; docs/language.md).

    .venv/bin/python scripts/screenshots.py      # starts the app on a free port, needs the index
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
# A browser in each language, a first message a person might write in it.
LANGUAGES = {"es": ("es-US", "Mi ex publicó mis fotos íntimas en Instagram. ¿Qué puedo hacer?"),
             "zh-TW": ("zh-TW", "我前男友把我的私密照片放到 Instagram 上，我該怎麼辦？")}


def main() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ)
    for line in proc.stdout:
        if "ready" in line:
            break
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for size, (w, h) in SIZES.items():
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector("#question textarea")
                page.fill("#question textarea", "My ex posted my nude photos on Reddit. What can I do?")
                page.keyboard.press("Enter")
                page.wait_for_function("() => document.querySelector('#sources').innerText.includes('Last verified')")
                page.screenshot(path=OUT / f"chat-{size}.png", full_page=size == "desktop")
                for tab, name in (("Helplines", "helplines"), ("Take action", "take-action"),
                                  ("Staff reference", "staff")):
                    tab_button = page.get_by_role("tab", name=tab)
                    if not tab_button.is_visible():  # narrow screens fold tabs into a menu
                        page.locator(".overflow-menu button, button.overflow-menu").first.click()
                        tab_button = page.get_by_role("button", name=tab).or_(page.get_by_role("tab", name=tab)).last
                    tab_button.click(timeout=5000)
                    page.wait_for_timeout(800)
                    if name == "take-action":
                        page.fill("#notice-name textarea, #notice-name input", "Jane Example")
                        page.fill("#notice-platform textarea, #notice-platform input", "ExampleSite")
                        page.fill("#notice-urls textarea", "https://example.com/post/123")
                        page.wait_for_timeout(1200)
                    page.screenshot(path=OUT / f"{name}-{size}.png")
                page.close()
            for lang, (locale, message) in LANGUAGES.items():
                shoot_language(browser, port, lang, locale, message)
            browser.close()
    finally:
        proc.terminate()
    print("\n".join(sorted(str(p.relative_to(ROOT)) for p in OUT.glob("*.png"))))
    return 0


def shoot_language(browser, port: int, lang: str, locale: str, message: str) -> None:
    """The page as a browser set to `locale` shows it, with an answer to `message`."""
    from bot.page_text import text

    context = browser.new_context(locale=locale, extra_http_headers={"Accept-Language": locale},
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_selector("#question textarea")
    page.fill("#question textarea", message)
    page.keyboard.press("Enter")
    verified = text("ui_last_verified", lang).split("{")[0].strip()
    page.wait_for_function(f"() => document.querySelector('#sources').innerText.includes({verified!r})",
                           timeout=60_000)
    page.wait_for_timeout(800)
    page.screenshot(path=OUT / f"chat-{lang}-desktop.png", full_page=True)
    page.get_by_role("tab", name=text("ui_tab_notices", lang)).click()
    page.wait_for_timeout(800)
    page.screenshot(path=OUT / f"take-action-{lang}-desktop.png")
    context.close()


if __name__ == "__main__":
    sys.exit(main())
