"""Tests for backlint.rules.text.reasons (a reason or problem stated in prose) and
backlint.rules.text.impact (claims of impact, figures)."""

from __future__ import annotations

import pytest

from backlint.rules.text.impact import QUANTITY, impact_claim
from backlint.rules.text.reasons import answered_reason_heading, reason_in, stated_reason
from backlint.testing import make_ticket


@pytest.mark.parametrize(
    "text",
    [
        "Export the ledger so that finance can close the month.",
        "We need it because the auditors ask every quarter.",
        "Without a retry, orders are lost during a deploy.",
        "The export currently times out for large shops.",
        "There is no way to undo an archive.",
        "It doesn't show the VAT on the invoice.",
        "The nightly job blocks the database, which slows checkout.",
        "Add a flag to avoid touching production data.",
        "This would let us drop the manual step.",
        "It would be very useful for support.",
        "The goal of this ticket is to add the rename button.",
        "Our use case is a kiosk without a keyboard.",
        "By caching the prices, we can answer in one request.",
        "Today, every caller has to spell their order number.",
    ],
)
def test_reasons_in_many_words(text: str) -> None:
    assert reason_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Add a gift wrapping option at checkout.",
        "Bulk edit for prices and stock, with CSV upload.",
        "We want to avoid the pop-up.",  # a want, not what it is for
        "Show the order number on the receipt.",
    ],
)
def test_no_reason(text: str) -> None:
    assert reason_in(text) is None


def test_problems_can_be_left_out() -> None:
    assert reason_in("Returns 404 when the order does not exist.")
    assert reason_in("Returns 404 when the order does not exist.", problems=False) is None
    assert reason_in("A token that I can reuse later.", problems=False)


def test_answered_issue_form_question() -> None:
    body = (
        "**Is your feature request related to a problem? Please describe.**\n"
        "Monitoring cannot tell the release a node runs.\n\n"
        "**Describe the solution you'd like**\nA version field."
    )
    assert answered_reason_heading(body) == "Is your feature request related to a problem"


@pytest.mark.parametrize("answer", ["No response", "_No response_", "N/A", ""])
def test_unanswered_issue_form_question(answer: str) -> None:
    body = f"### Motivation\n\n{answer}\n\n### Solution\n\nAdd a flag to the CLI."
    assert answered_reason_heading(body) is None


def test_quoted_request_counts() -> None:
    ticket = make_ticket(title="Unix sockets", body="> We need it in order to handle auth.")
    assert stated_reason(ticket) == "in order to"


@pytest.mark.parametrize(
    ("text", "epic", "claim"),
    [
        ("This will reduce support load.", False, "reduce support load"),
        ("Conversion should improve on mobile.", False, "conversion should improve"),
        ("A big win for merchants.", False, "big win"),
        ("Checkout gets faster.", True, "faster"),
        ("Checkout gets faster.", False, None),
        ("Add a keyboard shortcut to toggle the sidebar.", False, None),
        ("Show the orders of the day.", False, None),
    ],
)
def test_impact_claims(text: str, epic: bool, claim: str | None) -> None:
    assert impact_claim(text, epic) == claim


def test_figures() -> None:
    assert QUANTITY.search("about 300 tickets a month")
    assert QUANTITY.search("half of the orders")
    assert not QUANTITY.search("many customers asked")
