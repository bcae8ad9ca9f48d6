"""DESIGN section 7 conventions: kinds, priority ranks and label signals."""

from __future__ import annotations

import pytest

from backlint.config.config import config_from_mapping
from backlint.config.conventions import label_priorities, priority_rank
from backlint.model import Priority
from backlint.testing import config_from, make_ticket

SCALE = ("Highest", "High", "Medium", "Low", "Lowest")


@pytest.mark.parametrize(
    ("raw", "labels", "kind"),
    [
        ("Story", (), "story"),
        ("Sub-task", (), "subtask"),
        ("", ("enhancement",), "feature"),
        ("", ("type: bug",), "bug"),
        ("", ("kind/epic",), "epic"),
        ("", ("good first issue",), "task"),
        ("Weird", (), "task"),
    ],
)
def test_kinds(raw, labels, kind):
    # A title that names no kind of its own, so only the type and the labels decide.
    assert make_ticket(kind=raw, labels=labels, title="Tidy the settings page").kind == kind


def test_configured_kind_names():
    config = config_from({"kinds": {"Capability": "feature"}})
    ticket = make_ticket(kind="Capability", title="Tidy the settings page", config=config)
    assert ticket.kind == "feature"


@pytest.mark.parametrize(
    ("name", "rank"),
    [("Highest", 0), ("low", 3), ("P0", 0), ("P4", 4), ("Blocker", 0), ("Minor", 3), ("x", None)],
)
def test_priority_rank(name, rank):
    assert priority_rank(name, SCALE) == rank


def test_rank_scales_to_a_shorter_scale():
    assert priority_rank("P4", ("High", "Normal", "Low")) == 2
    assert priority_rank("P2", ("High", "Normal", "Low")) == 1


def test_label_signals():
    signals = label_priorities(("P1", "priority: low", "bug", "prio/urgent"), SCALE, {})
    assert [(s.name, s.rank) for s in signals] == [
        ("P1", 1),
        ("priority: low", 3),
        ("prio/urgent", 0),
    ]
    assert label_priorities(("sev-1",), SCALE, {"sev-1": "Highest"})[0].rank == 0


def test_normalise_prefers_the_field_and_keeps_all_signals():
    ticket = make_ticket(priority="Low", labels=["P0"], kind="Bug")
    assert ticket.kind == "bug"
    assert ticket.priority == Priority("Low", 3, "field")
    assert [s.source for s in ticket.priority_signals] == ["field", "label"]
    from_label = make_ticket(labels=["priority: high"])
    assert from_label.priority.rank == 1 and from_label.priority.source == "label"


def test_normalise_uses_configured_scale():
    config = config_from_mapping({"priority": {"scale": ["P0", "P1", "P2"]}})
    assert make_ticket(priority="P2", config=config).priority.rank == 2


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Login page broken on Firefox", ""),
        ("Export to PDF fails for pages with tables", "Happens since the last release."),
        ("Reports page doesn't load for archived teams", ""),
        ("Importer crashes on an empty file", ""),
        ("Odd behaviour in the importer", "Steps to reproduce:\n1. Import an empty file"),
        ("Sync stops overnight", '```\nException in thread "main" java.lang.Error\n```'),
    ],
)
def test_an_untyped_ticket_that_reports_a_failure_is_a_bug(title, body):
    assert make_ticket(kind="", title=title, body=body).kind == "bug"


@pytest.mark.parametrize(
    ("title", "body", "labels"),
    [
        ("Improve the error messages of the importer", "", ()),
        ("Add retries when the upload fails", "", ()),
        ("The exporter should not crash on empty pages", "", ()),
        ("Collect the event logs during the nightly run", "We had failures since May.", ()),
        ("Add dark mode", "It would be nice to have a dark theme.", ()),
        ("Why does the importer fail on empty files?", "", ("question",)),
    ],
)
def test_requests_questions_and_plain_text_are_not_inferred_bugs(title, body, labels):
    assert make_ticket(kind="", title=title, body=body, labels=labels).kind == "task"


def test_a_tracker_type_is_never_overridden_by_the_text():
    assert make_ticket(kind="Task", title="Login page broken on Firefox").kind == "task"
    assert make_ticket(kind="", labels=["enhancement"], title="Export fails").kind == "feature"
