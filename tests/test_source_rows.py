"""The "By source" rows of a several-source audit (``report.merge.with_source_rows``), and how
``backlint merge`` keeps a shard's own rows: real audits of export files through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOW = ("--now", "2026-11-22")


@pytest.fixture
def halves(cli_with_commands, examples):
    """The GitHub example export split in two files, and a third file: the Jira example."""
    data = json.loads((examples / "github-issues.json").read_text(encoding="utf-8"))
    middle = len(data) // 2
    Path("one.json").write_text(json.dumps(data[:middle]), encoding="utf-8")
    Path("two.json").write_text(json.dumps(data[middle:]), encoding="utf-8")
    Path("jira.json").write_text(
        (examples / "jira-search.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return cli_with_commands


def _json(run, *args: str) -> dict:
    when = NOW if args[0] == "audit" else ()
    result = run(*args, *when, "--format", "json", "--output", "out.json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(Path("out.json").read_text(encoding="utf-8"))


def test_rows_split_tickets_and_findings_and_score_each_source_on_its_own(halves):
    whole = _json(halves, "audit", "one.json", "two.json", "jira.json")
    rows = whole["sources"]
    assert [row["source"] for row in rows] == ["one.json", "two.json", "jira.json"]
    assert sum(row["tickets"] for row in rows) == whole["tickets"]
    assert sum(row["findings"] for row in rows) == len(whole["findings"])
    alone = _json(halves, "audit", "jira.json")
    assert rows[2]["tickets"] == alone["tickets"]
    assert all(row["file"] == "" for row in rows)
    # The overall score is the one over every ticket, never the mean of the rows.
    assert whole["source"] == "one.json, two.json, jira.json"
    assert {"score", "band"} <= set(rows[0])


def test_merge_keeps_a_several_source_shards_own_rows(halves):
    _json(halves, "audit", "one.json", "two.json")
    Path("shard-1.json").write_text(Path("out.json").read_text(encoding="utf-8"), "utf-8")
    _json(halves, "audit", "jira.json")
    Path("shard-2.json").write_text(Path("out.json").read_text(encoding="utf-8"), "utf-8")
    merged = _json(halves, "merge", "shard-1.json", "shard-2.json")
    assert [(row["source"], row["file"]) for row in merged["sources"]] == [
        ("one.json", "shard-1.json"),
        ("two.json", "shard-1.json"),
        ("jira.json", "shard-2.json"),
    ]
    assert sum(row["tickets"] for row in merged["sources"]) == merged["tickets"]


def test_the_html_page_says_the_sources_were_audited_as_one_backlog(halves):
    result = halves(
        "audit", "one.json", "jira.json", *NOW, "--format", "html", "--output", "p.html"
    )
    assert result.exit_code in (0, 1), result.output
    page = Path("p.html").read_text(encoding="utf-8")
    assert "2 sources audited as one backlog" in page
    assert "reports merged" not in page
