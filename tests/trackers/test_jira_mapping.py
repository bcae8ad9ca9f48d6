"""Custom field discovery from ``/field`` for the Jira mapping."""

from __future__ import annotations

import pytest

from backlint.trackers.jira.mapping import JiraFields, names_from_fields

FIELDS = [
    {"id": "summary", "name": "Summary", "schema": {"system": "summary"}},
    {
        "id": "customfield_10500",
        "name": "Punkte",
        "schema": {"custom": "com.pyxis.greenhopper.jira:jsw-story-points"},
    },
    {
        "id": "customfield_10111",
        "name": "Original story points",
        "schema": {"custom": "com.atlassian.jpo:jpo-custom-field-original-story-points"},
    },
    {"id": "customfield_10600", "name": "Acceptance Criteria", "schema": {"type": "string"}},
    {
        "id": "customfield_10700",
        "name": "Sprint",
        "schema": {"custom": "com.pyxis.greenhopper.jira:gh-sprint"},
    },
    "not a field",
]


def test_names_from_fields_names_known_types_by_purpose():
    names = names_from_fields(FIELDS)
    assert names["customfield_10500"] == "story point estimate"
    assert names["customfield_10111"] == "Original story points"
    assert "not a field" not in names.values()


def test_complete_field_list_drops_default_ids():
    fields = JiraFields.resolve({}, names_from_fields(FIELDS), complete=True)
    assert fields.story_points == ("customfield_10500",)
    assert fields.acceptance_criteria == ("customfield_10600",)
    assert fields.sprint == ("customfield_10700",)
    assert fields.epic_link == ()


def test_partial_names_keep_default_ids_and_config_wins():
    fields = JiraFields.resolve({"sprint": "customfield_1"}, {"customfield_10500": "Story Points"})
    assert fields.sprint == ("customfield_1",)
    assert (
        fields.story_points[0] == "customfield_10500" and "customfield_10016" in fields.story_points
    )


def test_backlints_own_comment_is_not_human_activity():
    from backlint.markup import markdown_to_adf
    from backlint.trackers.jira.mapping import JiraFields, ticket_from_issue
    from backlint.writeback.planner import render_resolved

    person = {"displayName": "Ana Ruiz", "accountId": "u-ana", "accountType": "atlassian"}
    comments = [
        {"author": person, "created": "2026-11-01T10:00:00.000+0000", "body": "Looks good"},
        {
            "author": person,
            "created": "2026-11-20T10:00:00.000+0000",
            "body": markdown_to_adf(render_resolved()),
        },
        {
            "author": person,
            "created": "2026-11-21T10:00:00.000+0000",
            "body": "{color:#999999}backlint:v1 digest=abcdefabcdef{color}\\nbacklint found ...",
        },
    ]
    issue = {"key": "A-1", "fields": {"summary": "x", "comment": {"comments": comments}}}
    activity = ticket_from_issue(issue, JiraFields()).activity
    assert [(a.actor, a.is_bot) for a in activity] == [
        ("Ana Ruiz", False),
        ("backlint", True),
        ("backlint", True),
    ]


def test_times_without_an_offset_are_utc_and_meet_aware_ones():
    from backlint.trackers.jira.mapping import JiraFields, parse_time, ticket_from_issue

    assert parse_time("2026-03-14T09:12:44.000").isoformat() == "2026-03-14T09:12:44+00:00"
    assert parse_time("2026-03-14T09:12:44.000+0100").utcoffset().total_seconds() == 3600
    issue = {
        "key": "PAY-1",
        "fields": {
            "created": "2026-03-14T09:12:44.000",
            "updated": "2026-03-20T10:00:00.000+0000",
            "comment": {"comments": [{"created": "2026-03-15T08:00:00.000", "body": "ok"}]},
        },
    }
    ticket = ticket_from_issue(issue, JiraFields())
    assert ticket.created < ticket.updated and ticket.activity[0].at < ticket.updated


def test_odd_shapes_are_read_as_absent_and_a_list_key_is_named():
    from backlint.trackers.jira.mapping import JiraFields, ticket_from_issue

    fields = {
        "summary": "Refunds",
        "status": "Done",
        "reporter": {"accountId": ["x"], "name": "ana"},
        "subtasks": [{"key": "PAY-2", "fields": ["odd"]}],
        "customfield_10016": True,
    }
    ticket = ticket_from_issue({"key": "PAY-1", "fields": fields}, JiraFields())
    assert (ticket.status, ticket.reporter, ticket.estimate) == ("", "ana", None)
    assert ticket.children == ("PAY-2",) and ticket.fields["subtasks_open"] == 1
    odd_link = {"key": "PAY-1", "fields": {"parent": {"key": ["PAY-0"]}}}
    with pytest.raises(ValueError, match="a linked key or title is a list"):
        ticket_from_issue(odd_link, JiraFields())
    with pytest.raises(ValueError, match="no key"):
        ticket_from_issue({"key": " ", "fields": {}}, JiraFields())
