"""The HTML report's layout in a real headless Chromium, on a phone (390 px) and a laptop
(1280 px): nothing wider than the screen, no box that scrolls inside the page, no word broken
in the middle. Full-page screenshots of both widths are saved as test artefacts, in the folder
named by ``BACKLINT_ARTEFACTS`` or else in pytest's temporary folder (the path is printed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.reports import sample_report, sample_trend

from backlint.cli.main import cli
from backlint.reporters.html.page import render_html

SCREENSHOT_WIDTHS = (390, 1280)  # a phone and a laptop: the demo page is saved at both
CHECKED_WIDTHS = (390, 768, 1000, 1280)  # and the tablet widths between them are checked too
FIXED_TIME = ["--now", "2026-11-30T07:12:00+00:00", "--fail-on", "never"]

# Elements that scroll on their own (a box inside the page with its own scroll bar).
NESTED_SCROLL = """() => Array.from(document.querySelectorAll("main *")).filter((el) => {
  const style = getComputedStyle(el);
  const y = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
  const x = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
  return x || y;
}).map((el) => el.tagName.toLowerCase() + "." + el.className)"""

# Words (runs of letters and digits) whose letters land on more than one line. Text in a
# ``.long`` span (more than 30 characters with no place to wrap) is allowed to break anywhere.
BROKEN_WORDS = """() => {
  const broken = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("svg, option, select, .long") || !parent.offsetParent) {
      continue;
    }
    const pattern = /[\\p{L}\\p{N}]+(?:['\\u2019][\\p{L}\\p{N}]+)*/gu;
    for (let match = pattern.exec(node.data); match; match = pattern.exec(node.data)) {
      if (/[\\u3000-\\u9fff]/.test(match[0])) { continue; }  // CJK wraps between characters
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = Array.from(range.getClientRects()).filter((r) => r.width > 0)
        .map((r) => r.top).sort((a, b) => a - b);
      if (tops.length > 1 && tops[tops.length - 1] - tops[0] > 6) {
        broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    """Where screenshots go: $BACKLINT_ARTEFACTS, else a pytest temporary folder."""
    folder = os.environ.get("BACKLINT_ARTEFACTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("artefacts")
    path.mkdir(parents=True, exist_ok=True)
    print(f"screenshots of the HTML report: {path}")
    return path


@pytest.fixture(scope="module")
def pages(tmp_path_factory, examples) -> dict[str, Path]:
    """The demo audit of examples/ and the sample report with a trend, as files."""
    folder = tmp_path_factory.mktemp("pages")
    demo = folder / "demo.html"
    result = CliRunner().invoke(
        cli,
        ["audit", str(examples), "--format", "html", "--output", str(demo), *FIXED_TIME],
    )
    assert result.exit_code == 0, result.output
    sample = folder / "sample.html"
    sample.write_text(render_html(sample_report({"history": sample_trend()})), encoding="utf-8")
    return {"demo": demo, "sample": sample}


@pytest.fixture(scope="module")
def examples() -> Path:
    return Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name", ["demo", "sample"])
def test_page_fits_the_screen_without_nested_scroll_or_broken_words(
    browser, pages, artefacts, name
):
    page = browser.new_page(viewport={"width": CHECKED_WIDTHS[0], "height": 900})
    try:
        page.goto(pages[name].as_uri())
        page.wait_for_selector("html[data-ready='1']", timeout=5000)
        for width in CHECKED_WIDTHS:  # one page, resized: the layout follows the window
            page.set_viewport_size({"width": width, "height": 900})
            if name == "demo" and width in SCREENSHOT_WIDTHS:  # a full-page shot takes 1-2 s
                shot = artefacts / f"report-{name}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{name} is {scroll_width} px wide at {width} px"
            assert page.evaluate(NESTED_SCROLL) == [], width
            assert page.evaluate(BROKEN_WORDS) == [], width
            for chart in page.locator(".chart").all():
                box = chart.bounding_box()
                assert box and box["x"] > 0 and box["x"] + box["width"] <= width
    finally:
        page.close()


def test_footer_time_is_for_people(browser, pages):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(pages["demo"].as_uri())
        footer = page.locator("footer").text_content()
    finally:
        page.close()
    assert "30 November 2026, 07:12 UTC" in footer
    assert "2026-11-30T" not in footer


def test_filters_hide_rows_on_a_phone_too(browser, pages):
    # On a phone the rows are flex boxes; a hidden row must still disappear.
    page = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.goto(pages["sample"].as_uri())
        page.wait_for_selector("html[data-ready='1']", timeout=5000)
        page.select_option("#f-family", "duplicate")
        assert page.locator("#findings tbody tr:visible").count() == 2
    finally:
        page.close()
