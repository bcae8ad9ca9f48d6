"""The html report, read as text: self-contained, escaped, one allowed script."""

from __future__ import annotations

import re

from fakes.reports import sample_report, sample_trend

from backlint.reporters.html.assets import SCRIPT, script_hash
from backlint.reporters.html.page import render_html


def page(**extra) -> str:
    return render_html(sample_report(extra or None))


def test_page_is_self_contained():
    html = page(history=sample_trend())
    assert not re.search(r"""\b(src|srcset|action)\s*=""", html.replace("src=x onerror", ""))
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert html.count("<script>") == 1 and html.count("</script>") == 1
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith("https://acme.atlassian.net/browse/") for h in hrefs)


def test_csp_allows_exactly_the_inline_script_and_no_fetch():
    html = page()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in policy
    assert f"script-src {script_hash()}" in policy
    assert f"<script>{SCRIPT}</script>" in html


def test_tracker_text_is_escaped():
    html = page(history=sample_trend())
    assert "__pwned" in html
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "javascript:" not in html.replace("javascript:alert(1))", "")
    assert 'href="javascript' not in html
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in html


def test_sections_charts_and_filters_are_present():
    html = page(history=sample_trend())
    for heading in (
        "Health score",
        "Health by family",
        "Trend",
        "Findings by family",
        "Rules that fire most",
        "Priority distribution",
        "Age of tickets",
        "Worst tickets",
        "All findings",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert html.count("<svg") == 6  # gauge, trend, family, rule, priority, age
    assert 'id="f-family"' in html and 'id="f-severity"' in html and 'id="f-label"' in html
    assert html.count('<tr data-family="') == 15
    assert '<option value="needs triage">needs triage</option>' in html


def test_no_trend_card_without_history_and_output_is_deterministic():
    assert "<h2>Trend</h2>" not in page()
    assert page() == page()


def test_row_cap_says_what_is_left_out():
    html = render_html(sample_report(), max_rows=5)
    assert html.count('<tr data-family="') == 5
    assert "10 more findings are not listed here" in html


def test_backlog_wide_findings_have_their_own_card(examples):
    from click.testing import CliRunner

    from backlint.cli.main import cli

    result = CliRunner().invoke(cli, ["audit", str(examples), "--format", "html"])
    assert "The backlog as a whole" in result.output
    card = result.output.split("The backlog as a whole", 1)[1].split("</section>", 1)[0]
    assert "BL405 priority-inflation" in card and "(12 tickets)" in card
