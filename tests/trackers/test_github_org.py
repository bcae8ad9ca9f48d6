"""``github:ORG``: every non-archived repository with issues, listed 100 a request and audited
as one backlog through one shared client, against the fake GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes.cli import cli_against

from backlint.config.config import config_from_mapping
from backlint.errors import SourceError, TrackerError
from backlint.trackers.base import FetchOptions
from backlint.trackers.github.org import REPOSITORIES_QUERY, list_repositories, owner_of
from backlint.trackers.github.tracker import GitHubTracker

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "specs" / "github-schema.graphql"
NOW = ("--now", "2026-02-01")


def _org(fake, repositories: int = 3, issues: int = 1) -> None:
    for index in range(repositories):
        fake.repo(f"acme/repo-{index:03}")
        for _ in range(issues):
            fake.add_issue(f"acme/repo-{index:03}", title="Fix", body="short", labels=["bug"])


def _open(fake, clock, source: str = "github:acme", config: dict | None = None):
    table = {"github": {"write-delay": 0}, **(config or {})}
    return GitHubTracker().open(
        source, config_from_mapping(table), env=fake.env(), pacer=clock.pacer()
    )


@pytest.mark.parametrize(
    ("source", "login"),
    [("github:acme", "acme"), ("github:a-b-1", "a-b-1"), ("github:acme/r", None), ("jira:X", None)],
)
def test_owner_of_tells_an_organisation_from_a_repository(source, login):
    assert owner_of(source) == login


@pytest.mark.skipif(not SCHEMA.exists(), reason="../shared/specs is absent")
def test_repositories_query_is_valid_against_githubs_schema():
    graphql = pytest.importorskip("graphql")
    schema = graphql.build_schema(SCHEMA.read_text(encoding="utf-8"), assume_valid_sdl=True)
    schema._validation_errors = []
    assert graphql.validate(schema, graphql.parse(REPOSITORIES_QUERY)) == []


def test_archived_repositories_and_those_without_issues_are_skipped(fake_github, clock):
    _org(fake_github, repositories=3)
    fake_github.add_issue("acme/attic", title="An old one")
    fake_github.repo("acme/attic").archived = True
    fake_github.add_issue("acme/wiki-only", title="Issues were turned off later")
    fake_github.repo("acme/wiki-only").has_issues = False
    fake_github.add_issue("other/repo", title="Another owner's")
    connection = _open(fake_github, clock)
    try:
        assert connection.sources == [f"github:acme/repo-{i:03}" for i in range(3)]
        keys = [t.key for t in connection.fetch(FetchOptions())]
    finally:
        connection.close()
    assert keys == ["acme/repo-000#1", "acme/repo-001#1", "acme/repo-002#1"]
    assert connection.source_of("acme/repo-001#1") == "github:acme/repo-001"


def test_listing_pages_past_100_repositories_one_request_per_100(fake_github, clock):
    _org(fake_github, repositories=230, issues=0)
    fake_github.repo("acme/repo-007").archived = True  # GitHub's filter: not even listed
    connection = _open(fake_github, clock)
    try:
        listed = connection.sources
    finally:
        connection.close()
    assert len(listed) == 229 and "github:acme/repo-007" not in listed
    assert listed == sorted(listed)
    listings = [
        r for r in fake_github.requests("POST", "/api/graphql") if "login" in r.body["variables"]
    ]
    assert len(listings) == 3  # ceil(229 / 100)


def test_open_issue_counts_come_with_the_listing(fake_github, clock):
    _org(fake_github, repositories=2, issues=3)
    fake_github.add_issue("acme/repo-000", title="Closed", state="closed")
    fake_github.add_issue("acme/repo-000", title="A pull request", pull_request=True)
    connection = _open(fake_github, clock)
    try:
        repositories = list_repositories(connection.parts[0][1].graphql, "acme")
    finally:
        connection.close()
    assert [(r.source, r.open_issues) for r in repositories] == [
        ("github:acme/repo-000", 3),
        ("github:acme/repo-001", 3),
    ]


def test_every_repository_is_read_through_one_shared_client(fake_github, clock):
    _org(fake_github, repositories=4, issues=2)
    connection = _open(fake_github, clock)
    try:
        tickets = list(connection.fetch(FetchOptions()))
        clients = {id(part.clients) for _, part in connection.parts}
        graphql = connection.parts[0][1].graphql
    finally:
        connection.close()
    assert len(tickets) == 8 and len(clients) == 1
    assert graphql.requests == 1 + 4  # the listing, then one page per repository
    assert graphql._http.is_closed  # closed once, by the organisation's connection


def test_an_unknown_owner_is_a_one_line_tracker_error(fake_github, clock):
    _org(fake_github)
    with pytest.raises(TrackerError, match=r"github:nobody: no GitHub organisation or user"):
        _open(fake_github, clock, "github:nobody")


def test_a_github_app_needs_an_installation_id_for_an_organisation(fake_github, clock):
    with pytest.raises(SourceError, match="installation-id"):
        _open(fake_github, clock, config={"github": {"app-id": 1}})


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def invoke(fake_github, monkeypatch, tmp_path):
    return cli_against(monkeypatch, tmp_path, fake_github.env(), NOW)


def test_audit_of_an_organisation_is_one_report_with_a_row_per_repository(fake_github, invoke):
    _org(fake_github, repositories=2)
    fake_github.add_issue(
        "acme/repo-001",
        title="Export the monthly report as CSV for admins",
        body="## Acceptance criteria\n- [ ] a CSV file downloads",
        labels=["P2"],
        milestone="v1.0",
        assignees=["alice"],
    )
    result = invoke("audit", "github:acme", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["source"] == "github:acme" and report["tickets"] == 3
    rows = {row["source"]: row["tickets"] for row in report["sources"]}
    assert rows == {"github:acme/repo-000": 1, "github:acme/repo-001": 2}


def test_apply_on_an_organisation_writes_to_each_issues_own_repository(fake_github, invoke):
    _org(fake_github, repositories=2)
    result = invoke("audit", "github:acme", "--apply", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    for repo in ("acme/repo-000", "acme/repo-001"):
        assert len(fake_github.comments_on(repo, 1)) == 1
        assert "backlint:needs-work" in fake_github.labels_on(repo, 1)


def test_unknown_organisation_on_the_command_line_is_one_line_exit_2(fake_github, invoke):
    result = invoke("audit", "github:nobody")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "nobody" in result.output
    assert fake_github.token not in result.output
