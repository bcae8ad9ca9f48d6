"""A headless Chromium for the HTML report tests: Debian's /usr/bin/chromium driven by
Playwright. Every test here skips cleanly when either is missing (CI installs both: see
docs/reports.md, "Testing the HTML report")."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

# The tests import the sample report from tests/fakes (importlib import mode adds no path).
TESTS = str(Path(__file__).resolve().parent.parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

CHROMIUM = os.environ.get("BACKLINT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def open_page(browser):
    """Open an HTML file; return (page, console messages, requests other than the file)."""
    opened = []

    def open_file(path: Path):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        opened.append(page)
        messages: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-ready='1']", timeout=5000)
        others = [url for url in requests if url != path.as_uri()]
        return page, messages, others

    yield open_file
    for page in opened:
        page.close()
