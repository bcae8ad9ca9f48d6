"""The HTML report in a real headless Chromium: it loads cleanly, charts render, filters work,
and tracker text stays text."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fakes.reports import HOSTILE_TITLE, sample_report, sample_trend

from backlint.cli.main import cli
from backlint.reporters.html.page import render_html


@pytest.fixture
def sample_page(open_page, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render_html(sample_report({"history": sample_trend()})), encoding="utf-8")
    return open_page(path)


def visible_rows(page) -> int:
    return page.locator("#findings tbody tr:visible").count()


def test_loads_without_console_errors_or_network(sample_page):
    page, messages, requests = sample_page
    assert messages == []
    assert requests == []
    assert page.title().startswith("Backlog health 66/100")


def test_charts_render(sample_page):
    page, _, _ = sample_page
    charts = page.locator(".chart")
    assert charts.count() == 5  # trend, findings by family, rules, priorities, age
    for index in range(5):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100
    marks = page.locator(".chart .mark")
    assert marks.count() > 20
    boxes = [marks.nth(i).bounding_box() for i in range(marks.count())]
    assert all(box and box["width"] > 0 and box["height"] > 0 for box in boxes)
    assert page.locator(".trend .dot").count() == 4
    assert page.locator(".gauge").bounding_box()["width"] > 100
    assert page.locator(".gauge-score").text_content() == "66"


def test_filters_by_family_severity_label_and_text(sample_page):
    page, _, _ = sample_page
    assert visible_rows(page) == 15
    assert page.locator("#f-count").text_content() == "Showing 15 of 15 findings"
    page.select_option("#f-family", "duplicate")
    assert visible_rows(page) == 2
    assert page.locator("#f-count").text_content() == "Showing 2 of 15 findings"
    page.select_option("#f-family", "")
    page.select_option("#f-severity", "error")
    assert visible_rows(page) == 2
    page.select_option("#f-severity", "info")
    assert visible_rows(page) == 2
    page.select_option("#f-severity", "")
    page.select_option("#f-label", "email")
    assert visible_rows(page) == 2
    page.select_option("#f-label", "needs triage")
    assert visible_rows(page) == 2
    page.select_option("#f-label", "")
    page.fill("#f-search", "SHOP-203")
    assert visible_rows(page) == 3
    page.fill("#f-search", "")
    assert visible_rows(page) == 15


def test_injected_script_title_renders_as_text_and_never_runs(sample_page):
    page, messages, _ = sample_page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("td.title", has_text=HOSTILE_TITLE).count() >= 2
    assert page.locator("main script, main img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert messages == []


def test_demo_audit_page_in_the_browser(open_page, examples, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            str(examples / "jira-search.json"),
            "--format",
            "html",
            "--output",
            "r.html",
            "--now",
            "2026-11-22",
            "--fail-on",
            "never",
        ],
    )
    assert result.exit_code == 0, result.output
    page, messages, requests = open_page(tmp_path / "r.html")
    assert messages == [] and requests == []
    assert int(page.locator(".gauge-score").text_content()) >= 0
    assert visible_rows(page) == page.locator("#findings tbody tr").count() > 0
