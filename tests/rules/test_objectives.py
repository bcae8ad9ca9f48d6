"""Tests for backlint.rules.objectives (BL301-BL305)."""

from __future__ import annotations

import pytest
from fakes.casebook import check, load_cases

from backlint.rules.objectives import objective_links, states_outcome
from backlint.testing import make_ticket


@pytest.mark.parametrize("case", load_cases("objectives"), ids=lambda case: case.id)
def test_labelled_case(case, rules) -> None:
    check(case, rules)


def test_objective_links_follow_design_section_7() -> None:
    ticket = make_ticket(parent="E-1", milestone="Q4", labels=["okr:conversion", "ui"])
    assert objective_links(ticket, {}) == ["parent E-1", "milestone Q4", "label okr:conversion"]


def test_configured_label_patterns() -> None:
    ticket = make_ticket(labels=["theme/payments"])
    assert objective_links(ticket, {}) == []
    assert objective_links(ticket, {"objectives": {"label-patterns": ["theme/*"]}}) == [
        "label theme/payments"
    ]


def test_outcome_from_heading_or_phrase() -> None:
    assert states_outcome(make_ticket(body="## Success metric\n\nOrders per day."))
    assert states_outcome(make_ticket(body="Do it so that refunds are faster."))
    assert not states_outcome(make_ticket(body="Add a gift wrapping option."))
