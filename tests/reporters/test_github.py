"""The ``github`` report format: one annotation per finding with the ticket's link."""

from __future__ import annotations

import io

from backlint.model import Finding, Severity
from backlint.report.report import build_report
from backlint.reporters.github import write_github
from backlint.testing import TEST_NOW, make_ticket


def _report(findings):
    tickets = [
        make_ticket("o/r#12", url="https://github.com/o/r/issues/12", title="Fix: bug, now"),
        make_ticket("o/r#13", url="https://github.com/o/r/issues/13"),
    ]
    return build_report("github:o/r", tickets, findings, [], TEST_NOW)


def test_one_annotation_per_finding_then_a_summary_notice():
    findings = [
        Finding(
            "o/r#12",
            "BL201",
            "missing-acceptance-criteria",
            "acceptance-criteria",
            Severity.ERROR,
            "No acceptance criteria",
        ),
        Finding("o/r#12", "BL999", "note", "clarity", Severity.INFO, "50% of it\nis vague"),
    ]
    out = io.StringIO()
    write_github(_report(findings), out, {})
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "::error title=BL201 missing-acceptance-criteria · o/r#12::o/r#12: No acceptance "
        "criteria (https://github.com/o/r/issues/12)"
    )
    assert lines[1] == (
        "::notice title=BL999 note · o/r#12::o/r#12: 50%25 of it%0Ais vague "
        "(https://github.com/o/r/issues/12)"
    )
    assert lines[2] == (
        "::notice title=backlint::2 tickets checked, 1 with findings, 2 findings "
        "(1 error, 0 warning, 1 info)"
    )


def test_finding_url_wins_and_properties_are_escaped():
    finding = Finding(
        "o/r#13",
        "BL101",
        "title:length",
        "clarity",
        Severity.WARNING,
        "m",
        url="https://example.test/x",
    )
    out = io.StringIO()
    write_github(_report([finding]), out, {})
    first = out.getvalue().splitlines()[0]
    assert (
        first == "::warning title=BL101 title%3Alength · o/r#13::o/r#13: m (https://example.test/x)"
    )


def test_registered_as_a_format():
    from backlint.plugins import load_plugins

    assert "github" in load_plugins(()).reporters
