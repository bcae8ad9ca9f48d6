"""``backlint audit github:ORG --history H --since last`` end to end against the fake GitHub:
only the changed issues are fetched, the report covers the whole organisation, a repository
new to the organisation is read in full, an archived one's tickets leave the backlog; and
several sources (a repository and a Jira project) read incrementally side by side."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from fakes.github_generated import GeneratedRepo  # noqa: E402
from fakes.github_server import FakeGitHub  # noqa: E402
from fakes.jira_payloads import make_issue  # noqa: E402
from fakes.jira_server import FakeJira, environ_for  # noqa: E402

from backlint.cli.main import cli  # noqa: E402

ORG = "acme"
SIZES = {"acme/api": 230, "acme/docs": 12, "acme/web": 40}


def later(minutes: int = 5) -> str:
    """A time after this run's clock: a change the next --since query must return."""
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        for name, size in SIZES.items():
            server.repos[name] = GeneratedRepo(name, size)
        server.add_issue("other/elsewhere", title="Not part of the organisation")
        yield server


@pytest.fixture
def audit(fake, tmp_path):
    config = tmp_path / ".backlint.toml"
    config.write_text("[github]\nwrite-delay = 0\n", encoding="utf-8")
    history, out = tmp_path / "shard.sqlite", tmp_path / "report.json"

    def invoke(*args: str, sources: tuple[str, ...] = (f"github:{ORG}",), env=None):
        fake.clear_log()
        out.unlink(missing_ok=True)
        result = CliRunner().invoke(
            cli,
            [
                *("audit", *sources, "--config", str(config), "--now", "2026-02-01"),
                *("--history", str(history), "--format", "json", "--output", str(out), *args),
            ],
            env={**fake.env(), **(env or {})},
        )
        assert result.exit_code in (0, 1), result.output
        result.report = json.loads(out.read_text())
        return result

    return invoke


def change(fake: FakeGitHub, repo: str, number: int, title: str) -> None:
    """Someone edits issue ``repo#number`` now (its update time moves past the last run)."""
    issue = fake.repos[repo].issues[number]
    issue["title"], issue["updated_at"] = title, later()


def issue_pages(fake: FakeGitHub) -> list[dict]:
    """The variables of every bulk issue query the run sent."""
    return [
        r.body["variables"]
        for r in fake.requests("POST", "/api/graphql")
        if "BacklintRepositories" not in r.body["query"] and "issues(" in r.body["query"]
    ]


def keys(report: dict) -> set[str]:
    return {t["key"] for t in report["ticket_details"]}


def rows(report: dict) -> dict[str, int]:
    return {row["source"]: row["tickets"] for row in report["sources"]}


def test_since_last_on_an_org_fetches_only_changed_issues_and_reports_the_whole_org(fake, audit):
    full = audit("--since", "last")  # the first night: no history file yet, a full audit
    assert "this is a full audit" in full.output
    everything = keys(full.report)
    assert len(everything) == sum(SIZES.values())
    assert len(issue_pages(fake)) == 3 + 1 + 1  # 230 issues: 3 pages; 12 and 40: one each

    change(fake, "acme/api", 7, "Export the invoices as CSV for the finance team")
    change(fake, "acme/api", 200, "Retry webhook deliveries after a timeout")
    change(fake, "acme/web", 3, "Sort the search results by date")
    again = audit("--since", "last")
    pages = issue_pages(fake)
    # The listing, then one page per repository, each asking only for what changed.
    assert len(pages) == len(SIZES) and all(page["since"] for page in pages)
    assert len(fake.requests()) == 1 + len(SIZES)
    assert keys(again.report) == everything
    titles = {t["key"]: t["title"] for t in again.report["ticket_details"]}
    assert titles["acme/api#7"] == "Export the invoices as CSV for the finance team"
    assert titles["acme/web#3"] == "Sort the search results by date"
    # Every repository keeps its row, the stored tickets counted as well as the fetched.
    assert rows(again.report) == {f"github:{name}": size for name, size in SIZES.items()}


def test_a_repository_new_to_the_org_is_read_in_full(fake, audit):
    audit()
    fake.repos["acme/mobile"] = GeneratedRepo("acme/mobile", 150)  # old issues, new to the org
    again = audit("--since", "last")
    new = [p for p in issue_pages(fake) if p["name"] == "mobile"]
    assert len(new) == 2 and not any(p["since"] for p in new)  # 150 issues, read whole
    assert all(p["states"] == ["OPEN"] for p in new)  # with the audit's own filters
    mobile = {key for key in keys(again.report) if key.startswith("acme/mobile#")}
    assert len(mobile) == 150
    assert rows(again.report)["github:acme/mobile"] == 150

    third = audit("--since", "last")  # stored now: only its changes are asked for
    assert all(p["since"] for p in issue_pages(fake))
    assert len({k for k in keys(third.report) if k.startswith("acme/mobile#")}) == 150


def test_an_archived_or_removed_repository_leaves_the_backlog(fake, audit):
    audit()
    fake.repos["acme/web"].archived = True
    del fake.repos["acme/docs"]
    again = audit("--since", "last")
    assert {key.split("#")[0] for key in keys(again.report)} == {"acme/api"}
    assert set(rows(again.report)) == {"github:acme/api"}
    assert not any(p["name"] in ("web", "docs") for p in issue_pages(fake))

    fake.repos["acme/web"].archived = False  # back again: read in full, as any newcomer
    third = audit("--since", "last")
    assert len({k for k in keys(third.report) if k.startswith("acme/web#")}) == 40


def test_a_closed_issue_leaves_the_org_backlog(fake, audit):
    audit()
    issue = fake.repos["acme/docs"].issues[5]
    issue["state"], issue["closed_at"], issue["updated_at"] = "closed", later(), later()
    again = audit("--since", "last")
    assert "acme/docs#5" not in keys(again.report)
    assert len(keys(again.report)) == sum(SIZES.values()) - 1


def test_since_last_over_a_repository_and_a_jira_project(fake, audit):
    full, again = repository_and_jira(fake, audit)
    assert keys(again.report) == keys(full.report)
    titles = {t["key"]: t["title"] for t in again.report["ticket_details"]}
    assert titles["acme/web#9"] == "Hide archived projects for admins"
    assert titles["SHOP-4"] == "Show delivery dates on the fourth page"
    assert rows(full.report) == {"github:acme/web": 40, "jira:SHOP": 30}


def test_by_source_rows_of_several_sources_count_stored_tickets(fake, audit):
    _, again = repository_and_jira(fake, audit)
    assert rows(again.report) == {"github:acme/web": 40, "jira:SHOP": 30}


def repository_and_jira(fake, audit):
    """A full audit of a repository and a Jira project, a change in each, then --since last
    (which fetches only the changes of each); the two runs."""
    with FakeJira(dialect="cloud") as jira:
        for number in range(1, 31):
            issue = make_issue(
                f"SHOP-{number}",
                cloud=True,
                summary=f"Show delivery dates on page {number}",
                description=(f"As a shopper I want delivery dates on page {number}.",),
            )
            issue["fields"]["updated"] = "2026-10-01T09:00:00.000+0000"
            jira.add_issues([issue])
        env = {"JIRA_USERNAME": None, "JIRA_PASSWORD": None, **environ_for(jira)}
        sources = ("github:acme/web", "jira:SHOP")
        full = audit(sources=sources, env=env)
        assert len(keys(full.report)) == 40 + 30

        change(fake, "acme/web", 9, "Hide archived projects for admins")
        jira.issues["SHOP-4"]["fields"]["summary"] = "Show delivery dates on the fourth page"
        jira.issues["SHOP-4"]["fields"]["updated"] = (
            datetime.now(UTC) + timedelta(minutes=5)
        ).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
        jira.log.clear()
        again = audit("--since", "last", sources=sources, env=env)
        [page] = issue_pages(fake)
        assert page["since"] and page["name"] == "web"
        [search] = [r for r in jira.log if r.api_path.startswith("search")]
        assert 'updated >= "' in search.query["jql"][0]
        return full, again
