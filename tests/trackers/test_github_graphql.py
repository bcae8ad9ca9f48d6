"""The GraphQL client and queries: validated against GitHub's schema, exercised with respx."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import httpx
import pytest
import respx

from backlint.errors import TrackerError
from backlint.trackers.base import FetchOptions
from backlint.trackers.github.graphql import (
    MILESTONE_QUERY,
    GraphQLClient,
    QueryShape,
    issues_query,
)
from backlint.trackers.github.limits import Pacer
from backlint.trackers.github.paging import fetch_issue_nodes

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "specs" / "github-schema.graphql"
URL = "https://api.github.test/graphql"

#: ``Issue.issueType`` is served by github.com but absent from the public schema file (it sat
#: behind a preview header); the query that asks for it is validated with this stub added, and
#: the tracker drops the field when a server refuses it (see test_github.py).
ISSUE_TYPE_STUB = """
type BacklintIssueTypeStub { name: String! }
extend type Issue { issueType: BacklintIssueTypeStub }
"""


@cache
def _schema(with_issue_type: bool):
    graphql = pytest.importorskip("graphql")
    text = SCHEMA.read_text(encoding="utf-8")
    if with_issue_type:
        text += ISSUE_TYPE_STUB
    schema = graphql.build_schema(text, assume_valid_sdl=True)
    schema._validation_errors = []  # the SDL is not strictly valid for graphql-core; see specs
    return schema


def _errors(query: str, with_issue_type: bool = False) -> list[str]:
    from graphql import parse, validate

    return [e.message for e in validate(_schema(with_issue_type), parse(query))]


needs_schema = pytest.mark.skipif(not SCHEMA.exists(), reason="../shared/specs is absent")


@needs_schema
@pytest.mark.parametrize("projects", [True, False])
def test_bulk_query_is_valid_against_githubs_schema(projects):
    assert _errors(issues_query(projects=projects, issue_type=False)) == []


@needs_schema
def test_issue_type_is_the_only_field_outside_the_public_schema():
    query = issues_query(projects=True, issue_type=True)
    assert _errors(query) == ["Cannot query field 'issueType' on type 'Issue'."]
    assert _errors(query, with_issue_type=True) == []


@needs_schema
def test_milestone_query_is_valid():
    assert _errors(MILESTONE_QUERY) == []


@needs_schema
def test_every_query_sent_in_a_run_is_valid(fake_github, connect):
    """Whatever shape the run ends up sending (fallbacks included), GitHub would accept it."""
    fake_github.add_issue("o/r", title="a", milestone="v1")
    fake_github.issue_types = False
    fake_github.projects_forbidden = True
    connection = connect()
    list(connection.fetch(FetchOptions(milestone="v1", labels=("x",))))
    list(connection.fetch(FetchOptions(state="all")))
    sent = {r.body["query"] for r in fake_github.requests("POST", "graphql")}
    assert len(sent) >= 3
    for query in sent:
        assert _errors(query, with_issue_type=True) == [], query


@needs_schema
def test_issues_read_by_number_drop_refused_parts_and_every_query_is_valid(fake_github, connect):
    """The by-number read (stored tickets read again) falls back as the bulk read does, keeps
    the issues it found and sends only queries GitHub would accept."""
    fake_github.add_issue("o/r", title="Export the report", labels=["bug"])
    fake_github.add_issue("o/r", title="Second")
    fake_github.issue_types = False
    fake_github.projects_forbidden = True
    connection = connect()
    tickets = list(connection.fetch_many(["o/r#2", "o/r#1", "o/r#404"]))
    assert [(t.key, t.labels) for t in tickets] == [("o/r#2", ()), ("o/r#1", ("bug",))]
    assert set(connection.comments_seen) == {"o/r#1", "o/r#2"}  # no comment read needed
    assert connection.shape.issue_type is False and connection.shape.projects is False
    sent = [r.body["query"] for r in fake_github.requests("POST", "graphql")]
    assert len(sent) == 2  # refused issueType once; the Projects error keeps the answer
    for query in sent:
        assert _errors(query, with_issue_type=True) == [], query


# -- the client over httpx, with respx ----------------------------------------------------------
def _client(sleeps: list[float], notes: list[str] | None = None) -> GraphQLClient:
    pacer = Pacer(
        sleep=sleeps.append,
        clock=lambda: 1000.0,
        notify=(notes if notes is not None else []).append,
    )
    return GraphQLClient(URL, lambda: "secret-token-value", pacer)


def _page(numbers, has_next, cursor="c1"):
    nodes = [{"number": n, "title": f"t{n}", "labels": {"nodes": []}} for n in numbers]
    return {
        "data": {
            "repository": {
                "issues": {
                    "totalCount": 3,
                    "pageInfo": {"hasNextPage": has_next, "endCursor": cursor},
                    "nodes": nodes,
                }
            }
        }
    }


def test_pages_follow_the_cursor_and_send_the_token_as_bearer():
    pages = [_page([1, 2], True), _page([3], False)]
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(URL).mock(side_effect=[httpx.Response(200, json=p) for p in pages])
        client = _client([])
        nodes = list(fetch_issue_nodes(client, "o", "r", FetchOptions(), QueryShape(streams=1)))
    assert [n["number"] for n in nodes] == [1, 2, 3]
    first, second = (json.loads(call.request.content) for call in route.calls)
    assert first["variables"]["cursor"] is None and second["variables"]["cursor"] == "c1"
    assert first["variables"]["states"] == ["OPEN"] and first["variables"]["pageSize"] == 100
    assert route.calls[0].request.headers["Authorization"] == "bearer secret-token-value"


@respx.mock
def test_401_names_the_variable_not_the_token():
    respx.post(URL).respond(401, json={"message": "Bad credentials"})
    with pytest.raises(TrackerError) as caught:
        _client([]).execute("query { viewer { login } }", {})
    assert "GITHUB_TOKEN" in str(caught.value) and "secret-token-value" not in str(caught.value)


@respx.mock
def test_connection_errors_are_retried_then_reported():
    respx.post(URL).mock(side_effect=httpx.ConnectError("refused"))
    sleeps: list[float] = []
    with pytest.raises(TrackerError, match="cannot reach GitHub: ConnectError"):
        _client(sleeps).execute("query { viewer { login } }", {})
    assert sleeps == [1, 2, 4, 8]


@respx.mock
def test_rate_limited_error_under_200_waits_for_reset():
    limited = httpx.Response(
        200,
        json={"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]},
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1100"},
    )
    respx.post(URL).mock(side_effect=[limited, httpx.Response(200, json={"data": {}})])
    sleeps: list[float] = []
    assert _client(sleeps).execute("query { viewer { login } }", {}) == {"data": {}}
    assert sleeps == [101]


@respx.mock
def test_a_used_up_window_is_waited_out_before_the_next_request():
    respx.post(URL).respond(
        200, json={"data": {}}, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1030"}
    )
    sleeps: list[float] = []
    _client(sleeps).execute("query { viewer { login } }", {})
    assert sleeps == [31]
