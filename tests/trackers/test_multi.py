"""``backlint audit SOURCE SOURCE ...``: GitHub, Jira and an export file audited as one backlog,
end to end against the fake GitHub and the fake Jira; write-back routed to the tracker that read
each ticket; every connection closed, even when one fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes.cli import cli_against
from fakes.jira_payloads import make_issue
from fakes.jira_server import FakeJira, environ_for

from backlint.errors import TrackerError
from backlint.model import Ticket
from backlint.trackers.base import FetchOptions
from backlint.trackers.multi import MultiConnection, open_all
from backlint.writeback.contract import Plan, TicketState, WriteResult

NOW = ("--now", "2026-11-25")
#: The same failure reported twice, once on GitHub and once in Jira, in other words.
TITLE = "Checkout crashes with PaymentGatewayTimeout when paying with a saved card"
BUG = (
    "Paying with a saved card at checkout fails: the page shows an error and the order is "
    "not placed. The log says PaymentGatewayTimeout: gateway did not answer within 30s."
)
JIRA_TITLE = "Saved card payment at checkout crashes (PaymentGatewayTimeout)"
JIRA_BUG = (
    "When a shopper pays with a saved card the checkout crashes and no order is placed. "
    "Error: PaymentGatewayTimeout: gateway did not answer within 30s."
)


@pytest.fixture
def jira():
    with FakeJira(dialect="cloud") as server:
        server.add_issues(
            [
                make_issue(
                    "SHOP-1",
                    cloud=True,
                    summary=JIRA_TITLE,
                    description=(JIRA_BUG,),
                    issuetype="Bug",
                ),
                make_issue("SHOP-2", cloud=True, summary="update", priority=None),
            ]
        )
        yield server


@pytest.fixture
def export(tmp_path) -> Path:
    """An export file with one ticket of its own."""
    issue = {
        "number": 7,
        "title": "Show the delivery date on the order confirmation page",
        "body": "Shoppers ask when their order arrives.",
        "html_url": "https://github.com/acme/archive/issues/7",
        "state": "open",
        "labels": [],
        "user": {"login": "mara"},
    }
    path = tmp_path / "archive.json"
    path.write_text(json.dumps([issue]), encoding="utf-8")
    return path


@pytest.fixture
def invoke(fake_github, jira, monkeypatch, tmp_path):
    return cli_against(monkeypatch, tmp_path, {**fake_github.env(), **environ_for(jira)}, NOW)


def _seed_github(fake_github) -> None:
    fake_github.add_issue("o/r", title=TITLE, body=BUG, labels=["bug"])
    fake_github.add_issue("o/r", title="Fix", body="short", labels=["bug"])


def test_three_sources_are_one_backlog_with_a_duplicate_across_trackers(
    fake_github, invoke, export
):
    _seed_github(fake_github)
    result = invoke("audit", "github:o/r", "jira:SHOP", str(export), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["tickets"] == 5
    assert report["source"] == f"github:o/r, jira:SHOP, {export}"
    duplicates = [f for f in report["findings"] if f["rule"] == "BL601"]
    # The GitHub issue and the Jira story say the same thing: one backlog sees it.
    assert {f["ticket"] for f in duplicates} == {"o/r#1", "SHOP-1"}
    assert any("SHOP-1" in f["message"] for f in duplicates if f["ticket"] == "o/r#1")
    rows = {row["source"]: row for row in report["sources"]}
    assert [row["source"] for row in report["sources"]] == ["github:o/r", "jira:SHOP", str(export)]
    assert (rows["github:o/r"]["tickets"], rows["jira:SHOP"]["tickets"]) == (2, 2)
    assert rows[str(export)]["tickets"] == 1
    assert sum(row["findings"] for row in rows.values()) == len(report["findings"])


def test_text_report_shows_a_row_per_source(fake_github, invoke, export):
    _seed_github(fake_github)
    result = invoke("audit", "github:o/r", "jira:SHOP", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    assert "By source" in result.stdout
    assert "github:o/r" in result.stdout and "jira:SHOP" in result.stdout


def test_one_source_reports_exactly_as_before(fake_github, invoke):
    _seed_github(fake_github)
    result = invoke("audit", "github:o/r", "--format", "json")
    report = json.loads(result.stdout)
    assert report["source"] == "github:o/r"
    assert "sources" not in report


def test_apply_writes_each_ticket_back_to_the_tracker_that_read_it(fake_github, jira, invoke):
    _seed_github(fake_github)
    result = invoke("audit", "github:o/r", "jira:SHOP", "--apply", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    github_paths = {r.path for r in fake_github.writes}
    assert github_paths and all(p.startswith("/api/v3/repos/o/r/") for p in github_paths)
    assert len(fake_github.comments_on("o/r", 2)) == 1
    assert "backlint:needs-work" in fake_github.labels_on("o/r", 2)
    assert len(jira.marker_comments("SHOP-2")) == 1
    assert "backlint:needs-work" in jira.labels("SHOP-2")
    jira_paths = {r.api_path for r in jira.writes()}
    assert jira_paths and all(p.startswith("issue/SHOP-") for p in jira_paths)

    fake_github.clear_log()
    jira.log.clear()
    again = invoke("audit", "github:o/r", "jira:SHOP", "--apply", "--fail-on", "never")
    assert again.exit_code == 0, again.output
    assert fake_github.writes == [] and jira.writes() == []  # converged on both trackers


def test_apply_with_an_export_file_among_the_sources_is_refused(fake_github, invoke, export):
    _seed_github(fake_github)
    result = invoke("audit", "github:o/r", str(export), "--apply")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "read-only" in result.output and str(export) in result.output
    assert fake_github.log == []  # refused before anything was read


def test_an_unknown_source_among_several_is_one_line(fake_github, invoke):
    _seed_github(fake_github)
    result = invoke("audit", "github:o/r", "nothing-here.json")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "nothing-here.json" in result.output


# -- the composed connection on its own ----------------------------------------------------


class Recording:
    """A connection with tickets in hand that records what reaches it."""

    def __init__(self, keys: list[str], fail_close: bool = False) -> None:
        self.tickets = [Ticket(key=key, tracker="test", title=key) for key in keys]
        self.applied: list[str] = []
        self.closed = False
        self.fail_close = fail_close

    def fetch(self, options, progress=None):
        yield from self.tickets

    def fetch_one(self, ref):
        raise AssertionError("not used")

    def current_state(self, ticket, has_findings):
        return TicketState(labels=(f"from-{self.tickets[0].key}",))

    def apply(self, plan):
        self.applied.append(plan.ticket)
        return WriteResult(plan.ticket)

    def close(self):
        self.closed = True
        if self.fail_close:
            raise TrackerError("close failed")


def test_writes_are_routed_by_key_and_a_repeated_key_stays_with_the_first_source():
    first, second = Recording(["A-1", "A-2"]), Recording(["B-1", "A-2"])
    notes: list[str] = []
    multi = MultiConnection([("a", first), ("b", second)], notify=notes.append)
    keys = [t.key for t in multi.fetch(FetchOptions())]
    assert keys == ["A-1", "A-2", "B-1"]
    assert notes and "A-2" in notes[0] and "b repeats 1" in notes[0]
    multi.apply(Plan(ticket="B-1"))
    multi.apply(Plan(ticket="A-2"))
    assert (first.applied, second.applied) == (["A-2"], ["B-1"])
    assert multi.current_state(multi.parts[1][1].tickets[0], True).labels == ("from-B-1",)
    assert (multi.source_of("A-2"), multi.source_of("B-1"), multi.source_of("C-9")) == (
        "a",
        "b",
        None,
    )
    with pytest.raises(TrackerError, match="C-9"):
        multi.apply(Plan(ticket="C-9"))


def test_a_key_a_source_repeats_itself_is_kept_once_without_a_warning():
    """A folder of webhook payloads holds one issue per event: the same key several times
    from one source is what that source alone gives, not a clash between sources."""
    first, second = Recording(["A-1", "A-1", "A-2"]), Recording(["B-1", "B-1"])
    notes: list[str] = []
    multi = MultiConnection([("a", first), ("b", second)], notify=notes.append)
    assert [t.key for t in multi.fetch(FetchOptions())] == ["A-1", "A-2", "B-1"]
    assert notes == []


def test_every_part_is_closed_even_when_one_fails_to_close():
    failing, other = Recording(["A-1"], fail_close=True), Recording(["B-1"])
    closed_last: list[bool] = []
    multi = MultiConnection([("a", failing), ("b", other)], on_close=lambda: closed_last.append(1))
    with pytest.raises(TrackerError, match="close failed"):
        multi.close()
    assert failing.closed and other.closed and closed_last == [1]


def test_a_source_that_cannot_be_opened_closes_those_already_open():
    opened: list[Recording] = []

    def open_one(source: str) -> Recording:
        if source == "bad":
            raise TrackerError("bad: cannot open")
        opened.append(Recording([f"{source}-1"]))
        return opened[-1]

    with pytest.raises(TrackerError, match="cannot open"):
        open_all(["a", "b", "bad", "c"], open_one)
    assert len(opened) == 2 and all(connection.closed for connection in opened)
