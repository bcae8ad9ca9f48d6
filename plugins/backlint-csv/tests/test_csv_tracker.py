"""Tests of the CSV tracker plugin: mapping, errors, and a full audit through backlint.

Run after installing: ``pip install ./plugins/backlint-csv && pytest plugins/backlint-csv/tests``.
"""

from __future__ import annotations

import importlib.metadata
import json
from datetime import UTC, datetime

import backlint_csv
import pytest
from backlint_csv.tracker import CsvTracker

from backlint.audit import run
from backlint.config.config import config_from_mapping
from backlint.errors import SourceError
from backlint.plugins import load_plugins
from backlint.trackers.base import FetchOptions

HEADER = (
    "Issue key,Summary,Issue Type,Status,Priority,Labels,Labels,Assignee,Created,"
    "Story Points,Business Value,Description"
)
SHOP_1 = (
    "SHOP-1,Customers can pay with a saved card at checkout,Story,In Progress,High,checkout,"
    'okr:conversion,ana,2026-11-01T09:00:00Z,3,8,"As a shopper I want my card saved so that I '
    "pay faster.\n\n## Acceptance criteria\n- [ ] the card is offered on the next visit\n"
    '- [ ] the user can delete it"'
)
SHOP_2 = "SHOP-2,update,Story,To Do,,,,,22/Nov/26 10:00 AM,,,"
ORPHAN = ",orphan row without a key,Task,To Do,,,,,,,,"
EXPORT = "\n".join([HEADER, SHOP_1, SHOP_2, ORPHAN]) + "\n"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "backlog.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return path


def test_claims_csv_paths_and_the_csv_scheme():
    tracker = CsvTracker()
    assert tracker.claims("backlog.csv") and tracker.claims("csv:export.txt")
    assert tracker.claims("backlog.CSV::SHOP-1")
    assert not tracker.claims("github:acme/web") and not tracker.claims("issues.json")


def test_rows_map_to_tickets(export):
    connection = CsvTracker().open(str(export), config_from_mapping({}))
    first, second, orphan = connection.fetch(FetchOptions())
    assert (first.key, first.kind, first.status_category) == ("SHOP-1", "Story", "in_progress")
    assert first.labels == ("checkout", "okr:conversion") and first.assignees == ("ana",)
    assert first.priority.name == "High" and first.estimate == 3.0
    assert first.created == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    assert first.fields["business_value"] == "8"
    assert "## Acceptance criteria" in first.body
    assert second.created == datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    assert orphan.load_error == "line 8: the row has no key"


def test_fetch_one_and_errors(export, tmp_path):
    config = config_from_mapping({})
    connection = CsvTracker().open(f"csv:{export}::SHOP-2", config)
    assert connection.fetch_one(f"csv:{export}::SHOP-2").title == "update"
    with pytest.raises(SourceError, match="no ticket 'SHOP-9'"):
        connection.fetch_one(f"{export}::SHOP-9")
    with pytest.raises(SourceError, match="no such file"):
        list(CsvTracker().open(str(tmp_path / "none.csv"), config).fetch(FetchOptions()))
    keyless = tmp_path / "keyless.csv"
    keyless.write_text("Summary,Status\nx,To Do\n", encoding="utf-8")
    with pytest.raises(SourceError, match="no key column"):
        list(CsvTracker().open(str(keyless), config).fetch(FetchOptions()))


def test_columns_can_be_renamed_in_config(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Ticket,Headline\nT-1,Make refunds faster\n", encoding="utf-8")
    config = config_from_mapping(
        {"plugins": {"csv": {"columns": {"key": "Ticket", "title": "Headline"}}}}
    )
    [ticket] = CsvTracker().open(str(path), config).fetch(FetchOptions())
    assert (ticket.key, ticket.title) == ("T-1", "Make refunds faster")


def test_a_full_audit_through_the_plugin(export):
    registry = load_plugins(
        (), environ={"BACKLINT_LOAD_PLUGINS": ""}, extra=[("csv", backlint_csv)]
    )
    assert registry.tracker_for(str(export)).name == "csv"
    with run(str(export), config_from_mapping({}), registry, FetchOptions(), now=NOW) as result:
        pass
    by_ticket = {}
    for finding in result.findings:
        by_ticket.setdefault(finding.ticket, []).append(finding.rule)
    assert "SHOP-1" not in by_ticket
    assert "BL201" in by_ticket["SHOP-2"]
    assert by_ticket["backlog.csv:8"] == ["BL902"]
    assert json.dumps(result.report.summary)


def test_the_installed_entry_point_registers_the_tracker():
    try:
        importlib.metadata.distribution("backlint-csv")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("backlint-csv is not installed (pip install ./plugins/backlint-csv)")
    registry = load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": "backlint-csv"})
    assert registry.plugins["csv"].registered == ["tracker csv"]
    assert registry.tracker_for("export.csv").name == "csv"
