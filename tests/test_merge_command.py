"""``backlint merge``: the JSON reports of a sharded audit combined into one report.

The shard reports are real: ``backlint audit --format json`` run on halves of the example
exports, so merging them must give what auditing every ticket at once gives.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backlint.model import Finding, Severity
from backlint.plugins import load_plugins
from backlint.report.merge import merge_reports, sources_of
from backlint.report.report import Report, TicketSummary

NOW = ("--now", "2026-11-22")
#: Near-duplicate similarity is weighed against the words of the whole backlog audited, so
#: BL601's percentages differ slightly between a shard and the whole; its verdicts do not.
CORPUS_DEPENDENT = {"BL601"}


@pytest.fixture
def run(cli_with_commands):
    return cli_with_commands


def _halves(path: Path) -> tuple[object, object]:
    """The export at ``path`` split in two files of the same shape."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list):
        middle = len(data) // 2
        return data[:middle], data[middle:]
    issues = data["issues"]
    middle = len(issues) // 2
    return {**data, "issues": issues[:middle]}, {**data, "issues": issues[middle:]}


def _write_halves(path: Path) -> None:
    """half-a.json and half-b.json: the two halves of the export at ``path``."""
    for name, half in zip(("half-a.json", "half-b.json"), _halves(path), strict=True):
        Path(name).write_text(json.dumps(half), encoding="utf-8")


def _audit(run, source: str, output: str, *options: str) -> dict:
    result = run("audit", source, *NOW, "--format", "json", "--output", output, *options)
    assert result.exit_code in (0, 1), result.output
    return json.loads(Path(output).read_text(encoding="utf-8"))


@pytest.fixture
def shards(run, examples) -> list[str]:
    """Two shard reports of examples/github-issues.json: a.json and b.json."""
    _write_halves(examples / "github-issues.json")
    _audit(run, "half-a.json", "a.json")
    _audit(run, "half-b.json", "b.json")
    return ["a.json", "b.json"]


def _backlog_rules() -> str:
    """The rules that look at the backlog as a whole: a shard is its own backlog for them."""
    rules = load_plugins(environ={"BACKLINT_LOAD_PLUGINS": ""}).rules
    return ",".join(sorted(code for code, rule in rules.items() if rule.scope == "backlog"))


def _shard_and_whole(run, path: Path, *options: str) -> tuple[dict, dict, dict, dict]:
    """Shard reports of the two halves of ``path``, the audit of all of it, and their merge."""
    _write_halves(path)
    shard_a = _audit(run, "half-a.json", "a.json", *options)
    shard_b = _audit(run, "half-b.json", "b.json", *options)
    whole = _audit(run, str(path), "whole.json", *options)
    result = run("merge", "a.json", "b.json", "--format", "json", "--output", "merged.json")
    assert result.exit_code in (0, 1), result.output
    assert result.stderr == ""
    merged = json.loads(Path("merged.json").read_text(encoding="utf-8"))
    return shard_a, shard_b, whole, merged


@pytest.mark.parametrize("example", ["github-issues.json", "jira-search.json"])
def test_merging_shards_equals_auditing_their_tickets_together(run, examples, example):
    shard_a, shard_b, whole, merged = _shard_and_whole(
        run, examples / example, "--ignore", _backlog_rules()
    )
    assert merged["version"] == 1
    assert merged["tickets"] == whole["tickets"] == shard_a["tickets"] + shard_b["tickets"]
    assert merged["findings"] == whole["findings"]
    assert merged["summary"] == whole["summary"]
    assert merged["score"] == whole["score"]
    assert merged["ticket_details"] == whole["ticket_details"]
    assert merged["rules"] == whole["rules"]
    # The organisation's score is over all tickets, and each input keeps its own row.
    assert merged["sources"] == [
        {
            "source": shard["source"],
            "file": name,
            "tickets": shard["tickets"],
            "findings": len(shard["findings"]),
            "score": shard["score"]["overall"],
            "band": shard["score"]["band"],
            "superseded": 0,
        }
        for name, shard in (("a.json", shard_a), ("b.json", shard_b))
    ]


def test_with_every_rule_the_example_shards_still_merge_to_the_whole(run, examples):
    _, _, whole, merged = _shard_and_whole(run, examples / "github-issues.json")
    assert merged["summary"] == whole["summary"]
    assert merged["score"] == whole["score"]

    def verdicts(report):
        return sorted((f["ticket"], f["rule"], f["severity"]) for f in report["findings"])

    def exact(report):
        return [f for f in report["findings"] if f["rule"] not in CORPUS_DEPENDENT]

    assert verdicts(merged) == verdicts(whole)
    assert exact(merged) == exact(whole)


def test_backlog_wide_findings_are_each_shards_own(run, examples):
    """Priority inflation is judged per backlog: in a merge, per shard (findings concatenate)."""
    shard_a, shard_b, whole, merged = _shard_and_whole(run, examples / "jira-search.json")

    def inflation(report):
        return [f for f in report["findings"] if f["rule"] == "BL405"]

    assert inflation(merged) == sorted(
        inflation(shard_a) + inflation(shard_b), key=lambda f: (f["ticket"], f["rule"])
    )
    assert inflation(merged) != inflation(whole)  # the whole project crosses the line; a shard not


def _summary(tickets: int, errors: int) -> tuple[list, list]:
    keys = [f"o/r#{n}" for n in range(1, tickets + 1)]
    details = [TicketSummary(k, k, "", "", "", "", None, None, (), None, None) for k in keys]
    findings = [
        Finding(k, "BL101", "vague-title", "clarity", Severity.ERROR, "vague")
        for k in keys[:errors]
    ]
    return details, findings


def test_the_score_is_recomputed_over_all_tickets_not_averaged():
    small = Report("github:o/small", datetime(2026, 1, 1, tzinfo=UTC), *_summary(1, 1))
    big_tickets = [
        TicketSummary(f"o/big#{n}", "", "", "", "", "", None, None, (), None, None)
        for n in range(3)
    ]
    big = Report("github:o/big", datetime(2026, 1, 2, tzinfo=UTC), big_tickets, [])
    merged = merge_reports([("small.json", small), ("big.json", big)]).report
    # One ticket at health 0.4 and three at 1.0: (0.4 + 3) / 4 = 85, not (40 + 100) / 2 = 70.
    assert [row.score for row in sources_of(merged)] == [40, 100]
    assert merged.score.overall == 85
    assert merged.generated_at == datetime(2026, 1, 2, tzinfo=UTC)
    assert merged.source == "github:o/small, github:o/big"


def test_nothing_to_merge_is_a_value_error():
    with pytest.raises(ValueError):
        merge_reports([])


def test_a_shard_uploaded_twice_counts_once_with_one_warning(run, shards):
    once = run("merge", *shards, "--format", "json", "--output", "once.json")
    twice = run("merge", "a.json", "b.json", "a.json", "--format", "json", "--output", "twice.json")
    assert twice.exit_code == once.exit_code
    first = json.loads(Path("once.json").read_text(encoding="utf-8"))
    second = json.loads(Path("twice.json").read_text(encoding="utf-8"))
    for key in ("tickets", "summary", "score", "findings"):
        assert second[key] == first[key], key
    warnings = [line for line in twice.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("backlint: warning: a.json repeats ")
    assert "the later report's are kept" in warnings[0]
    shard_a = json.loads(Path("a.json").read_text(encoding="utf-8"))
    assert [row["superseded"] for row in second["sources"]] == [shard_a["tickets"], 0, 0]
    assert "warning" not in once.stderr


def test_the_later_report_wins_a_repeated_ticket(run, shards):
    data = json.loads(Path("a.json").read_text(encoding="utf-8"))
    fixed = data["findings"][0]["ticket"]
    # A re-run of shard a after someone fixed one ticket: its findings are gone.
    data["findings"] = [f for f in data["findings"] if f["ticket"] != fixed]
    Path("a-rerun.json").write_text(json.dumps(data), encoding="utf-8")
    run("merge", *shards, "a-rerun.json", "--format", "json", "--output", "m.json")
    merged = json.loads(Path("m.json").read_text(encoding="utf-8"))
    assert not [f for f in merged["findings"] if f["ticket"] == fixed]
    earlier = run("merge", "a-rerun.json", *shards, "--format", "json", "--output", "n.json")
    assert "a.json repeats" in earlier.stderr
    restored = json.loads(Path("n.json").read_text(encoding="utf-8"))
    assert [f for f in restored["findings"] if f["ticket"] == fixed]


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [
        ("markdown", "### By source"),
        ("html", "By source"),
        ("text", "By source"),
        ("csv", "ticket"),
        ("csv-summary", ""),
    ],
)
def test_every_format_renders_the_merge(run, shards, fmt, shown):
    result = run("merge", *shards, "--format", fmt, "--output", f"m.{fmt}")
    assert result.exit_code in (0, 1), result.output
    text = Path(f"m.{fmt}").read_text(encoding="utf-8")
    assert shown in text
    if fmt in ("markdown", "text", "html"):
        assert "half-a.json" in text and "half-b.json" in text


def test_a_merged_report_renders_again_with_its_sources(run, shards):
    run("merge", *shards, "--format", "json", "--output", "m.json")
    again = run("report", "--from", "m.json", "--format", "markdown")
    assert again.exit_code == 0, again.output
    assert "### By source" in again.output and "half-a.json" in again.output
    # A merge of merged reports keeps working: each input is one row.
    nested = run("merge", "m.json", "b.json", "--format", "json", "--output", "n.json")
    assert "b.json repeats 16 tickets of m.json" in nested.stderr
    rows = json.loads(Path("n.json").read_text(encoding="utf-8"))["sources"]
    assert [row["file"] for row in rows] == ["m.json", "b.json"]


def test_an_ordinary_report_shows_no_by_source_section(run, shards):
    result = run("report", "--from", "a.json", "--format", "markdown")
    assert result.exit_code == 0 and "By source" not in result.output


def test_exit_status_follows_fail_on(run, shards):
    findings = [
        f for name in shards for f in json.loads(Path(name).read_text(encoding="utf-8"))["findings"]
    ]
    assert any(f["severity"] == "error" for f in findings)  # the examples have errors
    assert run("merge", *shards, "--format", "json").exit_code == 1
    assert run("merge", *shards, "--format", "json", "--fail-on", "never").exit_code == 0
    assert run("merge", *shards, "--format", "json", "--fail-on", "info").exit_code == 1


def test_run_problems_in_any_input_exit_2(run, shards, fixtures):
    bad = run(
        "audit",
        str(fixtures / "files" / "github-one-bad.json"),
        "--format",
        "json",
        "--output",
        "bad.json",
    )
    assert bad.exit_code == 2
    result = run("merge", *shards, "bad.json", "--format", "json", "--fail-on", "never")
    assert result.exit_code == 2
    merged = json.loads(result.stdout)
    assert any(f["family"] == "run" for f in merged["findings"])


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        ([], {}, "merge: pass one or more JSON reports"),
        (["missing.json"], {}, "missing.json: no such file"),
        (["x.json"], {"x.json": "{not json"}, "x.json: not valid JSON"),
        (["x.json"], {"x.json": '{"version": 2, "findings": []}'}, "version 2 is not supported"),
        (["x.json"], {"x.json": "[1, 2]"}, "x.json: not a backlint JSON report"),
        (
            ["x.json"],
            {"x.json": '{"version": 1, "findings": [{"ticket": "a"}]}'},
            "x.json: malformed backlint report",
        ),
        (["x.json", "--format", "pdf"], {"x.json": "{}"}, "unknown format 'pdf'"),
        (["folder"], {"folder/": ""}, "folder"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run, args, files, message):
    for name, content in files.items():
        if name.endswith("/"):
            Path(name).mkdir()
        else:
            Path(name).write_text(content, encoding="utf-8")
    result = run("merge", *args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert message in lines[0] and lines[0].startswith("backlint: ")
    assert "Traceback" not in result.output


def test_a_good_report_beside_a_bad_one_still_fails(run, shards):
    Path("bad.json").write_text("[]", encoding="utf-8")
    result = run("merge", *shards, "bad.json")
    assert result.exit_code == 2 and "bad.json: not a backlint JSON report" in result.output
