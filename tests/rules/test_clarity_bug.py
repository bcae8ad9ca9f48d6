"""Tests for backlint.rules.clarity.bugs (BL112-BL113)."""

from __future__ import annotations

import pytest
from fakes.casebook import check, load_cases

from backlint.rules.clarity.bugs import bug_missing_steps, has_steps
from backlint.testing import make_ticket, run_rule


@pytest.mark.parametrize("case", load_cases("clarity_bug"), ids=lambda case: case.id)
def test_labelled_case(case, rules) -> None:
    check(case, rules)


@pytest.mark.parametrize(
    "heading",
    [
        "## Steps to reproduce",
        "To Reproduce",
        "Steps To Reproduce:",
        "### Repro steps",
        "Standalone code to reproduce the issue",
    ],
)
def test_template_headings_count_as_steps(heading: str) -> None:
    assert has_steps(f"{heading}\n\nOpen the page.")


def test_only_bugs_are_checked() -> None:
    assert run_rule(bug_missing_steps, make_ticket(kind="story", body="broken")) == []
