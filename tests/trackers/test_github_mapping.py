"""GitHub payload mapping details that the tracker tests do not reach."""

from __future__ import annotations

from backlint.trackers.github.mapping import ticket_from_graphql
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
