"""Tests for backlint.rules.acceptance.criteria (BL201-BL205)."""

from __future__ import annotations

import pytest
from fakes.casebook import check, load_cases

from backlint.rules.acceptance.criteria import find_criteria
from backlint.testing import make_ticket


@pytest.mark.parametrize("case", load_cases("acceptance"), ids=lambda case: case.id)
def test_labelled_case(case, rules) -> None:
    check(case, rules)


def test_criteria_section_stops_at_the_next_heading() -> None:
    body = "## Acceptance criteria\n\n- a\n- b\n\n## Notes\n\n- not a criterion"
    criteria = find_criteria(make_ticket(body=body))
    assert criteria is not None and criteria.items == ("a", "b")


def test_field_wins_over_the_body() -> None:
    ticket = make_ticket(body="- [ ] x\n- [ ] y", fields={"acceptance_criteria": "- one"})
    criteria = find_criteria(ticket)
    assert criteria is not None and (criteria.source, criteria.items) == ("field", ("one",))
