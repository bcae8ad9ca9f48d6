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
    assert two_actions("Show duties and import VAT") is None
    assert two_actions("pay with PayPal and Apple Pay") is None


@pytest.mark.parametrize(
    ("means", "found"),
    [
        ("create, rename or archive projects", "rename or archive projects"),
        ("upload my receipts and to see my reimbursement status", "and to see"),
        ("create and edit supplier records", "create and edit supplier"),
        ("scan returned books and notify the next reader", "and notify the"),
        ("functions for adding or removing webhooks", "adding or removing webhooks"),
        ("be aware of the fees and be able to choose a plan", "and be able to choose"),
    ],
)
def test_two_actions_finds_separable_actions(means: str, found: str) -> None:
    assert two_actions(means) == found


@pytest.mark.parametrize(
    "means",
    [
        "register by giving my phone number, postcode and date of birth",
        "drag and drop the widgets",
        "show and hide the sidebar",
        "a fast and accurate search",
        "track the location and status of parcels",
        "flag duplicate payments and ensure each order is charged once",
        "create feedback forms that students can fill in and submit",
        "develop and refine the pricing model",
    ],
)
def test_two_actions_leaves_one_action_alone(means: str) -> None:
    assert two_actions(means) is None


def test_to_be_able_to_belongs_to_the_want() -> None:
    parts = story_parts(
        make_ticket(body="As a librarian, I want to be able to scan returned books and notify.")
    )
    assert parts.means == "to be able to scan returned books and notify"
    assert parts.action == "scan returned books and notify"
    assert parts.benefit == ""


@pytest.mark.parametrize(
    ("body", "benefit"),
    [
        ("As a runner, I want weekly pace summaries to track my progress.", "to track my progress"),
        ("As an admin, I want an export because auditors ask for it.", "auditors ask for it"),
        ("As a buyer, I want saved searches, sparing me the filters.", "sparing me the filters"),
        ("As a clerk, I'd like a CSV export so I can reconcile.", "so I can reconcile"),
        ("As a nurse, I need alerts in order to act early.", "act early"),
    ],
)
def test_story_parts_reads_the_benefit_in_many_words(body: str, benefit: str) -> None:
    assert story_parts(make_ticket(body=body)).benefit == benefit


@pytest.mark.parametrize(
    "body",
    [
        "As a clerk, I want a way to merge duplicate customers.",
        "As a manager, I want the stock report to include refunds.",
        "As an admin, I want to allow editors to publish posts.",
        "As a user, I want access to my invoices.",
    ],
)
def test_story_parts_does_not_take_the_want_for_a_reason(body: str) -> None:
    assert story_parts(make_ticket(body=body)).benefit == ""


def test_use_x_to_judges_what_x_is_used_for() -> None:
    parts = story_parts(
        make_ticket(body="As a planner, I want to use the map to plan routes and notify drivers.")
    )
    assert parts.benefit.startswith("to plan routes")
    assert two_actions(parts.action) == "and notify drivers"


def test_goal_then_means() -> None:
    parts = story_parts(
        make_ticket(body="As a recruiter, I want to save time by screening resumes automatically.")
    )
    assert parts.benefit == "save time"
    assert parts.action == "screening resumes automatically"


def test_story_after_an_area_prefix_in_the_title() -> None:
    parts = story_parts(make_ticket(title="Ledger: I want to see the history of a key"))
    assert parts.form == "want"
