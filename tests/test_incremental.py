"""``backlint audit SOURCE --history H --since last|DATE`` end to end against the fake GitHub and
the fake Jira: only what changed is fetched, the report covers the whole backlog."""

from __future__ import annotations

import json
import sqlite3
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from fakes.github_numbers import by_number_requests  # noqa: E402
from fakes.github_server import FakeGitHub  # noqa: E402
from fakes.jira_payloads import make_issue  # noqa: E402
from fakes.jira_server import FakeJira, environ_for  # noqa: E402

from backlint.cli.main import cli  # noqa: E402
from backlint.history.store import SCHEMA_VERSION  # noqa: E402

REPO = "o/r"
NOW = ["--now", "2026-02-01"]

#: A ticket rule that notes every ticket it judges (the reuse of findings is observable).
COUNTING_RULE = '''
from pathlib import Path
from backlint import hookimpl
from backlint.engine.rule import rule

LOG = Path(__file__).with_name("judged.log")

@rule("ACME901", "counted", family="clarity", severity="info")
def counted(ticket, ctx):
    """What: Notes each ticket judged.

    Why: test. Example: any. Fix: none.
    """
    with LOG.open("a") as log:
        log.write(ticket.key + "\\n")
    if "Fix" in ticket.title:
        yield "counted"

@hookimpl
def register_rules(register):
    register(counted)
'''

STORY = (
    "As a finance admin I want to export the monthly revenue report as a CSV file so that I "
    "can reconcile the invoices with the bank statements.\n\n## Acceptance criteria\n"
    "- [ ] a CSV file downloads\n- [ ] the columns match the report on screen\n"
)


def clock() -> str:
    """The time of a write, as GitHub stamps it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def later(minutes: int = 5) -> str:
    """A time after this run's clock: a change the next --since query must return."""
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        for number in range(1, 251):
            server.add_issue(
                REPO,
                title=["Fix", f"Export report {number} as CSV for finance"][number % 2],
                body=["short", STORY.replace("monthly", f"variant {number}")][number % 2],
                labels=[["bug"], ["P2"], []][number % 3],
            )
        yield server


@pytest.fixture
def audit(fake, monkeypatch, tmp_path):
    for name, value in fake.env().items():
        monkeypatch.setenv(name, value)
    config = tmp_path / ".backlint.toml"
    config.write_text("[github]\nwrite-delay = 0\n", encoding="utf-8")
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "counting.py").write_text(textwrap.dedent(COUNTING_RULE))
    history = tmp_path / "h.sqlite"

    def invoke(*args: str, source: str = "github:o/r"):
        (plugins / "judged.log").unlink(missing_ok=True)
        fake.clear_log()
        out = tmp_path / "report.json"
        out.unlink(missing_ok=True)
        result = CliRunner().invoke(
            cli,
            [
                *("--plugins-dir", str(plugins), "audit", source, "--config", str(config), *NOW),
                *("--history", str(history), "--format", "json", "--output", str(out), *args),
            ],
        )
        result.report = json.loads(out.read_text()) if out.exists() else None
        log = plugins / "judged.log"
        result.judged = sorted(set(log.read_text().split())) if log.exists() else []
        return result

    invoke.history = history
    return invoke


def graphql_calls(fake):
    return [r for r in fake.requests("POST", "/api/graphql") if "issues(" in str(r.body)]


def keys(report):
    return {t["key"] for t in report["ticket_details"]}


def test_since_last_fetches_only_changed_tickets_and_reports_the_whole_backlog(fake, audit):
    full = audit()
    assert full.exit_code in (0, 1), full.output
    assert len(keys(full.report)) == 250 and len(full.judged) == 250
    assert len(graphql_calls(fake)) == 3  # 250 issues, 100 a page

    issue = fake.repo(REPO).issues[7]
    issue["title"], issue["updated_at"] = "Fix", later()
    again = audit("--since", "last")
    assert again.exit_code in (0, 1), again.output
    [query] = graphql_calls(fake)  # one page: the one changed issue
    assert query.body["variables"]["since"] and query.body["variables"]["states"] is None
    assert keys(again.report) == keys(full.report)
    assert again.judged == ["o/r#7"]  # the other 249 kept their findings
    before = {(f["ticket"], f["rule"]) for f in full.report["findings"]}
    after = {(f["ticket"], f["rule"]) for f in again.report["findings"]}
    assert {x for x in after ^ before if x[0] != "o/r#7"} == set()
    assert ("o/r#7", "ACME901") in after and ("o/r#7", "ACME901") not in before
    assert "history" in again.report and len(again.report["history"]["runs"]) == 2
    # Exact: a full audit of the same backlog finds the same, in the same order.
    same = audit()
    assert same.report["findings"] == again.report["findings"]
    assert same.report["score"] == again.report["score"]
    assert same.report["ticket_details"] == again.report["ticket_details"]


def test_a_ticket_closed_since_leaves_the_open_backlog(fake, audit):
    audit()
    issue = fake.repo(REPO).issues[8]
    issue["state"], issue["updated_at"] = "closed", later()
    again = audit("--since", "last")
    assert "o/r#8" not in keys(again.report) and len(keys(again.report)) == 249
    assert "o/r#8" not in keys(audit("--since", "last").report)  # and it stays out


def test_a_new_duplicate_of_an_old_ticket_is_found_and_the_old_one_planned(fake, audit):
    first = audit()
    old = fake.repo(REPO).issues[9]
    fake.add_issue(REPO, number=251, title=old["title"], body=old["body"], updated_at=later())
    again = audit("--since", "last")
    duplicates = {f["ticket"] for f in again.report["findings"] if f["rule"] == "BL601"}
    assert {"o/r#9", "o/r#251"} & duplicates
    assert again.judged == ["o/r#251"]
    # Old tickets whose findings changed are read afresh (in one by-number GraphQL request,
    # none over REST) and planned; the others cost nothing.
    before = {}
    for f in first.report["findings"]:
        before.setdefault(f["ticket"], set()).add((f["rule"], f["message"]))
    after = {}
    for f in again.report["findings"]:
        after.setdefault(f["ticket"], set()).add((f["rule"], f["message"]))
    moved = {key for key in after.keys() | before.keys() if after.get(key) != before.get(key)}
    asked = by_number_requests(fake)
    assert len(asked) == 1 and fake.requests("GET", r"/issues/\d+$") == []
    assert "o/r#9" in asked[0] and set(asked[0]) <= moved - {"o/r#251"}


def test_own_writes_do_not_count_as_changes(fake, audit):
    fake.write_time = clock
    first = audit("--apply")
    assert first.exit_code in (0, 1), first.output
    written = {
        w.path.split("/issues/")[1].split("/")[0] for w in fake.writes if "/issues/" in w.path
    }
    assert len(written) > 50
    time.sleep(1.1)  # whole seconds: the next run starts after the second of the last write
    again = audit("--since", "last", "--apply")
    assert again.exit_code in (0, 1), again.output
    assert fake.writes == [] and again.judged == []
    pages = graphql_calls(fake)  # the tickets backlint wrote to come back, once
    assert 1 <= len(pages) <= -(-len(written) // 100) + 1
    assert keys(again.report) == keys(first.report)
    third = audit("--since", "last", "--apply")
    assert len(graphql_calls(fake)) == 1 and fake.writes == [] and third.judged == []


def test_a_managed_label_removed_by_hand_is_put_back(fake, audit):
    audit("--apply")
    issue = fake.repo(REPO).issues[2]  # "Fix" / "short": it has findings
    issue["labels"] = [x for x in issue["labels"] if x["name"] != "backlint:needs-work"]
    issue["updated_at"] = later()
    again = audit("--since", "last", "--apply")
    assert again.judged == []  # same content: findings reused
    assert "backlint:needs-work" in fake.labels_on(REPO, 2)
    assert len(fake.writes) == 1


def test_a_dry_run_leaves_writes_pending_for_an_incremental_apply(fake, audit):
    audit()  # dry run: plans, writes nothing
    fake.write_time = clock
    few = audit("--since", "last", "--apply", "--limit", "3")
    assert [len(keys) for keys in by_number_requests(fake)] == [3]  # --limit caps the reads
    written = {
        w.path.split("/issues/")[1].split("/")[0] for w in fake.writes if "/issues/" in w.path
    }
    assert len(written) == 3
    assert few.judged == []
    applied = audit("--since", "last", "--apply")
    assert applied.exit_code in (0, 1), applied.output
    assert fake.writes and applied.judged == []  # the pending writes, on unchanged tickets
    assert audit("--since", "last", "--apply").judged == [] and fake.writes == []


def test_a_configuration_change_judges_every_stored_ticket_again(fake, audit):
    audit()
    again = audit("--since", "last", "--ignore", "BL104")
    assert "judged again" in again.output
    assert len(again.judged) == 250 and len(graphql_calls(fake)) == 1
    assert not any(f["rule"] == "BL104" for f in again.report["findings"])
    same = audit("--since", "last", "--ignore", "BL104")
    assert same.judged == []


def test_findings_that_move_with_the_clock_follow_it_on_unchanged_tickets(fake, audit):
    audit()
    # --now comes after the run's own: a year on, unchanged tickets have gone stale.
    later = audit("--since", "last", "--now", "2027-03-01")
    stale = {f["ticket"] for f in later.report["findings"] if f["rule"] == "BL502"}
    assert len(stale) > 100 and later.judged == []
    full = audit("--now", "2027-03-01")
    assert full.report["findings"] == later.report["findings"]


def test_since_a_date_and_a_full_run_replaces_the_stored_set(fake, audit):
    audit()
    fake.repo(REPO).issues.pop(10)  # deleted: a since query cannot see it
    assert "o/r#10" in keys(audit("--since", "2026-01-01T00:00:00Z").report)
    assert "o/r#10" not in keys(audit().report)
    assert "o/r#10" not in keys(audit("--since", "last").report)


def test_since_last_without_a_stored_backlog_is_a_full_audit_that_says_so(fake, audit):
    result = audit("--since", "last")
    assert result.exit_code in (0, 1), result.output
    assert "full audit" in result.output and len(result.judged) == 250
    other = audit("--since", "last", "--label", "bug")  # other filters: their own backlog
    assert "full audit" in other.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "--since: expected 'last' or an ISO date"),
        (["--since", "2026-13-45"], "--since: expected 'last' or an ISO date"),
    ],
)
def test_bad_since_values_are_one_line_errors(audit, args, message):
    result = audit(*args)
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_since_needs_a_history_file(tmp_path):
    result = CliRunner().invoke(cli, ["audit", "github:o/r", "--since", "last"])
    assert result.exit_code == 2
    assert "--since needs a history file" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_schema_2_history_file_is_migrated_and_gains_a_stored_backlog(fake, audit):
    audit()
    db = sqlite3.connect(audit.history)  # what backlint wrote before stored backlogs
    db.execute("DROP TABLE snapshot_tickets")
    db.execute("DROP TABLE snapshots")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    result = audit("--since", "last")
    assert "full audit" in result.output and len(result.judged) == 250
    assert len(result.report["history"]["runs"]) == 2  # the old run is still there
    db = sqlite3.connect(audit.history)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert db.execute("SELECT count(*) FROM snapshot_tickets").fetchone()[0] == 250
    db.close()
    assert audit("--since", "last").judged == []


# -- Jira ------------------------------------------------------------------------------------


def jira_backlog(cloud: bool) -> list[dict]:
    project = "SHOP" if cloud else "OPS"
    issues = []
    for number in range(1, 121):
        issue = make_issue(
            f"{project}-{number}",
            cloud=cloud,
            summary=["update", f"Show delivery dates on page {number}"][number % 2],
            description=(f"As a shopper I want delivery dates on page {number}.",),
        )
        issue["fields"]["updated"] = "2026-10-01T09:00:00.000+0000"
        issues.append(issue)
    return issues


def jira_now(minutes: int = 5) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


@pytest.mark.parametrize("dialect", ["cloud", "dc"])
def test_jira_since_last_fetches_only_changed_issues(dialect, tmp_path):
    with FakeJira(dialect=dialect) as jira:
        jira.add_issues(jira_backlog(jira.cloud))
        project = "SHOP" if jira.cloud else "OPS"
        history, out = tmp_path / "h.sqlite", tmp_path / "r.json"
        env = {"JIRA_USERNAME": None, "JIRA_PASSWORD": None, **environ_for(jira)}

        def audit(*args):
            jira.log.clear()
            result = CliRunner().invoke(
                cli,
                [
                    *("audit", f"jira:{project}", "--history", str(history), "--format", "json"),
                    *("--output", str(out), "--now", "2026-11-22", *args),
                ],
                env=env,
            )
            assert result.exit_code in (0, 1), result.output
            return json.loads(out.read_text())

        full = audit()
        assert full["tickets"] == 120
        searches = [r for r in jira.log if r.api_path.startswith("search")]
        assert len(searches) == 2  # 120 issues, 100 a page

        jira.now = jira_now()
        changed = jira.issues[f"{project}-3"]["fields"]
        changed["summary"], changed["updated"] = "Show delivery dates on the third page", jira.now
        jira.issues[f"{project}-4"]["fields"]["status"] = {
            "name": "Done",
            "statusCategory": {"id": 3, "key": "done", "name": "Done"},
        }
        jira.issues[f"{project}-4"]["fields"]["updated"] = jira.now
        again = audit("--since", "last")
        [search] = [r for r in jira.log if r.api_path.startswith("search")]
        jql = search.query["jql"][0]
        assert 'updated >= "' in jql and "statusCategory" not in jql
        assert len(jira.log) <= 3  # serverInfo, /field, one page
        assert {t["key"] for t in again["ticket_details"]} == {
            t["key"] for t in full["ticket_details"]
        } - {f"{project}-4"}
        titles = {t["key"]: t["title"] for t in again["ticket_details"]}
        assert titles[f"{project}-3"] == "Show delivery dates on the third page"

        # Own writes: an applied run's comments and labels bump `updated`; they are no change.
        audit("--apply")
        assert jira.writes()
        jira.log.clear()
        audit("--since", "last", "--apply")
        assert jira.writes() == []


def test_an_export_file_read_since_last_gives_what_a_full_read_gives(tmp_path):
    """A file ignores state and ``since`` (it is read whole): an incremental audit of a file,
    alone or beside another, keeps its closed tickets as a full audit does."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    sources = [str(examples / "github-issues.json"), str(examples / "jira-search.json")]
    history = str(tmp_path / "h.sqlite")
    runner = CliRunner()

    def report(*args: str) -> dict:
        out = tmp_path / "report.json"
        result = runner.invoke(
            cli, ["audit", *args, "--format", "json", "--output", str(out), *NOW]
        )
        assert result.exit_code in (0, 1), result.output
        return json.loads(out.read_text())

    for chosen in (sources[:1], sources):
        full = report(*chosen)
        closed = [f for f in full["findings"] if f["rule"] == "BL504"]
        assert full["tickets"] > 0
        first = report(*chosen, "--history", history, "--since", "last")
        again = report(*chosen, "--history", history, "--since", "last")
        assert first["tickets"] == again["tickets"] == full["tickets"]
        assert again["findings"] == full["findings"]
        assert [f for f in again["findings"] if f["rule"] == "BL504"] == closed
