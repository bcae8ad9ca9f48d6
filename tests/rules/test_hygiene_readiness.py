"""Readiness rules of backlint.rules.hygiene.readiness: BL506 (unestimated in the active sprint) and
BL507 (estimate off the team's scale)."""

from __future__ import annotations

import pytest
from fakes.hygiene import load, ticket

from backlint.rules.hygiene.readiness import estimate_off_scale, unestimated_in_active_sprint
from backlint.testing import run_rule

FIXTURE = load("readiness.json")


@pytest.mark.parametrize("data", FIXTURE["unestimated"]["flag"], ids=lambda d: d["key"])
def test_unestimated_in_active_sprint_flags(data):
    findings = run_rule(unestimated_in_active_sprint, ticket(data))
    assert [f.rule for f in findings] == ["BL506"]
    assert "SHOP Sprint 47" in findings[0].message


@pytest.mark.parametrize("data", FIXTURE["unestimated"]["pass"], ids=lambda d: d["key"])
def test_unestimated_in_active_sprint_passes(data):
    assert run_rule(unestimated_in_active_sprint, ticket(data)) == []


def test_unestimated_categories_option():
    in_progress = ticket(FIXTURE["unestimated"]["flag"][0])
    assert (
        run_rule(unestimated_in_active_sprint, in_progress, options={"categories": ["todo"]}) == []
    )


@pytest.mark.parametrize("data", FIXTURE["scale"]["flag"], ids=lambda d: d["key"])
def test_estimate_off_scale_flags(data):
    assert [f.rule for f in run_rule(estimate_off_scale, ticket(data))] == ["BL507"]


@pytest.mark.parametrize("data", FIXTURE["scale"]["pass"], ids=lambda d: d["key"])
def test_estimate_off_scale_passes(data):
    assert run_rule(estimate_off_scale, ticket(data)) == []


def test_estimate_off_scale_names_the_neighbours():
    seven = ticket(FIXTURE["scale"]["flag"][0])
    assert "re-estimate to 5 or 8" in run_rule(estimate_off_scale, seven)[0].message


def test_custom_scale_and_empty_scale():
    seven = ticket(FIXTURE["scale"]["flag"][0])
    assert run_rule(estimate_off_scale, seven, options={"scale": [1, 3, 7, 15]}) == []
    assert run_rule(estimate_off_scale, seven, options={"scale": []}) == []
