"""Tests for backlint.rules.clarity.wording (BL104-BL105); labelled cases are in test_clarity."""

from __future__ import annotations

from backlint.rules.clarity.wording import vague_language
from backlint.testing import make_ticket, run_rule


def test_vague_language_names_every_word_found() -> None:
    ticket = make_ticket(kind="story", title="Exports", body="Support CSV, XLSX etc. TBD later.")
    message = run_rule(vague_language, ticket)[0].message
    assert '"etc."' in message and '"tbd"' in message


def test_a_lone_hedge_in_a_precise_ticket_is_not_flagged() -> None:
    body = (
        "Allow end users to configure the listener container: acks, transactions, etc. "
        "Expose each property on the bus and document the default."
    )
    assert (
        run_rule(vague_language, make_ticket(kind="task", title="Bus properties", body=body)) == []
    )


def test_hedges_piled_up_in_one_sentence_are_flagged() -> None:
    body = "Send an email and/or SMS if possible when the parcel is late."
    found = run_rule(vague_language, make_ticket(kind="story", title="Late parcels", body=body))
    assert (
        len(found) == 1 and '"and/or"' in found[0].message and '"if possible"' in found[0].message
    )


def test_hedges_in_different_sentences_do_not_add_up() -> None:
    body = (
        "Unzip the debug symbols if necessary. "
        "This must also work when called from the shell, as in SERVER-43254 etc."
    )
    assert (
        run_rule(vague_language, make_ticket(kind="task", title="Unzip symbols", body=body)) == []
    )


def test_etc_closing_examples_is_not_a_hedge() -> None:
    body = "A missing metric (e.g. counter, gauge, etc.) should log one line and/or return 404."
    assert run_rule(vague_language, make_ticket(kind="task", title="Quiet logs", body=body)) == []


def test_one_vague_word_is_enough() -> None:
    body = "The export must be user-friendly."
    found = run_rule(vague_language, make_ticket(kind="task", title="Exports", body=body))
    assert '"user-friendly"' in found[0].message


def test_thresholds_are_options() -> None:
    body = "Support CSV and XLSX exports, etc."
    ticket = make_ticket(kind="task", title="Exports", body=body)
    assert run_rule(vague_language, ticket) == []
    assert run_rule(vague_language, ticket, options={"min_hedges": 1})[0].rule == "BL104"


def _vague(kind: str, body: str) -> list:
    return run_rule(vague_language, make_ticket(kind=kind, title="Ticket", body=body))


def test_an_unmeasured_quality_of_the_want_is_named() -> None:
    found = _vague("story", "As a planner, I want an accessible architecture for the app.")
    assert len(found) == 1 and '"accessible"' in found[0].message


def test_a_quality_in_a_problem_statement_or_speculation_is_not_flagged() -> None:
    assert _vague("task", "The export is not reliable. Maybe a faster disk could help.") == []


def test_a_quality_said_of_a_possibility_or_with_its_complement_is_not_flagged() -> None:
    body = (
        "The settings must stay accessible from the main menu. "
        "It should be easy to add, since the dialog exists."
    )
    assert _vague("task", body) == []


def test_an_adverb_in_the_purpose_of_a_step_is_not_the_want() -> None:
    body = "We should add a flag that can be set on a job to quickly skip it in every run."
    assert _vague("task", body) == []


def test_a_phrase_and_a_phrase_inside_it_are_named_once(rules):
    ticket = make_ticket(
        kind="feature",
        title="Bind event handlers",
        body="I would like to bind event handler functions in an efficient way.",
    )
    [finding] = run_rule(rules["BL104"], ticket)
    assert finding.message.count("efficient way") == 1
