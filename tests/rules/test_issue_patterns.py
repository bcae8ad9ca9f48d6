"""The patterns issue 13 names, in its own example words: each reads as the issue says it must."""

from __future__ import annotations

import pytest

from backlint.testing import make_ticket, run_rule


def fired(rules, ticket, *codes: str) -> set[str]:
    return {code for code in codes if run_rule(rules[code], ticket)}


def story(body: str):
    return make_ticket(kind="story", title="A story", body=body)


def test_to_be_able_to_is_part_of_the_want_not_the_benefit(rules):
    ticket = story(
        "As a librarian, I want to be able to scan returned books and notify the next reader."
    )
    assert fired(rules, ticket, "BL110", "BL111") == {"BL110", "BL111"}


@pytest.mark.parametrize(
    "body",
    [
        "As a team lead, I want to create, rename or archive projects.",
        "As an employee, I want to upload my receipts and to see my reimbursement status.",
    ],
)
def test_actions_joined_in_the_means_are_not_atomic(rules, body):
    assert fired(rules, story(body), "BL111") == {"BL111"}


@pytest.mark.parametrize(
    "body",
    [
        "As a buyer, I want to save offers so that I can filter and compare offers.",
        "As a new customer, I want to register by giving my phone number, postcode and date "
        "of birth so that my account is verified.",
    ],
)
def test_the_benefit_and_lists_of_fields_are_not_judged_for_atomicity(rules, body):
    assert fired(rules, story(body), "BL111") == set()


def test_an_unlabelled_ticket_with_an_empty_body_is_a_bug_that_gets_findings(rules):
    # kind "" is how the adapters map a ticket with no type
    ticket = make_ticket(title="Login page broken on Firefox", body="", labels=[], kind="")
    assert ticket.kind == "bug"
    findings = run_rule(rules["BL103"], ticket)
    assert findings and "what happens" in findings[0].message
    assert fired(rules, ticket, "BL112") == {"BL112"}


@pytest.mark.parametrize("heading", ["## Acceptance", "**Acceptance:**", "h3. Done when"])
def test_acceptance_sections_under_their_real_names_count(rules, heading):
    lines = ["Export the monthly report.", "", heading, "- the file opens in Excel", "- all rows"]
    body = "\n".join(lines)
    if heading.startswith("h3."):
        from backlint.markup import wiki_to_text

        body = wiki_to_text(body)
    assert fired(rules, make_ticket(kind="story", body=body), "BL201") == set()


def test_a_reason_in_prose_counts_as_the_benefit(rules):
    ticket = story(
        "As an operator, I want to rotate the signing key. Without it, a leaked key stays "
        "valid for a year."
    )
    assert fired(rules, ticket, "BL110") == set()


def test_missing_criteria_speaks_to_a_storys_author_and_a_requests_maintainers(rules):
    story = make_ticket(
        kind="story",
        title="Invoices",
        body="As a clerk, I want to work with invoices so that accounting is easier.",
    )
    request = make_ticket(
        kind="feature",
        title="Invoice improvements",
        body="Investigate what could be improved about invoices.",
    )
    [on_story] = run_rule(rules["BL201"], story)
    [on_feature] = run_rule(rules["BL201"], request)
    assert on_story.audience == "author"
    assert on_feature.audience == "maintainer"
