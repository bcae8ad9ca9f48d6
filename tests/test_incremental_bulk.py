"""Incremental audits read the stored tickets write-back must look at again in bulk: one
GraphQL request per 100 on GitHub (``Connection.fetch_many``), none over REST, with the same
plans as reading them one by one; a ticket deleted since is left out, not a failed run."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from fakes.github_numbers import by_number_requests  # noqa: E402
from fakes.github_server import FakeGitHub  # noqa: E402
from fakes.jira_payloads import make_issue  # noqa: E402
from fakes.jira_server import FakeJira, environ_for  # noqa: E402

from backlint.audit import apply_plans, open_source, plan_writeback, run, store_backlog  # noqa: E402
from backlint.config.config import config_from_mapping  # noqa: E402
from backlint.history.incremental import Incremental  # noqa: E402
from backlint.plugins import load_plugins  # noqa: E402
from backlint.testing import TEST_NOW  # noqa: E402
from backlint.trackers.base import FetchOptions  # noqa: E402

THINGS = ("invoice", "avatar", "webhook", "pricing", "search", "draft", "export", "login")
PLACES = ("mobile", "admin", "API", "CSV", "dashboard", "settings", "billing", "inbox")


def _text(n: int) -> tuple[str, str]:
    """A title and body of their own for issue ``n`` (no two alike)."""
    thing, place, other = THINGS[n % 8], PLACES[(n // 8) % 8], THINGS[(n // 64) % 8]
    title = f"Add {thing} {place} {other} support, variant {n}"
    body = (
        f"As a {place} user I want the {thing} to work with {other} number {n} so that "
        f"the {n}th team can ship.\n\n## Acceptance criteria\n- [ ] {thing} {n} works\n"
    )
    return title, body


def later(minutes: int = 5) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def fake(monkeypatch):
    with FakeGitHub() as server:
        for repo in ("o/r", "o/s"):
            for number in range(1, 141):
                title, body = _text(number + (1000 if repo == "o/s" else 0))
                server.add_issue(repo, number=number, title=title, body=body)
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        yield server


@pytest.fixture
def setting(tmp_path):
    config = config_from_mapping({"select": ["BL601", "BL101"], "github": {"write-delay": 0}})
    return config, load_plugins(()), tmp_path / "h.sqlite"


def _audit(setting, source, since=None, apply=False, wrap: Callable | None = None):
    """One audit as the CLI runs it: plans (and with ``apply`` writes and stores) write-back."""
    config, registry, history = setting
    key = source if isinstance(source, str) else " ".join(source)  # as the CLI stores it
    previous = Incremental.prepare(history, key, FetchOptions(), config, since, apply)
    connection = wrap(open_source(source, config, registry)) if wrap else None
    options = FetchOptions()
    with run(
        source, config, registry, options, now=TEST_NOW, connection=connection, previous=previous
    ) as result:
        plan_writeback(result, config, None)
        if apply:
            apply_plans(result)
            store_backlog(result)
        return result.plans


def _copy(fake, repo: str, numbers, start: int) -> None:
    """New issues, each a duplicate of an old one: the old ones' BL601 findings change."""
    for offset, number in enumerate(numbers):
        old = fake.repo(repo).issues[number]
        fake.add_issue(
            repo, number=start + offset, title=old["title"], body=old["body"], updated_at=later()
        )


def _by_ticket(plan) -> str:
    return plan.ticket


class OneByOne:
    """The same GitHub connection without ``fetch_many``: what a connection that cannot read
    in bulk gives (the fallback, one ``fetch_one`` each)."""

    def __init__(self, connection) -> None:
        self._connection = connection
        for name in ("fetch", "fetch_one", "current_state", "apply", "close"):
            setattr(self, name, getattr(connection, name))


def test_stored_tickets_are_read_again_100_a_request_with_the_one_by_one_plans(fake, setting):
    _audit(setting, "github:o/r", apply=True)
    _copy(fake, "o/r", range(1, 131), 201)
    del fake.repo("o/r").issues[5]  # deleted since: its new duplicate still names it
    fake.clear_log()

    bulk = _audit(setting, "github:o/r", since="last")
    asked = by_number_requests(fake)
    keys = [key for request in asked for key in request]
    assert len(keys) >= 120 and len(set(keys)) == len(keys)
    assert len(asked) == math.ceil(len(keys) / 100) and max(map(len, asked)) <= 100
    assert {"o/r#9", "o/r#5"} <= set(keys)
    assert fake.requests("GET", r"/issues/\d+") == []  # no REST read of issues or comments
    planned = {plan.ticket for plan in bulk}
    assert "o/r#9" in planned and "o/r#5" not in planned  # the deleted one is left out

    fake.clear_log()
    one_by_one = _audit(setting, "github:o/r", since="last", wrap=OneByOne)
    assert len(fake.requests("GET", r"/issues/\d+$")) == len(keys)
    assert sorted(one_by_one, key=_by_ticket) == sorted(bulk, key=_by_ticket)


def test_a_by_number_answer_with_a_missing_repository_or_issue_keeps_the_rest(fake):
    from backlint.trackers.github.graphql import GraphQLClient, QueryShape, issues_by_number
    from backlint.trackers.github.limits import Pacer

    client = GraphQLClient(fake.graphql_url, lambda: fake.token, Pacer(sleep=lambda s: None))
    try:
        refs = [("o", "r", 3), ("o", "gone", 1), ("o", "r", 999), ("o", "s", 7), ("o", "r", 3)]
        found = list(issues_by_number(client, QueryShape(), refs))
    finally:
        client.close()
    assert [(index, node["number"]) for index, node in found] == [(0, 3), (3, 7)]
    assert len(by_number_requests(fake)) == 1


def test_the_by_number_read_waits_out_rate_limits_as_the_paging_does(fake):
    from backlint.trackers.github.graphql import GraphQLClient, QueryShape, issues_by_number
    from backlint.trackers.github.limits import Pacer

    fake.inject_rate_limit("/api/graphql", retry_after=7)  # secondary, HTTP 403
    limited = {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]}
    fake.inject("/api/graphql", status=200, body=limited)  # under HTTP 200
    waits: list[float] = []
    client = GraphQLClient(fake.graphql_url, lambda: fake.token, Pacer(sleep=waits.append))
    try:
        found = list(issues_by_number(client, QueryShape(), [("o", "r", 1), ("o", "r", 2)]))
    finally:
        client.close()
    assert [node["number"] for _, node in found] == [1, 2]
    assert len(waits) == 2 and waits[0] == 7 and len(fake.requests("POST", "/api/graphql")) == 3


def test_github_org_reads_stored_tickets_of_every_repository_in_one_request(fake, setting):
    _audit(setting, "github:o", apply=True)
    _copy(fake, "o/r", range(1, 31), 201)
    _copy(fake, "o/s", range(1, 31), 201)
    fake.clear_log()
    plans = _audit(setting, "github:o", since="last", apply=True)
    asked = by_number_requests(fake)
    assert len(asked) == 1
    assert {key.split("#")[0] for key in asked[0]} == {"o/r", "o/s"}
    assert fake.requests("GET", r"/issues/\d+$") == []
    planned = {plan.ticket for plan in plans}
    assert {"o/r#9", "o/s#9"} <= planned
    # each old ticket's writes went to its own repository
    issue_path = re.compile(r"/repos/(\w+/\w+)/issues/(\d+)(?:/|$)")
    written = {"#".join(m.groups()) for w in fake.writes if (m := issue_path.search(w.path))}
    assert {"o/r#9", "o/s#9"} <= written


def test_several_sources_read_stored_tickets_through_the_part_that_holds_them(fake, setting):
    """Before bulk reads, a stored ticket of a multi-source audit could not be read again at
    all (``fetch_one`` names one source); now each part reads its own, writes follow."""
    sources = ["github:o/r", "github:o/s"]
    _audit(setting, sources, apply=True)
    _copy(fake, "o/r", range(1, 21), 201)
    _copy(fake, "o/s", range(1, 21), 201)
    fake.clear_log()
    _audit(setting, sources, since="last", apply=True)
    asked = by_number_requests(fake)
    assert sorted({key.split("#")[0] for key in keys} for keys in asked) == [{"o/r"}, {"o/s"}]
    issue_path = re.compile(r"/repos/(\w+/\w+)/issues/(\d+)(?:/|$)")
    written = {"#".join(m.groups()) for w in fake.writes if (m := issue_path.search(w.path))}
    assert {"o/r#9", "o/s#9"} <= written


# -- Jira --------------------------------------------------------------------------------------


def _jira_issue(key: str, n: int, cloud: bool, updated: str) -> dict:
    title, body = _text(n)
    issue = make_issue(key, cloud=cloud, summary=title, description=(body,))
    issue["fields"]["updated"] = updated
    return issue


def _key_searches(jira) -> list[str]:
    return [
        r.query["jql"][0]
        for r in jira.log
        if r.api_path.startswith("search") and "key in" in r.query.get("jql", [""])[0]
    ]


@pytest.mark.parametrize("dialect", ["cloud", "dc"])
def test_jira_reads_stored_tickets_again_one_search_per_100(dialect, setting, monkeypatch):
    with FakeJira(dialect=dialect) as jira:
        for name, value in environ_for(jira).items():
            monkeypatch.setenv(name, value)
        for name in ("JIRA_USERNAME", "JIRA_PASSWORD"):
            monkeypatch.delenv(name, raising=False)
        for n in range(1, 141):
            jira.add_issue(_jira_issue(f"P-{n}", n, jira.cloud, "2026-10-01T09:00:00.000+0000"))
        _audit(setting, "jira:P", apply=True)
        jira.now = (datetime.now(UTC) + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
        for n in range(1, 121):
            jira.add_issue(_jira_issue(f"P-{200 + n}", n, jira.cloud, jira.now))
        jira.log.clear()

        bulk = _audit(setting, "jira:P", since="last")
        searches = _key_searches(jira)
        asked = [key for jql in searches for key in re.findall(r'"(P-\d+)"', jql)]
        assert len(asked) >= 110 and len(searches) == math.ceil(len(asked) / 100)
        assert jira.requests("GET", r"^issue/P-\d+$") == []
        planned = {plan.ticket for plan in bulk}
        assert {"P-9", "P-209"} <= planned

        jira.log.clear()
        one_by_one = _audit(setting, "jira:P", since="last", wrap=OneByOne)
        assert sorted(one_by_one, key=_by_ticket) == sorted(bulk, key=_by_ticket)
        assert len(jira.requests("GET", r"^issue/P-\d+$")) == len(asked)

        del jira.issues["P-9"]  # Jira rejects a key search naming it: that batch goes one by one
        jira.log.clear()
        planned_now = {plan.ticket for plan in _audit(setting, "jira:P", since="last")}
        singles = jira.requests("GET", r"^issue/P-\d+$")
        assert len(_key_searches(jira)) == len(searches) and 1 <= len(singles) <= 100
        assert "P-9" not in planned_now and planned - {"P-9", "P-209"} <= planned_now
