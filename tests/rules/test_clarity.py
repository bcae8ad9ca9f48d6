"""Tests for backlint.rules.clarity.title_body (BL101-BL103).

The labelled cases cover BL101-BL106.
"""

from __future__ import annotations

import pytest
from fakes.casebook import check, load_cases

from backlint.rules.clarity.title_body import is_generic_title, thin_body, title_length
from backlint.testing import make_ticket, run_rule


@pytest.mark.parametrize("case", load_cases("clarity"), ids=lambda case: case.id)
def test_labelled_case(case, rules) -> None:
    check(case, rules)


def test_min_words_per_kind_is_an_option() -> None:
    ticket = make_ticket(kind="task", body="Rotate the key before the audit because it leaked.")
    assert run_rule(thin_body, ticket) == []
    found = run_rule(thin_body, ticket, options={"min_words": {"task": 12}})
    assert [f.rule for f in found] == ["BL103"]


def test_title_bounds_are_options() -> None:
    ticket = make_ticket(kind="task", title="Rotate webhook secret now please")
    assert run_rule(title_length, ticket, options={"max_words": 4})[0].message.startswith(
        "The title is 5 words"
    )


def test_generic_title_needs_every_word_generic() -> None:
    assert is_generic_title("Fix bug")
    assert is_generic_title("[bug] Minor fixes")
    assert not is_generic_title("Fix bug in refund emails")
    assert not is_generic_title("")


def test_own_words_leave_out_what_the_title_and_the_template_say() -> None:
    from backlint.rules.clarity.body import own_words

    body = "## Describe the feature\n\nExport invoices to CSV\n\nSee the discussion in #12."
    assert own_words("Export invoices to CSV", body) == []
    assert own_words("Export invoices", "Export from 15 to 30 rows.") == ["15", "30", "rows"]


def test_a_title_that_is_a_whole_request_needs_no_long_body(rules):
    from backlint.testing import make_ticket, run_rule

    whole = make_ticket(
        kind="feature",
        title="Consider adding ctrl+shift+. as the go to symbol keybinding in the help view",
        body="cc the accessibility team",
    )
    assert run_rule(rules["BL103"], whole) == []
    vague = make_ticket(kind="feature", title="Add improvements to the editor", body="cc the team")
    assert run_rule(rules["BL103"], vague)
    empty = make_ticket(kind="feature", title=whole.title, body="")
    assert run_rule(rules["BL103"], empty)  # an empty description never passes
