"""Audit history: the trend over runs, new and fixed tickets, schema checks, concurrent runs."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import backlint
from backlint.history.runs import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    HistoryError,
    connect,
    load_report,
    record_and_attach,
    record_run,
    trend_for,
)
from backlint.model import Finding, Severity
from backlint.report.report import Report, TicketSummary


def make_report(
    flagged: dict[str, list[str]],
    keys=("A-1", "A-2", "A-3", "A-4"),
    day=1,
    source="s",
    rules=("BL101",),
    severities=None,
):
    tickets = [
        TicketSummary(
            k,
            f"Title {k}",
            f"https://t.example/{k}",
            "story",
            "To Do",
            "todo",
            None,
            None,
            (),
            None,
            None,
        )
        for k in keys
    ]
    findings = [
        Finding(k, code, "some-rule", "clarity", Severity.WARNING, "msg", f"https://t.example/{k}")
        for k, codes in flagged.items()
        for code in codes
    ]
    return Report(
        source=source,
        generated_at=datetime(2026, 11, day, tzinfo=UTC),
        tickets=tickets,
        findings=sorted(findings),
        rules={
            code: {
                "name": "some-rule",
                "family": "clarity",
                "severity": (severities or {}).get(code, "warning"),
            }
            for code in rules
        },
    )


def test_three_runs_show_the_trend_and_new_and_fixed_tickets(tmp_path):
    path = tmp_path / "h.sqlite"
    first = record_and_attach(path, make_report({"A-1": ["BL101"], "A-2": ["BL101", "BL102"]}))
    assert first.history["previous"] is None and first.history["new"] == []
    record_and_attach(path, make_report({"A-2": ["BL101"], "A-3": ["BL101"]}, day=8))
    third = record_and_attach(
        path, make_report({"A-3": ["BL101"], "A-4": ["BL102"]}, keys=("A-1", "A-3", "A-4"), day=15)
    )
    trend = third.history
    assert [run["score"] for run in trend["runs"]] == [81, 88, 83]
    assert [run["generated_at"][:10] for run in trend["runs"]] == [
        "2026-11-01",
        "2026-11-08",
        "2026-11-15",
    ]
    assert [item["key"] for item in trend["new"]] == ["A-4"]
    assert trend["new"][0]["rules"] == ["BL102"] and trend["new"][0]["title"] == "Title A-4"
    assert [item["key"] for item in trend["fixed"]] == []
    assert [item["key"] for item in trend["left"]] == ["A-2"]
    second = trend_for(path, 2)
    assert [i["key"] for i in second["new"]] == ["A-3"]
    assert [i["key"] for i in second["fixed"]] == ["A-1"]


@pytest.mark.parametrize("rules", [("BL101", "BL102"), ("BL101", "BL107")])
def test_the_trend_of_a_run_just_recorded_is_the_trend_read_back(tmp_path, rules):
    """record_and_attach takes the new run's findings and tickets from the report in hand;
    the history file read back (``backlint report --history``) gives the same trend."""
    path = tmp_path / "h.sqlite"
    record_run(path, make_report({"A-1": ["BL101"], "A-2": ["BL101", "BL102"]}))
    report = make_report(
        {"A-2": ["BL101"], "A-3": ["BL101"], "A-4": [rules[1]]},
        keys=("A-2", "A-3", "A-4"),
        day=8,
        rules=rules,
    )
    attached = record_and_attach(path, report).history
    assert attached == trend_for(path, attached["current"])
    assert attached["new"] or attached["fixed"] or attached["left"]


def test_trend_only_compares_runs_of_the_same_source(tmp_path):
    path = tmp_path / "h.sqlite"
    record_run(path, make_report({"A-1": ["BL101"]}, source="jira:A"))
    record_run(path, make_report({}, source="jira:B"))
    trend = record_and_attach(path, make_report({}, source="jira:A")).history
    assert len(trend["runs"]) == 2
    assert [i["key"] for i in trend["fixed"]] == ["A-1"]


def test_stored_report_round_trips(tmp_path):
    path = tmp_path / "h.sqlite"
    original = make_report({"A-1": ["BL101"]})
    record_run(path, original)
    loaded = load_report(path)
    assert list(loaded.findings) == list(original.findings)
    assert [t.key for t in loaded.tickets] == [t.key for t in original.tickets]
    assert loaded.score == original.score
    assert loaded.history["current"] == 1
    with pytest.raises(HistoryError, match="no run 9"):
        load_report(path, run_id=9)
    with pytest.raises(HistoryError, match="no runs of jira:X"):
        load_report(path, source="jira:X")


def test_schema_is_versioned_and_marked_as_ours(tmp_path):
    path = tmp_path / "h.sqlite"
    record_run(path, make_report({}))
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    with pytest.raises(HistoryError, match="schema 99 is newer"):
        record_run(path, make_report({}))


def test_foreign_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (x)")
    db.commit()
    db.close()
    with pytest.raises(HistoryError, match="not a backlint history file"):
        record_run(path, make_report({}))
    db = sqlite3.connect(path)
    assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["notes"]


@pytest.mark.parametrize(
    "content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000]
)
def test_corrupt_file_is_a_one_line_error(tmp_path, content):
    path = tmp_path / "h.sqlite"
    path.write_bytes(content)
    with pytest.raises(HistoryError) as caught:
        record_run(path, make_report({}))
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_missing_history_for_reading_is_an_error(tmp_path):
    with pytest.raises(HistoryError, match="no such history file"):
        connect(tmp_path / "absent.sqlite", create=False)


WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from backlint.history.runs import record_run
from backlint.model import Finding, Severity
from backlint.report.report import Report, TicketSummary

path, index = sys.argv[1], sys.argv[2]
ticket = TicketSummary("A-1", "t", "", "story", "To Do", "todo", None, None, (), None, None)
for day in range(1, 9):
    finding = Finding("A-1", "BL101", "some-rule", "clarity", Severity.WARNING, "msg")
    report = Report(f"writer-{index}", datetime(2026, 11, day, tzinfo=UTC), [ticket], [finding])
    record_run(path, report)
"""


def test_concurrent_runs_do_not_corrupt_the_file(tmp_path):
    path = str(tmp_path / "h.sqlite")
    src = str(Path(backlint.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    workers = [
        subprocess.Popen([sys.executable, "-c", WRITER, path, str(i)], env=env) for i in range(3)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0, 0]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 24
    assert db.execute("SELECT count(*) FROM findings").fetchone()[0] == 24


def test_audit_with_history_records_runs_and_reports_the_trend(tmp_path, examples, monkeypatch):
    from backlint.cli.main import cli

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "nested" / "h.sqlite"
    runner = CliRunner()
    source = str(examples / "jira-search.json")
    for day in ("2026-11-08", "2026-11-15", "2026-11-22"):
        result = runner.invoke(
            cli, ["audit", source, "--history", str(path), "--now", day, "--fail-on", "never"]
        )
        assert result.exit_code == 0, result.output
    assert "Trend over 3 runs" in result.output
    assert "since the previous run" in result.output
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 3


def test_history_true_in_config_uses_the_default_path(tmp_path, examples, monkeypatch):
    from backlint.cli.main import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".backlint.toml").write_text("history = true\n")
    result = CliRunner().invoke(
        cli, ["audit", str(examples / "jira-search.json"), "--fail-on", "never"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".backlint" / "history.sqlite").is_file()


def test_audit_with_corrupt_history_exits_2_with_one_line(tmp_path, examples):
    from backlint.cli.main import cli

    path = tmp_path / "h.sqlite"
    path.write_bytes(b"garbage" * 1000)
    result = CliRunner().invoke(
        cli, ["audit", str(examples / "jira-search.json"), "--history", str(path)]
    )
    assert result.exit_code == 2
    lines = (
        result.stderr.strip().splitlines() if result.stderr else result.output.strip().splitlines()
    )
    assert (
        len(lines) == 1 and lines[0].startswith("backlint: ") and "Traceback" not in result.output
    )


# A change of configuration is not a change of tickets ---------------------------------------


def test_findings_of_a_rule_no_longer_selected_are_not_fixed(tmp_path):
    # Issue 16: only --ignore BL104 changed between the runs, and history said "Fixed (2)".
    path = tmp_path / "h.sqlite"
    both = ("BL101", "BL104")
    record_run(path, make_report({"A-1": ["BL104"], "A-2": ["BL101", "BL104"]}, rules=both))
    trend = record_and_attach(path, make_report({"A-2": ["BL101"]}, day=8)).history
    assert trend["fixed"] == [] and trend["new"] == [] and trend["left"] == []
    assert trend["config_change"]["rules_removed"] == ["BL104"]
    assert trend["notes"] == [
        "The rule selection changed since the previous run: 2 findings disappeared because "
        "BL104 no longer runs (not counted as fixed)."
    ]


def test_a_ticket_fixed_under_the_rules_that_ran_both_times_is_still_fixed(tmp_path):
    path = tmp_path / "h.sqlite"
    record_run(path, make_report({"A-1": ["BL101", "BL104"]}, rules=("BL101", "BL104")))
    trend = record_and_attach(path, make_report({}, day=8)).history
    assert [item["key"] for item in trend["fixed"]] == ["A-1"]
    assert trend["fixed"][0]["rules"] == ["BL101"]


def test_findings_of_a_newly_selected_rule_are_not_newly_broken(tmp_path):
    path = tmp_path / "h.sqlite"
    record_run(path, make_report({"A-1": ["BL101"]}))
    report = make_report({"A-1": ["BL101"], "A-3": ["BL107"]}, day=8, rules=("BL101", "BL107"))
    trend = record_and_attach(path, report).history
    assert trend["new"] == [] and trend["fixed"] == []
    assert trend["notes"] == [
        "The rule selection changed since the previous run: 1 finding appeared because BL107 "
        "now runs (not counted as newly broken)."
    ]


def test_severity_options_settings_and_version_changes_are_named(tmp_path, monkeypatch):
    import backlint.history.fingerprint as fingerprint
    from backlint.engine.rule import Rule

    def rules(max_days: int) -> list[Rule]:
        return [
            Rule("BL101", "some-rule", "clarity", Severity.WARNING, lambda t, c: ()),
            Rule(
                "BL502",
                "stale-ticket",
                "hygiene",
                Severity.INFO,
                lambda t, c: (),
                options={"max-days": max_days},
            ),
        ]

    path = tmp_path / "h.sqlite"
    before = make_report({"A-1": ["BL101"]}, rules=("BL101", "BL502"))
    record_run(path, before, rules(180), {"objectives": {"labels": ["okr:a"]}, "format": "text"})
    monkeypatch.setattr(fingerprint, "__version__", "9.0.0")
    after = make_report(
        {"A-1": ["BL101"]}, day=8, rules=("BL101", "BL502"), severities={"BL101": "error"}
    )
    run_rules = rules(90)
    run_rules[0] = Rule("BL101", "some-rule", "clarity", Severity.ERROR, lambda t, c: ())
    settings = {"objectives": {"labels": ["okr:b"]}, "format": "json"}
    trend = record_and_attach(path, after, run_rules, settings).history
    assert trend["new"] == [] and trend["fixed"] == []
    change = trend["config_change"]
    assert change["severity_changed"] == {"BL101": ["warning", "error"]}
    assert change["options_changed"] == ["BL502"]
    assert change["settings_changed"] == ["objectives"]  # the output format changes nothing
    assert change["backlint"] == [backlint.__version__, "9.0.0"]
    assert trend["notes"] == [
        "BL101 is now an error (it was a warning): the score moved with it, not with the tickets.",
        "BL502 runs with other options since the previous run: some changes may come from that.",
        "The [objectives] settings changed since the previous run: some changes may come from "
        "that.",
        f"backlint changed from {backlint.__version__} to 9.0.0 since the previous run: its "
        "rules may judge differently.",
    ]


def test_same_configuration_adds_no_notes(tmp_path):
    path = tmp_path / "h.sqlite"
    record_run(path, make_report({"A-1": ["BL101"]}))
    trend = record_and_attach(path, make_report({}, day=8)).history
    assert "notes" not in trend and "config_change" not in trend
    assert [item["key"] for item in trend["fixed"]] == ["A-1"]


def downgrade_to_schema_1(path: Path) -> None:
    """Make ``path`` what backlint wrote before fingerprints: no ``config`` column, schema 1."""
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE runs DROP COLUMN config")
    db.execute("DROP TABLE snapshot_tickets")
    db.execute("DROP TABLE snapshots")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


def test_schema_1_files_stay_readable_and_are_migrated_when_written(tmp_path):
    path = tmp_path / "h.sqlite"
    both = ("BL101", "BL104")
    record_run(path, make_report({"A-1": ["BL104"], "A-2": ["BL101"]}, rules=both))
    downgrade_to_schema_1(path)
    # Reading leaves the file as it is.
    assert [t.key for t in load_report(path).tickets] == ["A-1", "A-2", "A-3", "A-4"]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.close()
    # Writing migrates it; the old run's rule set is read from its stored report.
    trend = record_and_attach(path, make_report({"A-2": ["BL101"]}, day=8)).history
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    stored = [row[0] for row in db.execute("SELECT config FROM runs ORDER BY id")]
    db.close()
    assert stored[0] is None and '"BL101"' in stored[1]
    assert trend["fixed"] == []
    assert trend["config_change"]["rules_removed"] == ["BL104"]
    assert trend["config_change"]["backlint"] is None  # unknown for the old run: not compared
    assert [run["score"] for run in trend["runs"]] == [88, 94]


def test_audit_after_only_ignoring_a_rule_reports_no_fixed_tickets(tmp_path, examples):
    from backlint.cli.main import cli

    path = tmp_path / "h.sqlite"
    source = str(examples / "jira-search.json")
    common = [source, "--history", str(path), "--now", "2026-11-22", "--fail-on", "never"]
    runner = CliRunner()
    assert runner.invoke(cli, ["audit", *common]).exit_code == 0
    out = tmp_path / "second.json"
    args = ["audit", *common, "--format", "json", "--output", str(out), "--ignore", "BL502"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    history = json.loads(out.read_text(encoding="utf-8"))["history"]
    assert history["fixed"] == [] and history["new"] == []
    assert history["notes"] == [
        "The rule selection changed since the previous run: 3 findings disappeared because "
        "BL502 no longer runs (not counted as fixed)."
    ]


def test_text_and_markdown_reports_say_when_a_config_change_moved_the_figures(tmp_path, examples):
    from click.testing import CliRunner

    from backlint.cli.main import cli

    history = str(tmp_path / "h.sqlite")
    runner = CliRunner()
    runner.invoke(cli, ["audit", str(examples), "--history", history, "--now", "2026-11-22"])
    text = runner.invoke(
        cli,
        ["audit", str(examples), "--history", history, "--ignore", "BL502", "--now", "2026-11-22"],
    ).output
    assert "BL502 no longer runs (not counted as fixed)" in text
    assert "Fixed (" not in text
