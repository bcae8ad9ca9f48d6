"""Write-back that keeps failing stops within seconds (the failure budget), on the fake GitHub
and the fake Jira; and the small tracker defects of the same issue: a GITHUB_API_URL that is no
URL, a bare 429 called a secondary limit, Jira's silent 429 waits.

Time is the fake clock's (see ``conftest.Clock``): nothing here sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fakes.jira_payloads import make_issue
from fakes.jira_server import FakeJira, environ_for

from backlint.audit import Audit, apply_plans, plan_writeback, run, stop_reason
from backlint.config.config import config_from_mapping
from backlint.errors import TrackerError
from backlint.plugins import load_plugins
from backlint.testing import TEST_NOW
from backlint.trackers.base import FetchOptions
from backlint.trackers.github.tracker import GitHubTracker
from backlint.trackers.jira.tracker import JiraTracker

REPO = "o/r"
#: Titles that fail BL101 (too short): every ticket plans a comment and a label.
TITLE = "Fix"


class ClockedGitHub(GitHubTracker):
    """The GitHub tracker opened against the fake with the test clock's pacer."""

    def __init__(self, env: dict[str, str], clock: Any) -> None:
        self.env, self.clock = env, clock

    def open(self, source, config, env=None, pacer=None):  # type: ignore[override]
        return super().open(source, config, env=self.env, pacer=self.clock.pacer())


@contextmanager
def github_audit(fake_github, clock, config: dict[str, Any] | None = None) -> Iterator[Audit]:
    table = {"select": ["BL101"], "github": {"write-delay": 0}, **(config or {})}
    settings = config_from_mapping(table)
    registry = load_plugins()
    registry.trackers.insert(0, ClockedGitHub(fake_github.env(), clock))
    with run("github:o/r", settings, registry, FetchOptions(), now=TEST_NOW) as result:
        plan_writeback(result, settings, None)
        yield result


def test_every_label_write_failing_stops_after_the_budget_within_seconds(fake_github, clock):
    for _ in range(12):
        fake_github.add_issue(REPO, title=TITLE)
    with github_audit(fake_github, clock) as result:
        assert len(result.plans) == 12
        fake_github.inject(r"/labels$", 500, method="POST", times=10_000)

        apply_plans(result)

    assert [r.error is not None for r in result.results] == [True] * 5
    assert "5 tickets in a row failed to write (failure-budget 5)" in result.stopped
    assert [p.ticket for p in result.not_written] == [f"o/r#{n}" for n in range(6, 13)]
    assert fake_github.comments_on(REPO, 6) == []
    # Each failed write is tried twice, one second apart: seconds for the run, not minutes.
    assert len(fake_github.requests("POST", r"/labels$")) == 10
    assert sum(clock.sleeps) <= 5


def test_a_success_resets_the_count_and_the_budget_comes_from_the_config(fake_github, clock):
    for _ in range(6):
        fake_github.add_issue(REPO, title=TITLE)
    with github_audit(fake_github, clock, {"writeback": {"failure-budget": 2}}) as result:
        # The comment of #1 and #3 fails (403: not retried); #2 succeeds; #4 and #5 fail: stop.
        for number in (1, 3, 4, 5):
            fake_github.inject(rf"/issues/{number}/comments$", 403, method="POST")

        apply_plans(result)

    assert [r.ticket for r in result.results if r.error] == ["o/r#1", "o/r#3", "o/r#4"]
    assert result.results[1].error is None
    assert "failure-budget 2" in result.stopped
    assert [p.ticket for p in result.not_written] == ["o/r#5", "o/r#6"]


def test_a_tracker_that_drops_every_connection_is_down_after_two_tickets(fake_github, clock):
    for _ in range(8):
        fake_github.add_issue(REPO, title=TITLE)
    with github_audit(fake_github, clock) as result:
        fake_github.inject(r"^/api/v3/repos/", drop=True, times=10_000)

        apply_plans(result)

    assert len(result.results) == 2
    assert result.stopped.startswith("the tracker cannot take writes now (cannot reach GitHub")
    assert len(result.not_written) == 6


def test_reads_keep_their_retries(fake_github, clock):
    fake_github.add_issue(REPO, title=TITLE)
    for _ in range(3):
        fake_github.inject("/api/graphql", 502)
    settings = config_from_mapping({"select": ["BL101"], "github": {"write-delay": 0}})
    connection = ClockedGitHub(fake_github.env(), clock).open("github:o/r", settings)
    assert len(list(connection.fetch(FetchOptions()))) == 1
    assert clock.sleeps == [1, 2, 4]
    connection.close()


def test_a_last_failure_is_no_stop_and_a_lone_dropped_line_is_no_outage():
    dropped = "cannot reach GitHub: ConnectionError"
    assert stop_reason([dropped], 5) is None
    assert stop_reason(["GitHub answered HTTP 500: boom", dropped], 5) is None
    assert stop_reason([dropped, dropped], 5).startswith("the tracker cannot take writes now")
    jira_down = "connection to https://jira.example failed (PUT issue/A-1; ConnectionError)"
    assert stop_reason([jira_down, "refused the credentials (HTTP 401) on PUT x"], 5)
    assert stop_reason(["HTTP 500 on POST issue/A-1/comment"] * 5, 5) == (
        "5 tickets in a row failed to write (failure-budget 5)"
    )


# -- Jira -------------------------------------------------------------------------------------


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@contextmanager
def jira_audit(fake: FakeJira, sleeps: Sleeps, budget: int | None = None) -> Iterator[Audit]:
    table: dict[str, Any] = {"select": ["BL101"]}
    if budget:
        table["writeback"] = {"failure-budget": budget}
    settings = config_from_mapping(table)
    registry = load_plugins()
    registry.trackers.insert(0, JiraTracker(environ=environ_for(fake), sleep=sleeps))
    source = "jira:SHOP" if fake.cloud else "jira:OPS"
    with run(source, settings, registry, FetchOptions(), now=TEST_NOW) as result:
        plan_writeback(result, settings, None)
        yield result


@pytest.mark.parametrize("dialect", ["cloud", "dc"])
def test_jira_stops_after_the_budget_and_retries_a_label_write_once(dialect):
    with FakeJira(dialect=dialect) as fake:
        project = "SHOP" if fake.cloud else "OPS"
        fake.add_issues(
            [make_issue(f"{project}-{n}", cloud=fake.cloud, summary=TITLE) for n in range(1, 9)]
        )
        sleeps = Sleeps()
        with jira_audit(fake, sleeps, budget=3) as result:
            # The comment goes through; the label update answers 500 every time.
            fake.fail("PUT", rf"^issue/{project}-\d+$", 500, times=10_000)

            apply_plans(result)

        assert [bool(r.error) for r in result.results] == [True, True, True]
        assert "failure-budget 3" in result.stopped and len(result.not_written) == 5
        assert len(fake.requests("PUT", rf"^issue/{project}-\d+$")) == 6  # 2 tries per ticket
        assert sleeps == [1, 1, 1]


def test_jira_429_waits_are_announced(capsys):
    with FakeJira(dialect="cloud") as fake:
        fake.add_issues([make_issue("SHOP-1", cloud=True, summary=TITLE)])
        fake.fail("GET", "^search/jql", 429, {"Retry-After": "7"})
        sleeps = Sleeps()
        with jira_audit(fake, sleeps):
            pass
    assert sleeps == [7]
    err = capsys.readouterr().err
    assert "backlint: Jira rate limit reached; waiting 7 s, then resuming" in err


# -- GitHub settings and rate-limit wording ---------------------------------------------------


@pytest.mark.parametrize("url", ["not a url", "api.github.com", "https://", "ftp://host/api"])
def test_a_github_api_url_that_is_no_url_fails_at_once(fake_github, url):
    env = {**fake_github.env(), "GITHUB_API_URL": url}
    with pytest.raises(TrackerError, match=r"GITHUB_API_URL .* is not a URL"):
        GitHubTracker().open("github:o/r", config_from_mapping({}), env=env)
    assert fake_github.log == []


def test_a_url_with_user_info_is_not_echoed():
    env = {"GITHUB_TOKEN": "t", "GITHUB_API_URL": "https://me:s3cret@"}
    with pytest.raises(TrackerError) as caught:
        GitHubTracker().open("github:o/r", config_from_mapping({}), env=env)
    assert "s3cret" not in str(caught.value)


def test_a_graphql_429_without_secondary_wording_is_a_rate_limit(fake_github, connect, clock):
    fake_github.add_issue(REPO)
    fake_github.inject("/api/graphql", 429, headers={"retry-after": "3"}, body={"message": ""})
    assert len(list(connect().fetch(FetchOptions()))) == 1
    assert clock.sleeps == [3]
    assert clock.notes == ["GitHub rate limit reached; waiting 3 s, then resuming"]
