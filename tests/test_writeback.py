"""The write-back planner: the fewest writes, managed labels only, safe comment text."""

from __future__ import annotations

import dataclasses

from backlint.model import Finding, Severity
from backlint.testing import make_ticket
from backlint.writeback.contract import (
    ExistingComment,
    Plan,
    TicketState,
    WritebackSettings,
    keep_oldest,
    parse_marker,
)
from backlint.writeback.planner import (
    cap_plans,
    neutralise,
    plan_ticket,
    render_comment,
    render_resolved,
)

SETTINGS = WritebackSettings(family_labels={"acceptance-criteria": "needs-acceptance-criteria"})
TICKET = make_ticket("acme/shop#7", labels=["bug", "needs-acceptance-criteria"])


def finding(rule="BL201", family="acceptance-criteria", severity=Severity.ERROR, message="No AC."):
    return Finding(TICKET.key, rule, "missing-acceptance-criteria", family, severity, message)


def test_first_run_creates_comment_and_adds_labels():
    plan = plan_ticket(TICKET, [finding()], TicketState(labels=("bug",)), SETTINGS)
    assert plan.comment_action == "create"
    assert parse_marker(plan.comment_body) is not None
    assert plan.labels_add == ("backlint:needs-work", "needs-acceptance-criteria")
    assert plan.labels_remove == ()


def test_unchanged_findings_plan_nothing():
    body = render_comment([finding()])
    state = TicketState(
        labels=("bug", "needs-acceptance-criteria", "backlint:needs-work"),
        comment=ExistingComment("c1", parse_marker(body)),
    )
    plan = plan_ticket(TICKET, [finding()], state, SETTINGS)
    assert plan.is_empty


def test_changed_findings_edit_the_existing_comment():
    old = render_comment([finding(message="Old text.")])
    state = TicketState(labels=(), comment=ExistingComment("c1", parse_marker(old)))
    plan = plan_ticket(TICKET, [finding()], state, WritebackSettings(labels=False))
    assert (plan.comment_action, plan.comment_id) == ("edit", "c1")


def test_clean_ticket_resolves_comment_and_removes_only_managed_labels():
    state = TicketState(
        labels=("bug", "Needs-Acceptance-Criteria", "backlint:needs-work", "help wanted"),
        comment=ExistingComment("c1", "abcdefabcdef"),
    )
    plan = plan_ticket(TICKET, [], state, SETTINGS)
    assert plan.comment_action == "edit"
    assert plan.comment_body == render_resolved()
    assert plan.labels_remove == ("Needs-Acceptance-Criteria", "backlint:needs-work")
    assert plan.labels_add == ()
    resolved = TicketState(labels=("bug",), comment=ExistingComment("c1", "resolved"))
    assert plan_ticket(TICKET, [], resolved, SETTINGS).is_empty


def test_on_clean_delete():
    state = TicketState(comment=ExistingComment("c9", "abcdefabcdef"))
    plan = plan_ticket(TICKET, [], state, WritebackSettings(on_clean="delete"))
    assert (plan.comment_action, plan.comment_id, plan.comment_body) == ("delete", "c9", None)


def test_clean_ticket_without_comment_gets_none():
    assert plan_ticket(TICKET, [], TicketState(labels=("bug",)), SETTINGS).is_empty


def test_info_findings_and_run_findings_write_nothing_by_default():
    info = finding(severity=Severity.INFO)
    run = finding(rule="BL901", family="run")
    assert plan_ticket(TICKET, [info, run], TicketState(), SETTINGS).is_empty
    # min-severity = "info" brings info findings into the comment; the needs-work label marks
    # every ticket that has a backlint comment, so a tracker can find the comment later, and
    # family labels only come at or above the label severity.
    chatty = dataclasses.replace(SETTINGS, min_severity=Severity.INFO)
    plan = plan_ticket(TICKET, [info, run], TicketState(), chatty)
    assert plan.comment_action == "create"
    assert plan.labels_add == ("backlint:needs-work",)
    assert "BL901" not in (plan.comment_body or "")


def test_maintainer_findings_become_labels_not_comment_text():
    triage = Finding(
        TICKET.key,
        "BL401",
        "missing-priority",
        "priority",
        Severity.WARNING,
        "No priority.",
        audience="maintainer",
    )
    settings = dataclasses.replace(SETTINGS, family_labels={"priority": "needs-priority-review"})
    plan = plan_ticket(TICKET, [triage], TicketState(), settings)
    assert plan.comment_action is None
    assert plan.labels_add == ("needs-priority-review",)  # no comment, so no needs-work label
    both = plan_ticket(TICKET, [triage, finding()], TicketState(), settings)
    assert "BL201" in both.comment_body and "BL401" not in both.comment_body
    assert both.labels_add == ("backlint:needs-work", "needs-priority-review")
    everyone = dataclasses.replace(settings, comment_for="everyone")
    assert "BL401" in plan_ticket(TICKET, [triage], TicketState(), everyone).comment_body


def test_backlog_findings_never_reach_a_ticket():
    inflation = Finding(
        TICKET.key,
        "BL405",
        "priority-inflation",
        "priority",
        Severity.WARNING,
        "Too many P0.",
        audience="backlog",
    )
    everyone = dataclasses.replace(SETTINGS, comment_for="everyone", min_severity=Severity.INFO)
    assert plan_ticket(TICKET, [inflation], TicketState(), everyone).is_empty


def test_comment_starts_with_the_hidden_marker_of_the_contract():
    for body in (render_comment([finding()]), render_resolved()):
        assert body.startswith("<!-- backlint -->\n<!-- backlint:v1 digest=")
        assert parse_marker(body) is not None
    assert "<sub>" not in render_comment([finding()])


def test_comment_neutralises_ticket_text():
    nasty = finding(message="Vague words: @octocat fixes #12 <script>alert(1)</script> [x](y)")
    body = render_comment([nasty])
    assert "@octocat" not in body and "@\u200doctocat" in body
    assert "fixes #12" not in body
    assert "GH-3" not in render_comment([finding(message="see GH-3 and gh-4")])
    assert "gh-4" not in render_comment([finding(message="see GH-3 and gh-4")])
    assert "<script>" not in body
    assert "\\[x\\](y)" in body


def test_neutralise_folds_whitespace():
    assert neutralise("a\n\n  b") == "a b"


def test_cap_plans_keeps_first_writes_only():
    plans = [Plan("A"), Plan("B", comment_action="create"), Plan("C", labels_add=("x",))]
    kept, held = cap_plans(plans, 1)
    assert [p.ticket for p in kept] == ["B"] and held == 1
    kept, held = cap_plans(plans, None)
    assert [p.ticket for p in kept] == ["B", "C"] and held == 0


def test_plan_describe():
    plan = Plan("A", comment_action="create", labels_add=("x",), labels_remove=("y",))
    assert plan.describe() == ["create backlint comment", "add label 'x'", "remove label 'y'"]


# -- at most one backlint comment ------------------------------------------------------------
def test_the_oldest_marker_comment_is_kept_whatever_order_the_listing_has():
    found = keep_oldest([("1020", "bbbbbbbbbbbb"), ("998", "aaaaaaaaaaaa"), ("1003", None)])
    assert found == ExistingComment("998", "aaaaaaaaaaaa", ("1003", "1020"))
    assert keep_oldest([]) is None


def test_duplicates_are_deleted_and_the_oldest_brought_up_to_date():
    stale = ExistingComment("c1", "abcdefabcdef", duplicates=("c2", "c3"))
    plan = plan_ticket(TICKET, [finding()], TicketState(comment=stale), SETTINGS)
    assert (plan.comment_action, plan.comment_id) == ("edit", "c1")
    assert plan.duplicate_ids == ("c2", "c3")
    assert plan.describe()[:2] == ["edit backlint comment", "delete 2 duplicate backlint comments"]


def test_a_current_comment_with_one_duplicate_plans_only_the_deletion():
    current = parse_marker(render_comment([finding()]))
    state = TicketState(
        labels=("needs-acceptance-criteria", "backlint:needs-work"),
        comment=ExistingComment("c1", current, duplicates=("c2",)),
    )
    plan = plan_ticket(TICKET, [finding()], state, SETTINGS)
    assert not plan.is_empty and plan.comment_action is None
    assert plan.describe() == ["delete 1 duplicate backlint comment"]


def test_duplicates_of_a_resolved_note_go_too_and_comments_off_touches_none():
    resolved = TicketState(comment=ExistingComment("c1", "resolved", duplicates=("c2",)))
    assert plan_ticket(TICKET, [], resolved, SETTINGS).duplicate_ids == ("c2",)
    off = WritebackSettings(comment=False, labels=False)
    assert plan_ticket(TICKET, [], resolved, off).is_empty
