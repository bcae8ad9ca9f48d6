"""``backlint report``: any format from a saved JSON report or from history, no tracker."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def run(cli_with_commands):
    return cli_with_commands


@pytest.fixture
def saved(run, examples, tmp_path):
    source = str(examples / "jira-search.json")
    result = run("audit", source, "--now", "2026-11-22", "--format", "json", "--output", "r.json")
    assert result.exit_code in (0, 1), result.output
    return tmp_path / "r.json"


def test_json_report_carries_the_score(saved):
    data = json.loads(saved.read_text())
    assert data["version"] == 1
    assert set(data["score"]) == {"overall", "band", "families", "formula"}
    assert 0 <= data["score"]["overall"] <= 100


@pytest.mark.parametrize("fmt", ["markdown", "csv", "html", "text", "json", "csv-summary"])
def test_report_from_json_matches_the_audit_output(run, examples, saved, fmt):
    source = str(examples / "jira-search.json")
    direct = run("audit", source, "--now", "2026-11-22", "--format", fmt, "--output", f"a.{fmt}")
    assert direct.exit_code in (0, 1)
    result = run("report", "--from", str(saved), "--format", fmt, "--output", f"b.{fmt}")
    assert result.exit_code == 0, result.output
    with open(f"a.{fmt}", encoding="utf-8") as a, open(f"b.{fmt}", encoding="utf-8") as b:
        assert a.read() == b.read()


def test_report_from_history_shows_the_trend(run, examples):
    source = str(examples / "jira-search.json")
    for day in ("2026-11-08", "2026-11-15"):
        assert run("audit", source, "--history", "h.sqlite", "--now", day).exit_code in (0, 1)
    result = run("report", "--history", "h.sqlite", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "Score over the last 2 runs" in result.output
    assert "### Since the previous run" in result.output
    older = run("report", "--history", "h.sqlite", "--run", "1")
    assert older.exit_code == 0 and "First recorded run" in older.output


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["--from", "missing.json"], None, "missing.json: no such file"),
        (["--from", "bad.json"], "{not json", "bad.json: not valid JSON"),
        (["--from", "bad.json"], '{"version": 2, "findings": []}', "version 2 is not supported"),
        (["--from", "bad.json"], "[1, 2]", "not a backlint JSON report"),
        (["--history", "bad.json"], "garbage" * 500, "not a usable backlint history file"),
        (["--history", "missing.sqlite"], None, "no such history file"),
        ([], None, "exactly one of --from FILE or --history PATH"),
        (["--from", "bad.json", "--run", "2"], "{}", "--source and --run go with --history"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run, args, content, message):
    if content is not None:
        with open("bad.json", "w", encoding="utf-8") as handle:
            handle.write(content)
    result = run("report", *args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("backlint: ")


def test_unknown_format_is_exit_2(run, saved):
    result = run("report", "--from", str(saved), "--format", "pdf")
    assert result.exit_code == 2 and "unknown format 'pdf'" in result.output
