"""Tests for backlint.rules.acceptance.criteria (BL201-BL205)."""

from __future__ import annotations

import pytest
from fakes.casebook import check, load_cases

from backlint.rules.acceptance.criteria import find_criteria
from backlint.rules.text.criteria import empty_criteria_section, is_criteria_title
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


@pytest.mark.parametrize(
    "heading",
    [
        "## Acceptance criteria",
        "### Acceptance",
        "Acceptance",
        "Acceptance:",
        "ACCEPTANCE CRITERIA:",
        "Acceptance Tests",
        "AC",
        "AC:",
        "ACs",
        "A/C",
        "Definition of Done",
        "### Definition of done (DoD)",
        "DoD:",
        "Done when",
        "Done when:",
        "Success criteria",
        "Exit criteria:",
        "Conditions of satisfaction",
        "What does done look like?",
        "1. Acceptance criteria",
        "Acceptance criteria / Definition of done",
    ],
)
def test_criteria_sections_under_their_usual_names(heading: str) -> None:
    criteria = find_criteria(make_ticket(body=f"Some context.\n\n{heading}\n- one\n- two"))
    assert criteria is not None and criteria.source == "section"
    assert criteria.items == ("one", "two")


def test_criteria_on_the_label_line() -> None:
    criteria = find_criteria(make_ticket(body="AC: the export holds every order"))
    assert criteria is not None and criteria.items == ("the export holds every order",)


@pytest.mark.parametrize("line", ["Acceptance is high on our list.", "Done when it is done."])
def test_sentences_that_start_like_a_name_are_not_sections(line: str) -> None:
    assert find_criteria(make_ticket(body=f"{line}\n\nMore text here.")) is None


@pytest.mark.parametrize("content", ["-", "- [ ]", "TBD", "<add the criteria>", "N/A", "..."])
def test_a_section_with_only_filler_holds_no_criteria(content: str) -> None:
    body = f"## Acceptance criteria\n\n{content}\n\n## Notes\n\n- later"
    assert find_criteria(make_ticket(body=body)) is None
    assert empty_criteria_section(body) == "Acceptance criteria"


def test_an_empty_section_is_not_reported_when_another_has_criteria() -> None:
    body = "## Acceptance criteria\n\n-\n\nDefinition of done:\n- deployed"
    assert find_criteria(make_ticket(body=body)).items == ("deployed",)
    assert empty_criteria_section(body) is None


def test_extra_section_names() -> None:
    ticket = make_ticket(body="## Verification\n\n- the job runs nightly")
    assert find_criteria(ticket) is None
    criteria = find_criteria(ticket, ["Verification"])
    assert criteria is not None and criteria.items == ("the job runs nightly",)


def test_a_plain_section_name_ends_the_criteria() -> None:
    body = "Acceptance criteria\n- a\n- b\n\nNotes\n- not a criterion"
    assert find_criteria(make_ticket(body=body)).items == ("a", "b")


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Acceptance", True), ("## AC:", True), ("Done when", True), ("Notes", False)],
)
def test_is_criteria_title(title: str, expected: bool) -> None:
    assert is_criteria_title(title) is expected
    assert is_criteria_title("Verification", ("Verification",))
