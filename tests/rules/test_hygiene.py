"""Ownership rules of backlint.rules.hygiene.ownership.

BL501, BL503 (WIP), BL504, BL505 (hierarchy).
"""

from __future__ import annotations

import pytest
from fakes.hygiene import load, ticket

from backlint.rules.hygiene.ownership import (
    done_with_open_children,
    in_progress_without_assignee,
    open_under_done_parent,
    wip_limit_exceeded,
)
from backlint.testing import make_ticket, run_rule

FIXTURE = load("ownership.json")
WIP = [ticket(data) for data in FIXTURE["wip"]["tickets"]]
HIERARCHY = [ticket(data) for data in FIXTURE["hierarchy"]["tickets"]]


@pytest.mark.parametrize(
    "data",
    [
        {"key": "SHOP-229", "status": "In Progress", "status_category": "in_progress"},
        {"key": "acme/web#140", "status": "In review", "status_category": "in_progress"},
        {"key": "OPS-430", "status": "Doing", "status_category": "in_progress", "assignees": []},
    ],
)
def test_in_progress_without_assignee_flags(data):
    assert [f.rule for f in run_rule(in_progress_without_assignee, ticket(data))] == ["BL501"]


@pytest.mark.parametrize(
    "data",
    [
        {"key": "SHOP-215", "status_category": "in_progress", "assignees": ["u-dana"]},
        {"key": "SHOP-225", "status_category": "todo"},
        {"key": "SHOP-211", "status_category": "done"},
    ],
)
def test_in_progress_without_assignee_passes(data):
    assert run_rule(in_progress_without_assignee, ticket(data)) == []


def test_wip_limit_flags_every_ticket_of_the_overloaded_person():
    findings = run_rule(wip_limit_exceeded, WIP)
    assert sorted(f.ticket for f in findings) == FIXTURE["wip"]["flag"]
    assert "u-dana has 6 tickets in progress (limit 5)" in findings[0].message
    flagged = {f.ticket for f in findings}
    assert not flagged & set(FIXTURE["wip"]["pass"])


def test_wip_limit_option_and_ignored_kinds():
    assert run_rule(wip_limit_exceeded, WIP, options={"limit": 6}) == []
    marco = run_rule(wip_limit_exceeded, WIP, options={"limit": 2, "ignore_kinds": []})
    assert {f.ticket for f in marco} >= {"SHOP-199", "SHOP-207", "SHOP-209"}


def test_done_with_open_children():
    findings = run_rule(done_with_open_children, HIERARCHY)
    assert sorted(f.ticket for f in findings) == sorted(
        FIXTURE["hierarchy"]["done_with_open_children"]
    )
    by_key = {f.ticket: f.message for f in findings}
    assert "1 of its children is still open: SHOP-214" in by_key["SHOP-208"]
    assert "2 of its children are still open." in by_key["PROJ-7"]


def test_open_under_done_parent():
    findings = run_rule(open_under_done_parent, HIERARCHY)
    assert sorted(f.ticket for f in findings) == sorted(
        FIXTURE["hierarchy"]["open_under_done_parent"]
    )
    assert "parent SHOP-208 is Done" in {f.ticket: f.message for f in findings}["SHOP-214"]


def test_hierarchy_rules_leave_consistent_tickets_alone():
    flagged = {f.ticket for f in run_rule(done_with_open_children, HIERARCHY)}
    flagged |= {f.ticket for f in run_rule(open_under_done_parent, HIERARCHY)}
    assert not flagged & set(FIXTURE["hierarchy"]["clean"])


def test_unknown_parent_is_not_judged():
    orphan = make_ticket("X-1", status_category="todo", parent="GONE-1")
    assert run_rule(open_under_done_parent, orphan) == []
