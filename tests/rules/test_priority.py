"""Tests for backlint.rules.priority.consistency (BL401-BL407)."""

from __future__ import annotations

import pytest
from fakes.casebook import check, load_cases

from backlint.model import Priority
from backlint.rules.priority.consistency import is_low, rank_of, scale_of


@pytest.mark.parametrize("case", load_cases("priority"), ids=lambda case: case.id)
def test_labelled_case(case, rules) -> None:
    check(case, rules)


def test_jira_default_scheme_maps_onto_the_scale() -> None:
    scale = scale_of({})
    assert [rank_of(Priority(n), scale) for n in ("Blocker", "Major", "Minor", "Trivial")] == [
        0,
        1,
        3,
        4,
    ]


def test_low_is_the_bottom_of_any_scale() -> None:
    assert is_low(2, ("High", "Medium", "Low"), 1)
    assert not is_low(1, ("High", "Medium", "Low"), 1)
    assert scale_of({"priority": {"scale": ["P0", "P1"]}}) == ("P0", "P1")


def test_priority_inflation_is_counted_per_project():
    """A calm project in the same audit neither hides nor catches an inflated one."""
    from backlint.rules.priority.consistency import priority_inflation
    from backlint.testing import make_ticket, run_rule

    inflated = [make_ticket(f"SHOP-{i}", priority="Highest" if i < 6 else "Low") for i in range(12)]
    calm = [make_ticket(f"OPS-{i}", priority="Low") for i in range(40)]
    findings = run_rule(priority_inflation, inflated + calm)
    assert sorted(f.ticket for f in findings) == sorted(f"SHOP-{i}" for i in range(6))
    assert all("SHOP's open tickets" in f.message for f in findings)
    again = run_rule(priority_inflation, inflated[:-1] + calm)  # one ticket fewer: same text
    assert {f.message for f in again} == {f.message for f in findings}
