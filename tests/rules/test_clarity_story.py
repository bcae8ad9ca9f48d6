"""Tests for backlint.rules.clarity.stories (BL107-BL111) and the story reader they use."""

from __future__ import annotations

import pytest
from fakes.casebook import check, load_cases

from backlint.rules.clarity.stories import two_actions
from backlint.rules.text.story import story_parts
from backlint.testing import make_ticket


@pytest.mark.parametrize("case", load_cases("clarity_story"), ids=lambda case: case.id)
def test_labelled_case(case, rules) -> None:
    check(case, rules)


def test_story_parts_reads_role_means_and_benefit() -> None:
    parts = story_parts(
        make_ticket(body="As a returning customer, I want to save my card, so that I pay faster.")
    )
    assert (parts.form, parts.role, parts.means, parts.benefit) == (
        "user",
        "returning customer",
        "to save my card",
        "I pay faster",
    )


def test_story_parts_accepts_job_stories() -> None:
    parts = story_parts(make_ticket(body="When I run out, I want to reorder, so I can restock."))
    assert parts.form == "job" and parts.benefit


def test_two_actions_needs_an_object_on_each_side() -> None:
    assert two_actions("Add PayPal and redesign the cart") == "and redesign the"
    assert two_actions("search and filter the list") is None
    assert two_actions("Show duties and import VAT") is None
