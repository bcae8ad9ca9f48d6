"""Tests of the WSJF plugin, written with backlint's own test helpers.

Run after installing: ``pip install ./plugins/backlint-wsjf && pytest plugins/backlint-wsjf/tests``.
"""

from __future__ import annotations

import importlib.metadata

import pytest
from backlint_wsjf import RULES
from backlint_wsjf.rules import inputs_incomplete, priority_contradicts_wsjf, score_mismatch
from backlint_wsjf.scores import read_scores

from backlint.plugins import load_plugins
from backlint.testing import make_ticket, run_rule


def test_scores_come_from_fields_labels_and_description_lines():
    ticket = make_ticket(
        kind="feature",
        fields={"business_value": 8},
        labels=["tc:5", "size:L"],
        body="**Risk reduction:** 3\nJob size = 2\nWSJF: 8",
    )
    assert read_scores(ticket) == {
        "wsjf": 8.0,
        "business_value": 8.0,
        "time_criticality": 5.0,
        "risk_reduction": 3.0,
        "job_size": 2.0,
    }


def test_score_mismatch_flags_a_wrong_score_and_passes_a_right_one():
    wrong = make_ticket(kind="feature", labels=["bv:8", "tc:5", "rr:3", "js:2", "wsjf:13"])
    [finding] = run_rule(score_mismatch, wrong)
    assert finding.rule == "WSJF101"
    assert finding.message == "WSJF is 13 but its inputs give 8.0 ((8 + 5 + 3) / 2)."
    right = make_ticket(kind="feature", labels=["bv:8", "tc:5", "rr:3", "js:2", "wsjf:8"])
    assert run_rule(score_mismatch, right) == []
    assert run_rule(score_mismatch, wrong, options={"tolerance": 6}) == []


def test_inputs_incomplete():
    [finding] = run_rule(inputs_incomplete, make_ticket(kind="epic", labels=["bv:8", "js:3"]))
    assert (
        finding.message == "WSJF inputs are incomplete: time criticality, risk reduction missing."
    )
    assert run_rule(inputs_incomplete, make_ticket(kind="epic")) == []


def test_priority_contradicting_wsjf_is_reported_on_the_over_ranked_ticket():
    tickets = [
        make_ticket("F-1", kind="feature", priority="High", labels=["wsjf:3"]),
        make_ticket("F-2", kind="feature", priority="Low", labels=["wsjf:12"]),
        make_ticket("F-3", kind="feature", priority="Medium", labels=["wsjf:7"]),
        make_ticket(
            "F-4", kind="feature", priority="Lowest", labels=["wsjf:40"], status_category="done"
        ),
    ]
    findings = run_rule(priority_contradicts_wsjf, tickets)
    assert [(f.ticket, f.rule) for f in findings] == [("F-1", "WSJF201")]
    assert "F-2 (priority Low) has WSJF 12" in findings[0].message
    assert run_rule(priority_contradicts_wsjf, tickets, options={"ratio": 5.0}) == []


def test_every_rule_is_documented():
    for rule in RULES:
        sections = rule.doc_sections()
        assert all(sections.get(name) for name in ("What", "Why", "Example", "Fix")), rule.code


def test_the_installed_entry_point_registers_the_rules():
    try:
        dist = importlib.metadata.distribution("backlint-wsjf")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("backlint-wsjf is not installed (pip install ./plugins/backlint-wsjf)")
    registry = load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": "wsjf"})
    info = registry.plugins["wsjf"]
    assert (info.source, info.version) == ("distribution backlint-wsjf", dist.version)
    assert {registry.rule_origin[c] for c in ("WSJF101", "WSJF102", "WSJF201")} == {"wsjf"}
