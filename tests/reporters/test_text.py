"""The text report: worst tickets first, a family table, the score; colour only when asked."""

from __future__ import annotations

import io

from fakes.reports import sample_report, sample_trend

from backlint.reporters.text import write_text


def render(report, color=False) -> str:
    stream = io.StringIO()
    write_text(report, stream, {"color": color, "width": 100})
    return stream.getvalue()


def test_worst_tickets_first_then_family_table_and_score():
    text = render(sample_report())
    keys = [line.split()[0] for line in text.splitlines() if line.startswith("SHOP-")]
    assert keys[:3] == ["SHOP-203", "SHOP-202", "SHOP-212"]
    assert "SHOP-201" not in keys  # clean tickets are not listed
    assert "(health 0)" in text
    table = text[text.index("Family") :]
    assert "acceptance-criteria      83         4        2          2      0" in table
    assert text.rstrip().endswith("Health score: 66/100 (needs work)")
    assert "\x1b[" not in text


def test_trend_lines_with_history():
    text = render(sample_report({"history": sample_trend()}))
    assert "Trend over 4 runs: 58 → 63 → 61 → 66" in text
    assert "Newly broken (2): SHOP-212, SHOP-202" in text
    assert "Fixed (1): SHOP-211" in text
    assert text.rstrip().endswith("+5 since the previous run")


def test_colour_when_asked():
    assert "\x1b[" in render(sample_report(), color=True)


def test_control_characters_in_tracker_text_never_reach_the_terminal():
    from dataclasses import replace

    report = sample_report()
    tickets = list(report.tickets)
    tickets[1] = replace(tickets[1], title="evil \x1b]0;pwned\x07 title\x1b[2J")
    text = render(replace(report, tickets=tickets), color=True)
    assert "\x1b]" not in text and "\x07" not in text and "\x1b[2J" not in text
    assert "evil \ufffd]0;pwned\ufffd title\ufffd[2J" in text


def test_backlog_wide_findings_are_stated_once_not_under_each_ticket(examples):
    from click.testing import CliRunner

    from backlint.cli.main import cli

    result = CliRunner().invoke(cli, ["audit", str(examples), "--format", "text"])
    text = result.output
    assert text.count("BL405 priority-inflation") == 1
    assert "The backlog as a whole" in text
    section = text.split("The backlog as a whole", 1)[1]
    assert "BL405 priority-inflation" in section and "(12 tickets)" in section
