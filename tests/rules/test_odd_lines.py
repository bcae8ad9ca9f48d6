"""Lines that are almost nothing must not crash a rule (a crash is a BL901 finding and exit 2)."""

from __future__ import annotations

import pytest

from backlint.engine.run import run_rules
from backlint.testing import TEST_NOW, make_ticket


@pytest.mark.parametrize("kind", ["bug", "story", "feature", "task"])
@pytest.mark.parametrize("line", ["** **", "__ __", "*", "** **:", "  **  "])
def test_emphasis_around_nothing_is_no_crash(rules, line, kind):
    body = f"Add an export of the monthly report.\n\n{line}\n\nIt should be a CSV file."
    ticket = make_ticket(title="Add a CSV export of the monthly report", body=body, kind=kind)
    result = run_rules([ticket], list(rules.values()), TEST_NOW)
    assert [f for f in result.findings if f.family == "run"] == []
