"""GitHub payload mapping details that the tracker tests do not reach."""

from __future__ import annotations

import pytest

from backlint.trackers.github.mapping import parse_time, ticket_from_graphql, ticket_from_rest
from backlint.writeback.planner import render_comment, render_resolved


def test_backlints_own_comment_is_not_human_activity():
    mara = {"__typename": "User", "login": "mara"}
    node = {
        "number": 7,
        "title": "Refund button",
        "createdAt": "2026-01-05T10:00:00Z",
        "author": mara,
        "comments": {
            "totalCount": 3,
            "nodes": [
                {
                    "databaseId": 1,
                    "createdAt": "2026-02-01T10:00:00Z",
                    "body": "+1",
                    "author": mara,
                },
                {
                    "databaseId": 2,
                    "createdAt": "2026-11-01T10:00:00Z",
                    "body": render_comment([]),
                    "author": mara,
                },
                {
                    "databaseId": 3,
                    "createdAt": "2026-11-02T10:00:00Z",
                    "body": render_resolved(),
                    "author": mara,
                },
            ],
        },
    }
    ticket = ticket_from_graphql(node, "acme/shop")
    comments = [(a.actor, a.is_bot) for a in ticket.activity if a.kind == "comment"]
    assert comments == [("mara", False), ("backlint", True), ("backlint", True)]


# -- robustness (issue 14) ---------------------------------------------------------------------
ISSUE = {
    "number": 5,
    "title": "Refund button on the order page",
    "url": "https://api.github.com/repos/evil/elsewhere/issues/5",
    "html_url": "https://github.com/evil/elsewhere/issues/5",
}


def test_a_given_repository_wins_over_the_issues_own_urls():
    assert ticket_from_rest(ISSUE, "acme/shop").key == "acme/shop#5"
    assert ticket_from_rest(ISSUE).key == "evil/elsewhere#5"  # no repository given: the URLs


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": {"name": ["Bug"]}}, "type.name is a list, not text"),
        ({"milestone": {"title": {"x": 1}}}, "milestone.title is an object, not text"),
        ({"labels": [{"name": 7}]}, "labels[].name is a number, not text"),
        ({"labels": [["bug"]]}, "a label is a list, not a name"),
        ({"assignees": "mara"}, "assignees is text, not a list"),
    ],
)
def test_odd_values_name_the_field_in_the_error(change, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        ticket_from_rest({**ISSUE, **change}, "acme/shop")


def test_odd_but_harmless_values_are_read_as_absent():
    ticket = ticket_from_rest(
        {
            **ISSUE,
            "type": "Bug",
            "milestone": "v1",
            "comments": [{"body": "hi"}],
            "sub_issues_summary": [1, 2],
            "user": {"login": ["mara"]},
            "labels": ["bug", None, {"name": "P1"}],
        },
        "acme/shop",
    )
    assert (ticket.kind, ticket.milestone, ticket.reporter) == ("", None, None)
    assert ticket.fields["comments"] == 0 and "sub_issues" not in ticket.fields
    assert ticket.labels == ("bug", "P1")


def test_a_time_without_offset_is_utc():
    assert parse_time("2026-03-01T10:00:00").isoformat() == "2026-03-01T10:00:00+00:00"
    assert parse_time("2026-03-01T10:00:00Z").isoformat() == "2026-03-01T10:00:00+00:00"


def test_graphql_naive_and_aware_times_meet_without_making_the_issue_unreadable():
    node = {
        "number": 8,
        "title": "Refund button",
        "createdAt": "2026-01-05T10:00:00",
        "comments": {
            "totalCount": 1,
            "nodes": [{"databaseId": 1, "createdAt": "2026-02-01T10:00:00Z", "body": "+1"}],
        },
    }
    ticket = ticket_from_graphql(node, "acme/shop")
    assert [a.kind for a in ticket.activity] == ["created", "comment"]


def test_graphql_odd_nodes_are_skipped_and_odd_text_is_named():
    node = {
        "number": 9,
        "title": "Refund button",
        "labels": {"nodes": ["bug", None, {"name": "P1"}]},
        "assignees": {"nodes": [{"login": 5}, {"login": "mara"}]},
        "url": "javascript:alert(1)",
    }
    ticket = ticket_from_graphql(node, "acme/shop")
    assert ticket.labels == ("P1",) and ticket.assignees == ("mara",) and ticket.url == ""
    with pytest.raises(ValueError, match="title is a list, not text"):
        ticket_from_graphql({**node, "title": ["x"]}, "acme/shop")
