"""The markdown report: snapshot, escaping of tracker text, the 1 MiB cap."""

from __future__ import annotations

import io
import re

from fakes.reports import HOSTILE_TITLE, sample_report, sample_trend
from fakes.snapshots import assert_snapshot

from backlint.reporters.markdown import md, render_markdown, safe_url, write_markdown


def test_snapshot():
    assert_snapshot("sample.md", render_markdown(sample_report()))


def test_snapshot_with_history():
    assert_snapshot(
        "sample-history.md", render_markdown(sample_report({"history": sample_trend()}))
    )


def test_score_family_table_and_worst_ticket_first():
    text = render_markdown(sample_report())
    assert text.startswith("## Backlog health: 66/100 (needs work)\n")
    assert "| acceptance-criteria | 83 | 4 | 2 | 2 | 0 |" in text
    summaries = re.findall(r"<summary><strong><code>([^<]+)</code></strong>", text)
    assert summaries[:3] == ["SHOP-203", "SHOP-202", "SHOP-212"]
    assert text.count("<details>") == text.count("</details>") == 9


def test_tracker_text_cannot_inject_html_mentions_or_links():
    text = render_markdown(sample_report({"history": sample_trend()}))
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text  # inside <summary>, as entities
    # Mentions and issue references become code, which GitHub never links, and nothing
    # invisible is left for a reader copying them to carry along.
    assert "<code>@octocat</code>" in text and "<code>#12</code>" in text
    assert "\u200d" not in text
    assert re.search(r"(?<![>`])@octocat", text) is None
    assert "](javascript" not in text and "href" not in text
    assert "[x](javascript" not in text


def test_escaping_helpers():
    assert md("**bold** [x](y) <b> | @me #1 acme/shop#7 GH-3") == (
        "\\*\\*bold\\*\\* \\[x\\]\\(y\\) &lt;b&gt; \\| `@me` `#1` `acme/shop#7` `GH-3`"
    )
    assert md("two\nlines") == "two lines"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://x.example/a b(c)") == "https://x.example/a%20b%28c%29"


def test_output_is_capped_for_job_summaries():
    stream = io.StringIO()
    write_markdown(sample_report(), stream, {"max_bytes": 3000})
    text = stream.getvalue()
    assert len(text.encode("utf-8")) <= 3000
    assert "more tickets with findings are not shown" in text
    assert text.count("<details>") == text.count("</details>")


def test_hostile_title_is_in_the_sample():
    assert "<script>" in HOSTILE_TITLE


def test_backlog_wide_findings_are_one_section(examples):
    from click.testing import CliRunner

    from backlint.cli.main import cli

    result = CliRunner().invoke(cli, ["audit", str(examples), "--format", "markdown"])
    backlog, tickets = result.output.split("### Tickets, worst first", 1)
    assert "### The backlog as a whole" in backlog
    assert "`BL405` priority-inflation" in backlog
    assert "BL405" not in tickets and "BL503" not in tickets
