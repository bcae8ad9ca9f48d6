"""The html report, read as text: self-contained, escaped, one allowed script."""

from __future__ import annotations

import re
from dataclasses import replace

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
    # Long runs get <wbr> break points (after slashes and dots), which are not text.
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in html.replace("<wbr>", "")


def test_sections_charts_and_filters_are_present():
    html = page(history=sample_trend())
    for heading in (
        "Health score",
        "Points lost by family",
        "Trend",
        "Findings by family",
        "Rules that fire most",
        "Priority distribution",
        "Age of tickets",
        "Worst tickets",
        "All findings",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert html.count("<svg") == 2  # the gauge and the trend line
    assert html.count('<div class="chart ') == 5  # trend, family, rule, priority, age
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


def _columns(html: str) -> list[str]:
    """The column labels of the priority chart, in order (with their notes)."""
    chart = html.split("<h2>Priority distribution</h2>", 1)[1].split("</section>", 1)[0]
    return [
        re.sub(r"<small>(.*?)</small>", r" (\1)", label)
        for label in re.findall(r'<span class="clabel"[^>]*>(.*?)</span>', chart)
    ]


def test_priorities_are_columns_of_the_configured_scale_in_order_none_last():
    # Issue 16: Highest/High sat next to P1/P2 as if they were other levels.
    base = sample_report()
    names = ["P2", "Highest", "P1", None, "High", "Whenever", "Medium", "P1", "Low", None, "P4"]
    ranks = {"Highest": 0, "High": 1, "P1": 1, "Medium": 2, "P2": 2, "Low": 3, "P4": 4}
    tickets = [
        replace(t, priority=name, priority_rank=ranks.get(name or ""))
        for t, name in zip(base.tickets, names, strict=False)
    ]
    report = replace(base, tickets=tickets)
    assert _columns(render_html(report)) == [
        "Highest",
        "High (P1)",
        "Medium (P2)",
        "Low",
        "P4",
        "not on the scale (Whenever)",
        "none",
    ]
    scale = ("Urgent", "Soon", "Normal", "Later", "Someday")
    assert _columns(render_html(report, scale=scale)) == [
        "Urgent (Highest)",
        "Soon (P1, High)",
        "Normal (Medium, P2)",
        "Later (Low)",
        "Someday (P4)",
        "not on the scale (Whenever)",
        "none",
    ]


def test_points_lost_by_family_reconcile_the_score_with_the_family_scores():
    # Issue 16: 78 "fair" beside family bars of 94-99 with nothing to say how both can be true.
    report = sample_report()
    html = render_html(report)
    score = report.score
    lost = 100 - score.overall
    assert f"{score.overall} = 100 − {lost} points lost." in html
    card_html = html.split("<h2>Points lost by family</h2>", 1)[1].split("</section>", 1)[0]
    numbers = [int(n) for n in re.findall(r'<span class="num">−?(\d+)<small>', card_html)]
    assert sum(numbers) == lost and len(numbers) == len(score.families)
    for family, value in score.families.items():
        assert f"{value} alone" in card_html, family
    assert f"Each is higher than {score.overall} because a ticket that fails" in card_html


def test_footer_and_header_times_are_for_people():
    html = page()
    assert "22 November 2026, 12:00 UTC" in html.split("<footer>", 1)[1]
    assert "2026-11-22T12:00" not in html


def test_findings_table_does_not_scroll_inside_the_page():
    html = page()
    assert 'class="scroll"' not in html and "overflow: auto" not in html
    assert "max-height" not in html


def test_worst_tickets_count_warnings_in_the_plural():
    html = page()
    worst = html.split("<h2>Worst tickets</h2>", 1)[1].split("</section>", 1)[0]
    assert "2 warnings</span>" in worst and "1 error</span>" in worst
    assert re.search(r"\b[2-9] warning<", worst) is None


def test_configuration_notes_come_before_the_lists_and_long_lists_fold():
    trend = sample_trend()
    trend["notes"] = [
        "The rule selection changed since the previous run: 2 findings disappeared because "
        "BL104 no longer runs (not counted as fixed)."
    ]
    trend["fixed"] = [
        {"key": f"SHOP-{n}", "title": f"Ticket {n}", "url": "", "rules": ["BL101"]}
        for n in range(100, 111)
    ]
    html = page(history=trend)
    card_html = html.split("<h2>Trend</h2>", 1)[1].split("</section>", 1)[0]
    assert card_html.index("BL104 no longer runs") < card_html.index("Fixed (11)")
    assert "<summary>3 more</summary>" in card_html
    assert "since the previous run, partly from a change of configuration" in html
    assert "partly from a change" not in page(history=sample_trend())
